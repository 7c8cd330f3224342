/**
 * Shared by the end-to-end harness tests: run options for a node program in a store, a run
 * reduced to what the tests assert on, and a throwaway store.
 *
 * @module
 */

import { defaultTestOptions } from "../harness/options.ts";
import { isRecord } from "../lib/message.ts";
import { type RunOptions, runTest } from "../harness/run.ts";
import { explainRun } from "../harness/checkers/explain/mod.ts";
import type { Op } from "../harness/history.ts";

/**
 * Maelstrom's defaults ({@linkcode defaultTestOptions}) for `workload` on one node (or as many
 * as `overrides.nodes`/`nodeCount` say), run quietly from `bin` into `storeDir`; then `overrides`.
 */
export function runOptions(
  workload: string,
  bin: string,
  storeDir: string,
  overrides: Partial<RunOptions> = {},
): RunOptions {
  const count = overrides.nodes?.length ?? overrides.nodeCount ?? 1;
  return {
    ...defaultTestOptions(workload, count),
    bin,
    binArgs: [],
    storeDir,
    quiet: true,
    ...overrides,
  };
}

/** What the tests look at after a run. */
export interface Outcome {
  exitCode: number;
  /** The workload checker's result (empty when the run stopped early). */
  workload: Record<string, unknown>;
  results: Record<string, unknown>;
  storePath: string;
  /** What the report's first screen says is wrong (explainRun), one sentence each. */
  findings: string[];
}

async function _findings(results: Record<string, unknown>, storePath: string): Promise<string[]> {
  if (storePath === "") return [];
  const text = await Deno.readTextFile(`${storePath}/history.jsonl`);
  const history = text.split("\n").filter((line) => line !== "").map((line) =>
    JSON.parse(line) as Op
  );
  return explainRun(results, history).map((f) => f.text);
}

/** Runs `options` through `runTest`. */
export async function run(options: RunOptions): Promise<Outcome> {
  const { results, exitCode, storePath } = await runTest(options);
  return {
    exitCode,
    workload: isRecord(results.workload) ? results.workload : {},
    results,
    storePath,
    findings: await _findings(results, storePath),
  };
}

/** Calls `fn` with a fresh temporary directory, removed afterwards. */
export async function withStore<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
