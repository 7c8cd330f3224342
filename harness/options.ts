/**
 * Maelstrom's `test` defaults in one place: the CLI fills unset flags from here, and tests and
 * scripts that build options in code start from here.
 *
 * @module
 */

/** Everything about a run that workloads may read. */
export interface TestOptions {
  workload: string;
  nodeCount: number;
  nodes: readonly string[];
  /** Seconds of the main phase. */
  timeLimit: number;
  /** Operations per second over all clients. */
  rate: number;
  concurrency: number;
  /** Mean latency, ms. */
  latency: number;
  latencyDist: "constant" | "uniform" | "exponential";
  nemesis: readonly string[];
  /** Seconds. */
  nemesisInterval: number;
  topology: string;
  availability: "total" | number | undefined;
  consistencyModels: readonly string[];
  maxTxnLength: number;
  maxWritesPerKey: number;
  keyCount: number | undefined;
  logStderr: boolean;
  /**
   * Make checks Maelstrom does not make fatal (`--strict`). Off by default, when the verdict is
   * Maelstrom's and such findings are only listed under a checker's `warnings`.
   */
  strict: boolean;
  /**
   * Read every written key on every node after the heal and final pause, and fail on a lost
   * acknowledged write (`--final-reads`, txn-rw-register only; a check Maelstrom does not make).
   * Unset, as by default, the workload is Maelstrom's.
   */
  finalReads?: boolean;
  seed: number;
}

/** Node ids `n0`..`n{count-1}`, as `--node-count` names them. */
export function nodeIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `n${i}`);
}

/**
 * The options of `maelstrom test -w <workload> --node-count <nodeCount>` with every other flag
 * at Maelstrom's default (60 s, rate 5, concurrency 1n, no latency or nemesis, grid topology,
 * strict-serializable, txns of up to 4 ops, 16 writes per key, Maelstrom's checks only) and seed 1.
 */
export function defaultTestOptions(workload: string, nodeCount: number): TestOptions {
  return {
    workload,
    nodeCount,
    nodes: nodeIds(nodeCount),
    timeLimit: 60,
    rate: 5,
    concurrency: nodeCount,
    latency: 0,
    latencyDist: "constant",
    nemesis: [],
    nemesisInterval: 10,
    topology: "grid",
    availability: undefined,
    consistencyModels: ["strict-serializable"],
    maxTxnLength: 4,
    maxWritesPerKey: 16,
    keyCount: undefined,
    logStderr: false,
    strict: false,
    seed: 1,
  };
}
