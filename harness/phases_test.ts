import assert from "node:assert/strict";
import { deadlineSignal, runMainPhase } from "./phases.ts";
import { createRng } from "./rng.ts";
import type { Invocation } from "./types.ts";

/** A pool whose one thread is always free (ops finish at once), counting the ops started. */
function _instantPool() {
  const started: Invocation[] = [];
  return {
    started,
    acquire: (signal: AbortSignal) => Promise.resolve(signal.aborted ? undefined : 0),
    release: () => {},
    start: (_thread: number, op: Invocation) => {
      started.push(op);
    },
  };
}

Deno.test("runMainPhase() keeps up with --rate 4000 for 0.5 s (no timer per op)", async () => {
  const pool = _instantPool();
  const deadline = deadlineSignal(500);
  try {
    await runMainPhase({
      pool,
      generator: { next: () => ({ f: "read", value: null }) },
      sideStream: undefined,
      sideRng: createRng(1),
      staggerRng: createRng(2),
      rate: 4000,
      signal: deadline.signal,
    });
  } finally {
    deadline.clear();
  }
  // The schedule holds ~2000 ops; a timer per op reached ~230. Generous bounds for a busy host:
  // well over 1000, and never far ahead of the schedule.
  const count = pool.started.length;
  assert.ok(count > 1000 && count < 2600, `started ${count} ops`);
});

Deno.test("runMainPhase() stops when the generator is exhausted", async () => {
  const pool = _instantPool();
  let left = 3;
  const deadline = deadlineSignal(50);
  try {
    await runMainPhase({
      pool,
      generator: { next: () => left-- > 0 ? { f: "read", value: null } : undefined },
      sideStream: undefined,
      sideRng: createRng(1),
      staggerRng: createRng(2),
      rate: 1e6,
      signal: deadline.signal,
    });
  } finally {
    deadline.clear();
  }
  assert.deepEqual(pool.started.map((op) => op.f), ["read", "read", "read"]);
});
