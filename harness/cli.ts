/**
 * `deno task harness test -w WORKLOAD --bin PATH [flags] [-- args for the binary]`: Maelstrom's
 * `test` command with its flag names and defaults, plus `--seed`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { defaultTestOptions, nodeIds, type TestOptions } from "./options.ts";
import { type RunOptions, runTest } from "./run.ts";
import { UsageError } from "./usage_error.ts";

/**
 * How the user started the harness, for the usage text: `deno task harness`, or what a launcher
 * says in `MAELSTROM_HARNESS_COMMAND` (the npm package's: `npx maelstrom-harness`).
 */
const _COMMAND = Deno.env.get("MAELSTROM_HARNESS_COMMAND") || "deno task harness";

/** The usage text printed after a bad flag. */
export const USAGE =
  `Usage: ${_COMMAND} test -w WORKLOAD --bin PATH [flags] [-- args for the binary]

  -w, --workload NAME        echo, unique-ids, broadcast, g-counter, pn-counter, g-set, kafka,
                             lin-kv, txn-rw-register, txn-list-append (lin-kv)
  --bin PATH                 node program: an executable, or a .ts/.js file (run with Deno)
  --node-count N             nodes n0..n{N-1} (overrides --nodes)
  --nodes LIST               comma list of node ids (default: n1,n2,n3,n4,n5)
  --time-limit S             main phase seconds (60)
  --rate R                   ops/s over all clients (5)
  --concurrency K|Kn         worker threads (1n = one per node)
  --latency MS               mean node link latency (0)
  --latency-dist D           constant | uniform | exponential (constant)
  --nemesis LIST             comma list: partition, kill (SIGKILL a node, restart, init again),
                             pause (SIGSTOP a node, SIGCONT later)
  --nemesis-interval S       mean seconds between nemesis ops (10)
  --topology T               line, grid, tree, tree2, tree3, tree4, total (grid)
  --availability A           total, or a fraction in [0, 1]
  --consistency-models LIST  comma list (strict-serializable)
  --max-txn-length N         (4)
  --max-writes-per-key N     (16)
  --key-count N
  --log-stderr               copy node stderr to the console
  --log-net-send             print every message as it is sent (stderr)
  --log-net-recv             print every message as it is delivered (stderr)
  --test-count N             run the test N times (seeds seed, seed+1, …), stopping at the first
                             run that is not valid (1)
  --seed N                   seed of the run's generator (default: random, printed)
  --store DIR                store root (store)
  --compat                   reproduce Maelstrom's bugs (silenced nodes, seq-kv wrap)
  --strict                   fail on checks Maelstrom does not make (by default only warnings)
  --final-reads              txn-rw-register, beyond Maelstrom: after the heal and final pause,
                             read every written key on every node; a read older than the last
                             acknowledged write (lost-write) fails the run

deno task harness serve [--store DIR] [--port N]: the store's web UI (as deno task serve)`;

export { UsageError } from "./usage_error.ts";

