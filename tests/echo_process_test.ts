import { deepEqual, equal } from "node:assert/strict";
import { challengePath, initLine, runNode } from "./_node_process.ts";

Deno.test("challenges/echo.ts answers echo over pipes and exits 0 at end of input", async () => {
  const input = [
    initLine("n1"),
    '{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":1,"echo":"hello"}}',
    "this is not json",
    '{"src":"c1","dest":"n1","body":{"type":"nope","msg_id":2}}',
    '{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":3,"echo":{"nested":[1,"x"]}}}',
  ].join("\n") + "\n";
  const run = await runNode(challengePath("echo.ts"), input);
  equal(run.code, 0);
  deepEqual(run.lines, [
    '{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"hello","in_reply_to":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"error","code":10,"text":"unsupported message type nope","in_reply_to":2}}',
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":{"nested":[1,"x"]},"in_reply_to":3}}',
  ]);
  equal(run.stderr.includes("malformed input line skipped"), true);
  equal(run.stderr.includes("this is not json"), true);
});

Deno.test("challenges/echo.ts exits 0 on immediate end of input", async () => {
  const run = await runNode(challengePath("echo.ts"), "");
  equal(run.code, 0);
  deepEqual(run.lines, []);
});
