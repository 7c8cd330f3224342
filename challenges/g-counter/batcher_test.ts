import { deepEqual, rejects } from "node:assert/strict";
import { Batcher } from "./batcher.ts";

Deno.test("Batcher.submit() runs one flush at a time and batches items queued behind it", async () => {
  const flushed: number[][] = [];
  let release = () => {};
  const b = new Batcher<number>((items) => {
    flushed.push(items);
    return flushed.length === 1 ? new Promise<void>((r) => release = r) : Promise.resolve();
  });
  const first = b.submit(1);
  const rest = [b.submit(2), b.submit(3)];
  deepEqual(flushed, [[1]]);
  release();
  await Promise.all([first, ...rest]);
  deepEqual(flushed, [[1], [2, 3]]);
});

Deno.test("Batcher.submit() rejects every caller of a failed batch and keeps going", async () => {
  let fail = true;
  const b = new Batcher<number>(() => fail ? Promise.reject(new Error("boom")) : Promise.resolve());
  await rejects(() => b.submit(1), { message: "boom" });
  fail = false;
  await b.submit(2);
});
