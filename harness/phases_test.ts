import assert from "node:assert/strict";
import { History } from "./history.ts";
import { deadlineSignal, runFinalPhase, runMainPhase } from "./phases.ts";
import { defaultTestOptions } from "./options.ts";
import { createRng } from "./rng.ts";
import type { Invocation } from "./types.ts";
import { broadcastWorkload } from "./workloads/broadcast.ts";

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

/** The threads in the order `runFinalPhase()` invoked their broadcast final reads, under `seed`. */
async function _finalOrder(seed: number, threads: number): Promise<number[]> {
  const invoked: number[] = [];
  await runFinalPhase({
    pool: {
      perform: (thread) => {
        invoked.push(thread);
        return Promise.resolve({ type: "ok", value: [] });
      },
    },
    workload: broadcastWorkload,
    options: defaultTestOptions("broadcast", threads),
    history: new History(),
    rngs: Array.from({ length: threads }, (_, t) => createRng(t)),
    orderRng: createRng(seed),
    cutoffMs: 1000,
  });
  return invoked;
}

Deno.test("runFinalPhase() starts every thread once, in a seeded random order", async () => {
  const firsts = new Set<number>();
  for (let seed = 1; seed <= 40; seed++) {
    const order = await _finalOrder(seed, 5);
    assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4]);
    assert.deepEqual(await _finalOrder(seed, 5), order, `seed ${seed} replays`);
    firsts.add(order[0] as number);
  }
  // Jepsen breaks the tie between ready threads at random: each thread is sometimes first.
  assert.deepEqual([...firsts].sort(), [0, 1, 2, 3, 4]);
});
