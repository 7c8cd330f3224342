/**
 * The timed phases of a run: the main phase (staggered generator ops, an optional side stream,
 * the nemesis) and the final phase (per-thread final ops after heal and a pause).
 *
 * @module
 */

import { setTimeout as sleepMs } from "node:timers/promises";
import type { History } from "./history.ts";
import type { Rng } from "./rng.ts";
import type { OpGenerator, SideStream, TestOptions, Workload } from "./types.ts";
import type { WorkerPool } from "./workers.ts";

/** Sleeps `ms`; resolves false instead of throwing when `signal` aborts. */
export async function sleepUnless(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleepMs(Math.max(0, ms), undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Resolves when `signal` aborts. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}

/** An AbortController that aborts itself after `ms`; call `clear()` when done. */
export function deadlineSignal(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Options of {@linkcode runMainPhase}. */
export interface MainPhaseOptions {
  /** The worker pool; only what the main phase uses, so tests can stand in for it. */
  pool: Pick<WorkerPool, "acquire" | "release" | "start">;
  generator: OpGenerator;
  sideStream: SideStream | undefined;
  sideRng: Rng;
  /** Draws the stagger gaps. */
  staggerRng: Rng;
  rate: number;
  /** Aborted at the time limit. */
  signal: AbortSignal;
}

/**
 * Emits generator ops until the time limit: the first at once, then gaps uniform in
 * [0, 2/rate) s over all threads (lagging behind catches up), each on a free worker. Returns
 * after the limit; ops in flight keep running (await `pool.idle()`).
 */
export async function runMainPhase(o: MainPhaseOptions): Promise<void> {
  const side = o.sideStream === undefined ? Promise.resolve() : _runSide(o, o.sideStream);
  if (o.rate > 0) {
    let next = performance.now();
    for (;;) {
      // Sleep only when ahead of the schedule: a timer per op caps the loop at a few hundred
      // ops/s, while the schedule is absolute, so a late op simply goes at once (as Jepsen's
      // stagger does) and the loop catches up.
      const wait = next - performance.now();
      if (wait > 0 ? !await sleepUnless(wait, o.signal) : o.signal.aborted) break;
      const thread = await o.pool.acquire(o.signal);
      if (thread === undefined) break;
      const op = o.generator.next(thread);
      if (op === undefined) {
        o.pool.release(thread);
        break;
      }
      o.pool.start(thread, op);
      next += o.staggerRng.uniform(0, 2 / o.rate) * 1000;
    }
  }
  await untilAborted(o.signal);
  await side;
}

async function _runSide(o: MainPhaseOptions, side: SideStream): Promise<void> {
  for (;;) {
    if (!await sleepUnless(side.nextDelayS(o.sideRng) * 1000, o.signal)) return;
    const thread = await o.pool.acquire(o.signal);
    if (thread === undefined) return;
    o.pool.start(thread, side.next(thread));
  }
}

/** Options of {@linkcode runFinalPhase}. */
export interface FinalPhaseOptions {
  /** The worker pool; only what the final phase uses, so tests can stand in for it. */
  pool: Pick<WorkerPool, "perform">;
  workload: Workload;
  options: TestOptions;
  history: History;
  /** One generator per thread, forked in thread order. */
  rngs: readonly Rng[];
  /** Draws the order the threads start in. */
  orderRng: Rng;
  /** Cut-off for the whole phase, ms. */
  cutoffMs: number;
}

/**
 * Runs `workload.final` on every thread concurrently, cut off after `cutoffMs`. The threads start
 * back to back in a random order drawn from `orderRng`: in Jepsen every thread's first final op
 * is ready at the same instant, and `soonest-op-map` breaks such ties at random, so the
 * interpreter dispatches them one after another in a uniformly random order. A fixed order would
 * matter: set-full lets a later final read excuse an earlier one, so the first thread's node
 * could lose data unseen.
 */
export async function runFinalPhase(o: FinalPhaseOptions): Promise<void> {
  const final = o.workload.final;
  if (final === undefined) return;
  const deadline = deadlineSignal(o.cutoffMs);
  const signal = deadline.signal;
  try {
    // Each `final` invokes its first op before its first await, so the history's invocations
    // follow this order.
    const order = o.orderRng.shuffle(o.rngs.map((rng, thread) => ({ rng, thread })));
    const runs = order.map(({ rng, thread }) =>
      final.call(o.workload, {
        thread,
        options: o.options,
        rng,
        invoke: (op) => o.pool.perform(thread, op),
        sleep: async (ms) => {
          await sleepUnless(ms, signal);
        },
        signal,
        history: o.history.ops,
      }).catch((error) => console.error(`final phase of thread ${thread} failed: ${error}`))
    );
    await Promise.race([Promise.all(runs), untilAborted(signal)]);
  } finally {
    deadline.clear();
  }
}
