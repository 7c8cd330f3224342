import assert from "node:assert/strict";
import { PreciseSleeper } from "./precise_sleep.ts";

Deno.test("PreciseSleeper.sleep() waits a fraction of a millisecond, under a timer's 1 ms", async () => {
  using sleeper = new PreciseSleeper();
  await sleeper.ready();
  const never = new AbortController().signal;
  const took: number[] = [];
  for (let i = 0; i < 21; i++) {
    const start = performance.now();
    assert.equal(await sleeper.sleep(0.2, never), true);
    took.push(performance.now() - start);
  }
  // The median shrugs off a busy host's odd late wake-up; here it is about 0.45 ms.
  const median = took.sort((a, b) => a - b)[10] ?? Infinity;
  assert.ok(median >= 0.2 && median < 1, `median sleep ${median.toFixed(3)} ms`);
});

Deno.test("PreciseSleeper.sleep() spans several worker slices for a longer wait", async () => {
  using sleeper = new PreciseSleeper();
  const start = performance.now();
  assert.equal(await sleeper.sleep(12, new AbortController().signal), true);
  assert.ok(performance.now() - start >= 12);
});

Deno.test("PreciseSleeper.sleep() returns false promptly on abort, and the sleeper stays usable", async () => {
  using sleeper = new PreciseSleeper();
  await sleeper.ready();
  const controller = new AbortController();
  const start = performance.now();
  const slept = sleeper.sleep(10_000, controller.signal);
  queueMicrotask(() => controller.abort());
  assert.equal(await slept, false);
  assert.ok(performance.now() - start < 50, "abort was not prompt");
  assert.equal(await sleeper.sleep(5_000, controller.signal), false);
  // The worker is free again within one slice.
  assert.equal(await sleeper.sleep(1, new AbortController().signal), true);
});

Deno.test("PreciseSleeper.close() ends a sleep in progress and refuses later ones", async () => {
  const sleeper = new PreciseSleeper();
  const never = new AbortController().signal;
  const slept = sleeper.sleep(10_000, never);
  sleeper.close();
  assert.equal(await slept, false);
  assert.equal(await sleeper.sleep(1, never), false);
  assert.equal(await sleeper.sleep(0, never), false);
});
