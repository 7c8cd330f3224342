/**
 * Benchmarks `challenges/g-counter.ts` (both modes) and `challenges/kafka.ts` (5a, 5b, 5c) at
 * their official configurations, one run at a time through `runTest`, and prints a markdown
 * table of our figures beside the published ones.
 *
 * Usage: `deno run -A scripts/bench_counter_kafka.ts [--seeds 1,2,3] [--time-limit 20]
 * [--only counter-seq-kv,counter-crdt,5a,5b,5c] [--store store]`. Exits 1 when a run is invalid.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { OFFICIAL_RUNS, withTimeLimit } from "./official.ts";
import { type ChallengeOutcome, runChallenge } from "../tests/_challenge_run.ts";

/** One benchmark configuration. */
interface _Config {
  name: string;
  workload: string;
  flags: readonly string[];
  env: Record<string, string>;
  /** What others published for the same configuration, for the table. */
  published: string;
}

function _official(name: string): readonly string[] {
  const run = OFFICIAL_RUNS.find((r) => r.name === name);
  if (run === undefined) throw new RangeError(`No official run ${name}`);
  return run.flags ?? [];
}

const CONFIGS: readonly _Config[] = [
  {
    name: "counter-seq-kv",
    workload: "g-counter",
    flags: _official("4"),
    env: { COUNTER_MODE: "seq-kv" },
    published: "valid (published seq-kv solutions are flaky under staleness)",
  },
  {
    name: "counter-crdt",
    workload: "g-counter",
    flags: _official("4"),
    env: { COUNTER_MODE: "crdt" },
    published: "—",
  },
  { name: "5a", workload: "kafka", flags: _official("5a"), env: {}, published: "valid" },
  {
    name: "5b",
    workload: "kafka",
    flags: _official("5b"),
    env: { KAFKA_MODE: "lin-kv" },
    published: "valid",
  },
  {
    name: "5c",
    workload: "kafka",
    flags: _official("5c"),
    env: {},
    published: "seed solution 7.19 all / 4.73 servers; best 2.3 all, availability 0.99915",
  },
];

function _fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "—";
}

/** One table row for a finished run. */
export function formatRow(name: string, seed: number, o: ChallengeOutcome, published: string) {
  return `| ${name} | ${seed} | ${o.valid} | ${o.ops} | ${_fmt(o.msgsPerOp.all)} | ` +
    `${_fmt(o.msgsPerOp.servers)} | ${_fmt(o.okFraction, 5)} | ${
      _fmt(o.finalLatencyMs.p50, 1)
    } / ` +
    `${_fmt(o.finalLatencyMs.max, 1)} | ${published} |`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seeds: { type: "string", default: "1" },
      "time-limit": { type: "string" },
      only: { type: "string" },
      store: { type: "string", default: "store" },
    },
  });
  const seeds = values.seeds.split(",").map(Number);
  const only = values.only?.split(",");
  let failed = false;
  console.log(
    "| run | seed | valid | ops | msgs/op all | msgs/op servers | ok-fraction | final op ms p50 / max | published |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const config of CONFIGS) {
    if (only !== undefined && !only.includes(config.name)) continue;
    for (const seed of seeds) {
      let flags = [...config.flags, "--seed", String(seed)];
      if (values["time-limit"] !== undefined) {
        flags = withTimeLimit(flags, Number(values["time-limit"]));
      }
      const outcome = await runChallenge(config.workload, flags, {
        env: config.env,
        storeDir: values.store,
      });
      if (outcome.valid !== true) failed = true;
      console.log(formatRow(config.name, seed, outcome, config.published));
    }
  }
  if (failed) Deno.exit(1);
}
