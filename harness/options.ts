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
  /** Print every message sent (`--log-net-send`) or delivered (`--log-net-recv`) to stderr. */
  logNetSend?: boolean;
  logNetRecv?: boolean;
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

/** The faults `--nemesis` accepts. */
export const NEMESES: readonly string[] = ["partition", "kill", "pause"];

/**
 * Checks every option's range, the one place that does (the CLI only parses syntax, and
 * `runTest` calls this before creating anything).
 *
 * @throws {RangeError} Naming the flag and what it must be.
 */
export function validateOptions(o: TestOptions): void {
  const fail = (flag: string, why: string) => {
    throw new RangeError(`--${flag} ${why}`);
  };
  if (o.nodes.length === 0) fail("node-count", "must be at least 1");
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) {
    fail("concurrency", "must be a positive integer");
  }
  if (!(o.timeLimit > 0)) fail("time-limit", "must be positive");
  if (!(o.rate >= 0) || !Number.isFinite(o.rate)) fail("rate", "must be a number >= 0");
  if (!(o.latency >= 0) || !Number.isFinite(o.latency)) fail("latency", "must be a number >= 0");
  if (o.keyCount !== undefined && (!Number.isInteger(o.keyCount) || o.keyCount < 1)) {
    fail("key-count", "must be a positive integer");
  }
  if (!Number.isInteger(o.maxTxnLength) || o.maxTxnLength < 1) {
    fail("max-txn-length", "must be a positive integer");
  }
  if (!Number.isInteger(o.maxWritesPerKey) || o.maxWritesPerKey < 1) {
    fail("max-writes-per-key", "must be a positive integer");
  }
  if (!["constant", "uniform", "exponential"].includes(o.latencyDist)) {
    fail("latency-dist", "must be constant, uniform or exponential");
  }
  if (!(o.nemesisInterval > 0)) fail("nemesis-interval", "must be positive");
  if (o.finalReads === true && o.workload !== "txn-rw-register") {
    fail("final-reads", "applies to -w txn-rw-register only");
  }
  for (const n of o.nemesis) {
    if (!NEMESES.includes(n)) {
      fail("nemesis", `has no fault ${JSON.stringify(n)} (known: ${NEMESES.join(", ")})`);
    }
  }
  if (
    typeof o.availability === "number" && !(o.availability >= 0 && o.availability <= 1)
  ) {
    fail("availability", "must be total or in [0, 1]");
  }
}
