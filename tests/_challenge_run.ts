/**
 * Test helper for the g-counter, kafka and txn challenges: runs one challenge through `runTest`
 * with Maelstrom-style flags and an env mode in a throwaway store, and pulls the figures the tests
 * judge out of the results and the history.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseCli } from "../harness/cli.ts";
import { runTest } from "../harness/run.ts";
import { isRecord } from "../lib/message.ts";
import { finalLatencies } from "../scripts/bench_details.ts";
import { rowFromResults } from "../scripts/results_table.ts";
import { withStore } from "./_harness_run.ts";

/** Options of {@linkcode runChallenge}. */
export interface ChallengeRunOptions {
  /** Environment variables for the nodes (the design mode). */
  env?: Record<string, string>;
  /** Pause before the final phase, s (Maelstrom: 10). */
  finalPauseS?: number;
  /** Reproduce Maelstrom's bugs (seq-kv's ring-buffer wrap). */
  compat?: boolean;
}

/** The figures a run is judged on. */
export interface ChallengeOutcome {
  exitCode: number;
  valid: unknown;
  workload: Record<string, unknown>;
  /** The nemesis's counts (`kills`, `restarts`, …; empty without one). */
  nemesis: Record<string, unknown>;
  /** `net.all` and `net.servers` msgs-per-op. */
  msgsPerOp: { all: number; servers: number };
  okFraction: number;
  ops: number;
  /** Latency of the final-phase ops, ms: median and max (NaN without any). */
  finalLatencyMs: { p50: number; max: number };
}

/** The absolute path of `challenges/<name>.ts`. */
export function challengeBin(name: string): string {
  return fileURLToPath(new URL(`../challenges/${name}.ts`, import.meta.url));
}

/**
 * Runs `challenge` on workload `workload` with `flags`; `options.env` reaches only the nodes, so
 * runs may overlap.
 */
export function runChallenge(
  workload: string,
  flags: readonly string[],
  options: ChallengeRunOptions = {},
): Promise<ChallengeOutcome> {
  return withStore(`${workload}-e2e-`, async (storeDir) => {
    const parsed = parseCli(
      ["test", "-w", workload, "--bin", challengeBin(workload), ...flags],
      () => 1,
    );
    const run = await runTest({
      ...parsed,
      storeDir,
      quiet: true,
      ...(options.env !== undefined ? { env: options.env } : {}),
      ...(options.finalPauseS !== undefined ? { finalPauseS: options.finalPauseS } : {}),
      ...(options.compat !== undefined ? { compat: options.compat } : {}),
    });
    // The figures as the results table reads them; NaN where a run has none.
    const row = rowFromResults(workload, run.results);
    const history = run.storePath === ""
      ? ""
      : await Deno.readTextFile(`${run.storePath}/history.jsonl`);
    return {
      exitCode: run.exitCode,
      valid: run.results.valid,
      workload: isRecord(run.results.workload) ? run.results.workload : {},
      nemesis: isRecord(run.results.nemesis) ? run.results.nemesis : {},
      msgsPerOp: { all: row.msgsPerOpAll ?? NaN, servers: row.msgsPerOpServers ?? NaN },
      okFraction: row.availability ?? NaN,
      ops: row.ops ?? NaN,
      finalLatencyMs: finalLatencies(history),
    };
  });
}