function _number(
  flag: string,
  text: string | undefined,
  fallback: number,
  integer = false,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${flag} expects ${integer ? "an integer" : "a number"}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** Parses `--concurrency`: an integer, or `Kn` meaning K × node count. */
export function parseConcurrency(text: string, nodeCount: number): number {
  const match = /^(\d+)(n?)$/.exec(text.trim());
  if (match === null) {
    throw new UsageError(`--concurrency expects an integer or Kn, got ${JSON.stringify(text)}`);
  }
  const k = Number(match[1]);
  const value = match[2] === "n" ? k * nodeCount : k;
  if (value < 1) throw new UsageError("--concurrency must be at least 1");
  return value;
}

function _list(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Flags that take a value, whose value may look like a flag (`--rate -5`). */
const _VALUE_FLAGS = new Set([
  "--node-count",
  "--time-limit",
  "--rate",
  "--concurrency",
  "--latency",
  "--nemesis-interval",
  "--availability",
  "--max-txn-length",
  "--max-writes-per-key",
  "--key-count",
  "--seed",
]);

/** Joins `--rate -5` into `--rate=-5`, so a negative number reaches validation, not parseArgs. */
function _joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (_VALUE_FLAGS.has(arg) && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** The flags `test` takes (Maelstrom's, and ours beyond it), for `parseArgs`. */
const _FLAGS = {
  workload: { type: "string", short: "w" },
  bin: { type: "string" },
  "node-count": { type: "string" },
  "time-limit": { type: "string" },
  rate: { type: "string" },
  concurrency: { type: "string" },
  latency: { type: "string" },
  "latency-dist": { type: "string" },
  nemesis: { type: "string" },
  "nemesis-interval": { type: "string" },
  topology: { type: "string" },
  availability: { type: "string" },
  "consistency-models": { type: "string" },
  "max-txn-length": { type: "string" },
  "max-writes-per-key": { type: "string" },
  "key-count": { type: "string" },
  "log-stderr": { type: "boolean" },
  seed: { type: "string" },
  store: { type: "string" },
  compat: { type: "boolean" },
  strict: { type: "boolean" },
  "final-reads": { type: "boolean" },
  nodes: { type: "string" },
  "log-net-send": { type: "boolean" },
  "log-net-recv": { type: "boolean" },
  "test-count": { type: "string" },
} as const;

/**
 * The node ids: Maelstrom runs `--nodes`, by default n1..n5, unless `--node-count` says n0..n{N-1}.
 */
function _nodes(count: string | undefined, named: string | undefined): string[] {
  if (count !== undefined) {
    const n = _number("node-count", count, 0, true);
    if (n < 1) throw new UsageError("--node-count must be at least 1");
    return nodeIds(n);
  }
  const ids = _list(named);
  if (named !== undefined && ids.length === 0) throw new UsageError("--nodes names no node");
  return ids.length > 0 ? ids : ["n1", "n2", "n3", "n4", "n5"];
}

/** Turns argv into run options; throws {@linkcode UsageError}. */
export function parseCli(argv: readonly string[], randomSeed: () => number): RunOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: _joinNegativeValues(argv),
      strict: true,
      allowPositionals: true,
      options: _FLAGS,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values: v, positionals } = parsed;
  if (positionals[0] !== "test") {
    throw new UsageError(
      `Expected the "test" command, got ${JSON.stringify(positionals[0] ?? "")}`,
    );
  }
  if (v.bin === undefined) throw new UsageError("--bin is required");
  const workload = v.workload ?? "lin-kv";
  const nodes = _nodes(v["node-count"], v.nodes);
  const d = defaultTestOptions(workload, nodes.length);
  // Ranges and names are checked in one place, validateOptions (options.ts), which runTest calls.
  const latencyDist = (v["latency-dist"] ?? d.latencyDist) as TestOptions["latencyDist"];
  const nemesis = _list(v.nemesis);
  const availability = v.availability === undefined || v.availability === "total"
    ? v.availability
    : _number("availability", v.availability, 0);
  const seed = _number("seed", v.seed, randomSeed(), true);
  const models = _list(v["consistency-models"]);
  return {
    ...d,
    nodes,
    timeLimit: _number("time-limit", v["time-limit"], d.timeLimit),
    rate: _number("rate", v.rate, d.rate),
    concurrency: v.concurrency === undefined
      ? d.concurrency
      : parseConcurrency(v.concurrency, nodes.length),
    latency: _number("latency", v.latency, d.latency),
    latencyDist,
    nemesis,
    nemesisInterval: _number("nemesis-interval", v["nemesis-interval"], d.nemesisInterval),
    topology: v.topology ?? d.topology,
    availability,
    consistencyModels: models.length === 0 ? d.consistencyModels : models,
    maxTxnLength: _number("max-txn-length", v["max-txn-length"], d.maxTxnLength, true),
    maxWritesPerKey: _number(
      "max-writes-per-key",
      v["max-writes-per-key"],
      d.maxWritesPerKey,
      true,
    ),
    keyCount: v["key-count"] === undefined
      ? d.keyCount
      : _number("key-count", v["key-count"], 0, true),
    logStderr: v["log-stderr"] ?? d.logStderr,
    strict: v.strict ?? d.strict,
    seed,
    bin: v.bin,
    binArgs: positionals.slice(1),
    ...(v.store === undefined ? {} : { storeDir: v.store }),
    ...(v.compat === true ? { compat: true } : {}),
    ...(v["final-reads"] === true ? { finalReads: true } : {}),
    ...(v["log-net-send"] === true ? { logNetSend: true } : {}),
    ...(v["log-net-recv"] === true ? { logNetRecv: true } : {}),
    testCount: _number("test-count", v["test-count"], 1, true),
  };
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "serve") {
    // Loaded on demand: the web UI's modules are no part of a test run.
    const { serveMain } = await import("./serve/cli.ts");
    return await serveMain(argv.slice(1));
  }
  let options: RunOptions;
  try {
    options = parseCli(argv, () => crypto.getRandomValues(new Uint32Array(1))[0] as number);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const count = options.testCount ?? 1;
  if (!(count >= 1)) {
    console.error(`error: --test-count must be at least 1\n\n${USAGE}`);
    return 2;
  }
  try {
    for (let i = 0; i < count; i++) {
      const seed = options.seed + i;
      console.error(count > 1 ? `test ${i + 1} of ${count}, seed: ${seed}` : `seed: ${seed}`);
      const { exitCode, storePath, results } = await runTest({ ...options, seed });
      // Bad options are caught before anything is created: show how to use the flags.
      if (storePath === "" && typeof results.error === "string") console.error(`\n${USAGE}`);
      if (exitCode !== 0) {
        if (count > 1) {
          console.error(`test ${i + 1} of ${count} (seed ${seed}) is not valid: stopping`);
        }
        return exitCode;
      }
    }
    if (count > 1) console.error(`all ${count} tests valid`);
    return 0;
  } catch (error) {
    // Exit 1 means an invalid verdict only; anything the harness did not expect is a failure.
    console.error(`HARNESS FAILURE: ${error instanceof Error ? error.stack : error}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
