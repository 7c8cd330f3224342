/**
 * The timed phases of a run: the main phase (staggered generator ops, an optional side stream,
 * the nemesis) and the final phase (per-thread final ops after heal and a pause).
 *
 * @module
 */

import type { History } from "./history.ts";
import type { EngineTime } from "./engine.ts";
import { untilAborted } from "./real_time.ts";
import type { Rng } from "./rng.ts";
import type { OpGenerator, SideStream, Workload } from "./workloads/contract.ts";
import type { TestOptions } from "./options.ts";
import type { WorkerPool } from "./workers.ts";

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
  /**
   * The engine's time: the stagger waits with `preciseSleep` (a timer's ~1 ms overshoot would
   * halve the load at rate 1000), the side stream with `sleep`.
   */
  time: Pick<EngineTime, "now" | "sleep" | "preciseSleep">;
}

/** What the main phase did. */
export interface MainPhaseResult {
  /** Ops the staggered generator started (the side stream's are not counted). */
  ops: number;
  /** From the phase's start until its signal aborted, ms. */
  durationMs: number;
  /** Time spent waiting for a free worker after an op was due (all threads busy), ms. */
  workerWaitMs: number;
  /** Time from each op's due time to its emission beyond the worker wait (wake-up lag), ms. */
  lagMs: number;
}

/**
 * Emits generator ops until the time limit, each on a free worker, as Jepsen's `stagger`
 * (v0.3.7) under its interpreter: the first op at once, and each next op due U[0, 2/rate) s
 * after the previous op was actually emitted, which is after both its due time and a free
 * worker. Being late is never caught up, so every wake-up's lag and every wait for a worker
 * lowers the achieved rate below `rate`, as in Maelstrom (~80–90 % at rate 1000). Returns after
 * the limit; ops in flight keep running (await `pool.idle()`).
 */
export async function runMainPhase(o: MainPhaseOptions): Promise<MainPhaseResult> {
  const now = () => o.time.now();
  const start = now();
  const side = o.sideStream === undefined ? Promise.resolve() : _runSide(o, o.sideStream);
  let ops = 0;
  let workerWaitMs = 0;
  let lagMs = 0;
  if (o.rate > 0) {
    let due = start;
    for (;;) {
      const wait = due - now();
      if (wait > 0 ? !await o.time.preciseSleep(wait, o.signal) : o.signal.aborted) break;
      const woke = now();
      const thread = await o.pool.acquire(o.signal);
      if (thread === undefined) break;
      const acquired = now();
      workerWaitMs += acquired - woke;
      lagMs += Math.max(0, woke - due);
      const op = o.generator.next(thread);
      if (op === undefined) {
        o.pool.release(thread);
        break;
      }
      // Jepsen's next due time counts from here, the op's actual emission: lag is not caught up.
      const emitted = now();
      o.pool.start(thread, op);
      ops++;
      due = emitted + o.staggerRng.uniform(0, 2 / o.rate) * 1000;
    }
  }
  await untilAborted(o.signal);
  const durationMs = now() - start;
  await side;
  return { ops, durationMs, workerWaitMs, lagMs };
}

/**
 * The `stagger` section of `results.json`: what held the achieved rate below `--rate`
 * ({@linkcode MainPhaseResult}'s waits, whole ms).
 */
export function staggerFigures(result: MainPhaseResult): Record<string, number> {
  return {
    ops: result.ops,
    "duration-ms": Math.round(result.durationMs),
    "worker-wait-ms": Math.round(result.workerWaitMs),
    "lag-ms": Math.round(result.lagMs),
  };
}

/**
 * The `achieved-rate` of `results.json`: client ops the main phase's staggered generator invoked
 * (not the side stream's such as kafka's crashes, not nemesis ops, not final-phase ops) per
 * second of the main phase (its start to the time limit, or to a crash that cut it short), two
 * decimals. Maelstrom asks for `--rate`; it achieves less (see {@linkcode runMainPhase}).
 */
export function achievedRate(result: MainPhaseResult): number {
  if (result.durationMs <= 0) return 0;
  return Math.round(result.ops / (result.durationMs / 1000) * 100) / 100;
}

async function _runSide(o: MainPhaseOptions, side: SideStream): Promise<void> {
  for (;;) {
    if (!await o.time.sleep(side.nextDelayS(o.sideRng) * 1000, o.signal)) return;
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
  /** The engine's time: the phase's cut-off and the workloads' sleeps. */
  time: Pick<EngineTime, "now" | "sleep" | "deadline">;
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
  const deadline = o.time.deadline(o.cutoffMs);
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
          await o.time.sleep(ms, signal);
        },
        now: () => o.time.now(),
        signal,
        history: o.history.ops,
      }).catch((error) => console.error(`final phase of thread ${thread} failed: ${error}`))
    );
    await Promise.race([Promise.all(runs), untilAborted(signal)]);
  } finally {
    deadline.clear();
  }
}
