import assert from "node:assert/strict";
import { PreciseSleeper } from "./precise_sleep.ts";

Deno.test("PreciseSleeper.sleep() waits at least a fraction of a millisecond it is asked for", async () => {
  // How close to 0.2 ms it wakes (about 0.45 ms here) is a figure for a benchmark, not a test:
  // under a loaded suite any wake-up can be late. A sleep is never early.
  using sleeper = new PreciseSleeper();
  await sleeper.ready();
  const never = new AbortController().signal;
  for (let i = 0; i < 21; i++) {
    const start = performance.now();
    assert.equal(await sleeper.sleep(0.2, never), true);
    assert.ok(performance.now() - start >= 0.2);
  }
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
  assert.ok(performance.now() - start < 2_000, "abort did not end the 10 s sleep");
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
