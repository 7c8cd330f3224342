/**
 * The kill nemesis (`--nemesis kill`; Maelstrom has none, its users ask for one in issue #93):
 * crash a node process with SIGKILL, leave it dead for a while, start it again and send `init`
 * again, as a machine reboot would.
 *
 * Schedule, from its own fork of the seeded generator (same seed, same choices):
 * - the first kill fires soon: after a delay uniform in [0, interval) s (not at t≈0 like the
 *   partition nemesis's first op: a node killed before serving anything has no state to lose);
 * - a killed node stays dead for a pause uniform in [0.5, 1.5)·interval s: never ~0, so the death
 *   is observable, and a mean of one interval;
 * - after the restart, the next kill waits a gap uniform in [0, 2·interval) s, as Maelstrom's
 *   partition schedule does.
 * One node is dead at a time. When the main phase ends (`signal` aborts), a pause is cut short and
 * the dead node is restarted before {@linkcode runKillNemesis} resolves, so the final phase and
 * the teardown always find every node alive.
 *
 * @module
 */

import type { History } from "../history.ts";
import type { EngineNodes, EngineTime } from "../engine.ts";
import type { Rng } from "../rng.ts";

/** What the kill nemesis acts on: the engine's nodes (a fake in unit tests). */
export type KillTarget = EngineNodes;

/** Counts for `results.json`'s `nemesis` entry. */
export interface KillStats {
  kills: number;
  restarts: number;
  /** The killed nodes, in kill order (a node may appear more than once). */
  killed: string[];
}

/** Options of {@linkcode runKillNemesis}. */
export interface KillNemesisOptions {
  nodes: readonly string[];
  /** `--nemesis-interval`, seconds. */
  intervalS: number;
  rng: Rng;
  target: KillTarget;
  time: Pick<EngineTime, "sleep">;
  history: History;
  /** Aborted when the main phase ends. */
  signal: AbortSignal;
  /** Updated as the nemesis goes, so a failed run still reports what happened. */
  stats?: KillStats;
}

/** Returns empty counts. */
export function emptyKillStats(): KillStats {
  return { kills: 0, restarts: 0, killed: [] };
}

/**
 * Runs the kill schedule until `signal` aborts, then restarts the node it left dead and
 * resolves with the counts.
 *
 * @throws {Error} Whatever {@linkcode KillTarget.restart} throws (a node that doesn't answer
 * `init` after a restart fails the run).
 */
export async function runKillNemesis(o: KillNemesisOptions): Promise<KillStats> {
  const { rng, target, history, signal } = o;
  const stats = o.stats ?? emptyKillStats();
  if (!await o.time.sleep(rng.uniform(0, 1) * o.intervalS * 1000, signal)) return stats;
  while (!signal.aborted) {
    const live = o.nodes.filter((node) => target.isAlive(node));
    // Draw the pause and the gap even when no node is live, so later choices don't depend on
    // timing.
    const node = live.length === 0 ? undefined : rng.pick(live);
    const pauseMs = rng.uniform(0.5, 1.5) * o.intervalS * 1000;
    const gapMs = rng.uniform(0, 2) * o.intervalS * 1000;
    if (node !== undefined) {
      await target.kill(node);
      stats.kills++;
      stats.killed.push(node);
      history.add({ type: "info", process: "nemesis", f: "kill", value: node });
      await o.time.sleep(pauseMs, signal);
      await target.restart(node);
      stats.restarts++;
      history.add({ type: "info", process: "nemesis", f: "restart", value: node });
    }
    if (!await o.time.sleep(gapMs, signal)) break;
  }
  return stats;
}
