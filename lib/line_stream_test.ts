import { deepEqual, equal } from "node:assert/strict";
import { LineSplitter, LineStream } from "./line_stream.ts";

async function split(chunks: string[]): Promise<string[]> {
  // A loop, not Array.fromAsync: these tests also run on Node 20 (`deno task test:node`).
  const lines: string[] = [];
  for await (const line of ReadableStream.from(chunks).pipeThrough(new LineStream())) {
    lines.push(line);
  }
  return lines;
}

Deno.test("LineStream splits on newline and joins lines cut across chunks", async () => {
  deepEqual(await split(["a\nb", "c", "d\ne\n"]), ["a", "bcd", "e"]);
});

Deno.test("LineStream strips CRLF, including a CR and LF in different chunks", async () => {
  deepEqual(await split(["a\r\nb\r", "\nc\r\n"]), ["a", "b", "c"]);
});

Deno.test("LineStream emits a last line without newline at end of input", async () => {
  deepEqual(await split(["a\nlast"]), ["a", "last"]);
  deepEqual(await split(["a\nlast\r"]), ["a", "last"]);
});

Deno.test("LineStream keeps empty lines and emits nothing for empty input", async () => {
  deepEqual(await split(["\n\na\n"]), ["", "", "a"]);
  deepEqual(await split([]), []);
  deepEqual(await split([""]), []);
});

Deno.test("LineSplitter joins a 1 MiB line from 1 KiB chunks in linear time", () => {
  const splitter = new LineSplitter();
  const piece = "z".repeat(1024);
  const lines: string[] = [];
  const started = performance.now();
  for (let i = 0; i < 1024; i++) splitter.push(piece, (line) => lines.push(line));
  splitter.push("\nnext", (line) => lines.push(line));
  splitter.flush((line) => lines.push(line));
  const elapsed = performance.now() - started;
  equal(lines.length, 2);
  equal(lines[0]?.length, 1024 * 1024);
  equal(lines[1], "next");
  equal(elapsed < 500, true, `took ${elapsed} ms`);
});
