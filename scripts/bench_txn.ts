/**
 * Benchmark of challenge 6 (txn-rw-register): the official runs 6a, 6b (with and without
 * partitions) and 6c, then the strongest models our checker offers on five nodes under
 * partitions, each through `runTest`, one at a time. Prints, per run: validity, availability
 * (ok fraction), abort rate (txn-conflict errors per txn), server msgs/op, and the weakest models
 * the checker ruled out.
 *
 * Usage: `deno run -A scripts/bench_txn.ts [--time-limit S] [--seed N] [--only 6a,6c]`
 * (default: the official 20 s, seed 1). Exits 1 when a run is not valid.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseCli } from "../harness/cli.ts";
import { runTest } from "../harness/run.ts";
import { OFFICIAL_RUNS, withTimeLimit } from "./official.ts";

/** One benchmark run. */
export interface TxnBenchConfig {
  name: string;
  flags: readonly string[];
}

/** What one run measured. */
export interface TxnBenchRow {
  name: string;
  models: string;
  valid: unknown;
  okFraction: number;
  abortRate: number;
  msgsPerOp: number;
  ops: number;
  ruledOut: string;
}

const BIN = fileURLToPath(new URL("../challenges/txn-rw-register.ts", import.meta.url));
const FIVE = ["--node-count", "5", "--concurrency", "2n", "--time-limit", "20", "--rate", "1000"];
const PARTITIONED = ["--availability", "total", "--nemesis", "partition"];

/** The official txn runs (6b also without partitions) plus the five-node model runs. */
export function txnBenchConfigs(): TxnBenchConfig[] {
  const official = OFFICIAL_RUNS.filter((r) => r.challenge === "txn-rw-register");
  const configs: TxnBenchConfig[] = [];
  for (const run of official) {
    if (run.name === "6b") {
      const plain = run.flags.filter((f, i, all) =>
        !PARTITIONED.includes(f) || (f === "total" && all[i - 1] !== "--availability")
      );
      configs.push({ name: "6b", flags: plain });
      configs.push({ name: "6b-partition", flags: run.flags });
    } else configs.push({ name: run.name, flags: run.flags });
  }
  for (const model of ["read-atomic", "causal", "snapshot-isolation"]) {
    configs.push({
      name: `5n-${model}`,
      flags: [...FIVE, "--consistency-models", model, ...PARTITIONED],
    });
  }
  return configs;
}

function _record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? value as Record<string, unknown> : {};
}

function _num(value: unknown): number {
  return typeof value === "number" ? value : NaN;
}

/** Runs one configuration in a throwaway store and extracts its figures. */
export async function benchTxn(config: TxnBenchConfig, seed: number): Promise<TxnBenchRow> {
  const storeDir = await Deno.makeTempDir({ prefix: "bench-txn-" });
  try {
    const argv = ["test", "-w", "txn-rw-register", "--bin", BIN, ...config.flags];
    const options = parseCli([...argv, "--seed", String(seed)], () => seed);
    const { results, storePath } = await runTest({ ...options, storeDir, quiet: true });
    let txns = 0;
    let aborts = 0;
    const history = storePath === "" ? "" : await Deno.readTextFile(`${storePath}/history.jsonl`);
    for (const line of history.split("\n")) {
      if (line === "") continue;
      const op = _record(JSON.parse(line));
      if (op.process === "nemesis" || op.type === "invoke") continue;
      txns++;
      if (op.type === "fail" && Array.isArray(op.error) && op.error[0] === 30) aborts++;
    }
    const workload = _record(results.workload);
    return {
      name: config.name,
      models: options.consistencyModels.join(","),
      valid: results.valid,
      okFraction: _num(_record(results.availability)["ok-fraction"]),
      abortRate: txns === 0 ? NaN : aborts / txns,
      msgsPerOp: _num(_record(_record(results.net).servers)["msgs-per-op"]),
      ops: txns,
      ruledOut: Array.isArray(workload.not) ? workload.not.join(",") : "",
    };
  } finally {
    await Deno.remove(storeDir, { recursive: true });
  }
}

/** Formats the rows as a Markdown table. */
export function formatTxnTable(rows: readonly TxnBenchRow[]): string {
  const lines = [
    "| run | models | valid | availability | abort rate | msgs/op (servers) | txns | ruled out |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${r.models} | ${r.valid} | ${r.okFraction.toFixed(4)} | ` +
        `${r.abortRate.toFixed(4)} | ${r.msgsPerOp.toFixed(3)} | ${r.ops} | ${r.ruledOut} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      "time-limit": { type: "string" },
      seed: { type: "string" },
      only: { type: "string" },
    },
  });
  const seed = Number(values.seed ?? "1");
  const only = values.only?.split(",");
  let configs = txnBenchConfigs().filter((c) => only === undefined || only.includes(c.name));
  if (values["time-limit"] !== undefined) {
    const seconds = Number(values["time-limit"]);
    configs = configs.map((c) => ({ ...c, flags: withTimeLimit(c.flags, seconds) }));
  }
  const rows: TxnBenchRow[] = [];
  for (const config of configs) {
    const row = await benchTxn(config, seed);
    console.error(`${config.name}: valid ${row.valid} (${config.flags.join(" ")} --seed ${seed})`);
    rows.push(row);
  }
  console.log(formatTxnTable(rows));
  // snapshot-isolation is expected to fail: it is there to show where total availability ends.
  const failed = rows.filter((r) => r.valid !== true && !r.models.includes("snapshot"));
  if (failed.length > 0) Deno.exit(1);
}
