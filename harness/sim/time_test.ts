import { deepEqual, equal } from "node:assert/strict";
import { SimTime } from "./time.ts";

Deno.test("SimTime.fireNext() fires in due order, ties in the order set, and moves now()", () => {
  const time = new SimTime();
  const fired: string[] = [];
  time.setTimeout(() => fired.push("b"), 20);
  time.setTimeout(() => fired.push("a"), 10);
  time.setTimeout(() => fired.push("c"), 20);
  const cancel = time.setTimeout(() => fired.push("cancelled"), 5);
  cancel();
  while (time.fireNext());
  deepEqual(fired, ["a", "b", "c"]);
  equal(time.now(), 20);
  equal(time.pending, 0);
});

Deno.test("SimTime.drive() moves time only once pending work has settled", async () => {
  const time = new SimTime();
  const seen: number[] = [];
  const driver = time.drive();
  const worker = async () => {
    for (let i = 0; i < 3; i++) {
      // A chain of promise callbacks between sleeps: time must not move during it.
      for (let j = 0; j < 100; j++) await null;
      seen.push(time.now());
      await time.sleep(100, new AbortController().signal);
    }
  };
  await worker();
  const limit = time.deadline(50);
  equal(await time.sleep(1000, limit.signal), false);
  equal(time.now(), 350);
  await driver.stop();
  deepEqual(seen, [0, 100, 200]);
});
