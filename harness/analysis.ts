/**
 * Turns a finished run into Maelstrom's results map (kebab-case, as `results.edn`): each
 * checker's verdict, merged with priority false > "unknown" > true.
 *
 * @module
 */

import { pairOps } from "./history.ts";
import type { EngineNetworkFigures } from "./engine.ts";
import { availability, netStats, opStats, quantiles } from "./stats.ts";
import type { CheckResult, Workload } from "./workloads/contract.ts";
import type { Op } from "./history.ts";
import type { TestOptions } from "./options.ts";

/** Merges verdicts: any false wins, then any "unknown", else true. */
export function mergeValid(verdicts: readonly (boolean | "unknown")[]): boolean | "unknown" {
  if (verdicts.includes(false)) return false;
  if (verdicts.includes("unknown")) return "unknown";
  return true;
}

/** Runs a checker; a throw becomes `{valid: "unknown", error}`, as Jepsen's check-safe. */
export function checkSafe(check: () => CheckResult): CheckResult {
  try {
    return check();
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { valid: "unknown", error: text };
  }
}

/** Options of {@linkcode analyze}. */
export interface AnalyzeInput {
  workload: Workload;
  options: TestOptions;
  history: readonly Op[];
  network: EngineNetworkFigures;
}

/**
 * Client op latencies in ms (invoke to `ok`, two decimals), as the quantile map of
 * {@linkcode quantiles}. Not a checker: the benchmarks read it for workloads without
 * broadcast's stable latencies. Ops are paired by {@linkcode pairOps}.
 */
export function opLatencies(history: readonly Op[]): ReturnType<typeof quantiles> {
  const latencies: number[] = [];
  for (const { invoke, complete } of pairOps(history)) {
    if (complete?.type === "ok") {
      latencies.push(Math.round((complete.time - invoke.time) / 1e4) / 100);
    }
  }
  return quantiles(latencies);
}

/**
 * The results map: `valid`, `workload`, `net`, `availability`, `stats`, `exceptions`, and
 * `op-latencies` (see {@linkcode opLatencies}).
 */
export function analyze(
  input: AnalyzeInput,
): Record<string, unknown> & { valid: boolean | "unknown" } {
  const { workload, options, history, network } = input;
  const workloadResult = checkSafe(() => workload.check(history, options));
  const stats = checkSafe(() => opStats(history, workload.statsIgnore));
  const avail = checkSafe(() => availability(history, options.availability));
  const net = checkSafe(() => {
    const observed = network.latencyObserved();
    return {
      ...netStats(network.journal, history),
      "latency-observed": {
        count: observed.count,
        mean: Math.round(observed.mean * 100) / 100,
        min: Math.round(observed.min * 100) / 100,
        max: Math.round(observed.max * 100) / 100,
      },
      "node-reply-turnaround": network.replyTurnaround(),
      valid: true,
    };
  });
  const exceptions = history.filter((op) => op.exception !== undefined);
  const checkers = { workload: workloadResult, net, availability: avail, stats };
  return {
    valid: mergeValid(Object.values(checkers).map((c) => c.valid)),
    ...checkers,
    exceptions: { valid: true, count: exceptions.length, exceptions },
    "op-latencies": opLatencies(history),
  };
}
