/**
 * Shared by tests that judge a workload on the simulator: one simulated run of `factory`'s nodes
 * into a temporary store (removed afterwards), from Maelstrom's defaults plus `options`.
 *
 * @module
 */

import { defaultTestOptions } from "../options.ts";
import { type RunOptions, type RunResult, runTest } from "../run.ts";
import { type NodeFactory, simEngine } from "./engine.ts";

/** Simulates `workload` on `nodeCount` nodes built by `factory` (seed 1 unless `options` says). */
export async function simulate(
  workload: string,
  factory: NodeFactory,
  nodeCount: number,
  options: Partial<RunOptions> = {},
): Promise<RunResult> {
  const storeDir = await Deno.makeTempDir({ prefix: `${workload}-` });
  try {
    return await runTest({
      ...defaultTestOptions(workload, nodeCount),
      seed: 1,
      bin: "sim",
      binArgs: [],
      storeDir,
      quiet: true,
      engine: simEngine(factory),
      ...options,
    });
  } finally {
    await Deno.remove(storeDir, { recursive: true });
  }
}
