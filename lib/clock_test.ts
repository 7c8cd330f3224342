import { deepEqual, equal } from "node:assert/strict";
import { realClock, VirtualClock } from "./clock.ts";

Deno.test("VirtualClock.advance() fires due timers in time order, ties in scheduling order", async () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
  clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
  clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
  clock.setTimeout(() => fired.push("late"), 31);
  await clock.advance(30);
  deepEqual(fired, ["a@10", "b@20", "c@20"]);
  equal(clock.now(), 30);
  equal(clock.pending, 1);
  await clock.advance(1);
  deepEqual(fired.at(-1), "late");
});

Deno.test("VirtualClock.advance() fires timers scheduled by timers inside the window", async () => {
  const clock = new VirtualClock(100);
  const fired: number[] = [];
  clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 5), 5);
  await clock.advance(10);
  deepEqual(fired, [110]);
});

Deno.test("VirtualClock.setTimeout() returns a cancel that is safe to call twice", async () => {
  const clock = new VirtualClock();
  let fired = false;
  const cancel = clock.setTimeout(() => fired = true, 1);
  cancel();
  cancel();
  await clock.advance(5);
  equal(fired, false);
  equal(clock.pending, 0);
});

Deno.test("realClock.setTimeout() cancel clears the real timer", () => {
  const cancel = realClock.setTimeout(() => {
    throw new Error("must not fire");
  }, 10_000);
  cancel();
  equal(typeof realClock.now(), "number");
});

Deno.test("VirtualClock.advanceSync() fires due timers in order without a turn of the event loop", () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimeout(() => {
    fired.push(`a@${clock.now()}`);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
  }, 10);
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 12);
  const cancel = clock.setTimeout(() => fired.push("never"), 11);
  cancel();
  let settled = false;
  Promise.resolve().then(() => settled = true);
  clock.advanceSync(20);
  deepEqual(fired, ["a@10", "b@12", "c@15"]);
  equal(clock.now(), 20);
  equal(settled, false);
});
