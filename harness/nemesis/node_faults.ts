/**
 * Faults that take one node out for a while: the kill nemesis (`--nemesis kill`; Maelstrom v0.2.4
 * has none, its users ask for one in issue #93) crashes a node with SIGKILL and later starts it
 * again and sends `init`, as a machine reboot would; the pause nemesis (`--nemesis pause`, as
 * Jepsen's `hammer-time`) stops a node's processes with SIGSTOP and later continues them, so it
 * keeps its state but answers nothing meanwhile, as a long GC pause or a frozen VM would.
 *
 * Both follow one schedule, each from its own fork of the seeded generator (same seed, same
 * choices):
 * - the first fault fires soon: after a delay uniform in [0, interval) s (not at t≈0 like the
 *   partition nemesis's first op: a node taken out before serving anything has nothing to lose);
 * - the node stays out for a span uniform in [0.5, 1.5)·interval s: never ~0, so the fault is
 *   observable, and a mean of one interval;
 * - after it is back, the next fault waits a gap uniform in [0, 2·interval) s, as Maelstrom's
 *   partition schedule does.
 * One node is out at a time per fault kind. When the main phase ends (`signal` aborts), the span
 * is cut short and the node is brought back before the schedule resolves, so the final phase and
 * the teardown always find every node running.
 *
 * @module
 */

import type { History } from "../history.ts";
import type { EngineNodes, EngineTime } from "../engine.ts";
import type { Rng } from "../rng.ts";

/** One kind of node fault: how it starts and ends, and its names in the history. */
export interface NodeFault {
  /** The history's `:f` for the start and the end, e.g. `["kill", "restart"]`. */
  names: readonly [string, string];
  /** Whether `node` can be taken out now. */
  eligible(node: string): boolean;
  start(node: string): Promise<void>;
  end(node: string): Promise<void>;
}

/** Counts for `results.json`'s `nemesis` entry. */
export interface NodeFaultStats {
  /** Faults started and ended. */
  starts: number;
  ends: number;
  /** The nodes taken out, in order (a node may appear more than once). */
  nodes: string[];
}

/** Options of {@linkcode runNodeFaults}. */
export interface NodeFaultOptions {
  nodes: readonly string[];
  /** `--nemesis-interval`, seconds. */
  intervalS: number;
  rng: Rng;
  fault: NodeFault;
  time: Pick<EngineTime, "sleep">;
  history: History;
  /** Aborted when the main phase ends. */
  signal: AbortSignal;
  /** Updated as the nemesis goes, so a failed run still reports what happened. */
  stats?: NodeFaultStats;
}

/** Returns empty counts. */
export function emptyFaultStats(): NodeFaultStats {
  return { starts: 0, ends: 0, nodes: [] };
}

/**
 * Runs the schedule until `signal` aborts, then ends the fault it left in progress and resolves
 * with the counts.
 *
 * @throws {Error} Whatever {@linkcode NodeFault.end} throws (a node that doesn't answer `init`
 * after a restart fails the run).
 */
export async function runNodeFaults(o: NodeFaultOptions): Promise<NodeFaultStats> {
  const { rng, fault, history, signal } = o;
  const stats = o.stats ?? emptyFaultStats();
  const [startName, endName] = fault.names;
  if (!await o.time.sleep(rng.uniform(0, 1) * o.intervalS * 1000, signal)) return stats;
  while (!signal.aborted) {
    const eligible = o.nodes.filter((node) => fault.eligible(node));
    // Draw the span and the gap even when no node is eligible, so later choices don't depend on
    // timing.
    const node = eligible.length === 0 ? undefined : rng.pick(eligible);
    const spanMs = rng.uniform(0.5, 1.5) * o.intervalS * 1000;
    const gapMs = rng.uniform(0, 2) * o.intervalS * 1000;
    if (node !== undefined) {
      await fault.start(node);
      stats.starts++;
      stats.nodes.push(node);
      history.add({ type: "info", process: "nemesis", f: startName, value: node });
      await o.time.sleep(spanMs, signal);
      await fault.end(node);
      stats.ends++;
      history.add({ type: "info", process: "nemesis", f: endName, value: node });
    }
    if (!await o.time.sleep(gapMs, signal)) break;
  }
  return stats;
}

/** The kill fault on the engine's nodes: SIGKILL, then a restart and `init`. */
export function killFault(nodes: EngineNodes): NodeFault {
  return {
    names: ["kill", "restart"],
    eligible: (node) => nodes.isAlive(node),
    start: (node) => nodes.kill(node),
    end: (node) => nodes.restart(node),
  };
}

/** The pause fault on the engine's nodes: SIGSTOP, then SIGCONT. */
export function pauseFault(nodes: EngineNodes): NodeFault {
  const paused = new Set<string>();
  return {
    names: ["pause", "resume"],
    eligible: (node) => nodes.isAlive(node) && !paused.has(node),
    start: async (node) => {
      paused.add(node);
      await nodes.pause(node);
    },
    end: async (node) => {
      paused.delete(node);
      await nodes.resume(node);
    },
  };
}
