/**
 * Benchmarks `challenges/broadcast.ts` at the 3d/3e configuration (25 nodes, rate 100, latency
 * 100 ms, 20 s, no partitions): each mode × 3 seeds, one run at a time, then a markdown table of
 * the medians beside our targets and the best published results.
 *
 * Usage: `deno run -A scripts/bench_broadcast.ts [--modes latency,balanced] [--seeds 1,2,3]
 * [--time-limit 20] [--store store]`. Exits 1 when a run is invalid.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseCli } from "../harness/cli.ts";
import { runTest } from "../harness/run.ts";

/** One measured run. */
export interface BenchRun {
  mode: string;
  seed: number;
  valid: boolean | "unknown";
  msgsPerOp: number;
  medianMs: number;
  maxMs: number;
}

/** What each mode is held to: msgs/op, median and max stable latency. */
const TARGETS: Record<string, [number, number, number]> = {
  latency: [12.5, 110, 220],
  balanced: [2.4, 265, 400],
  efficient: [1.5, 330, 500],
};

/** Published figures to beat, as printed beside ours. */
const PUBLISHED = [
  "| official 3d limit | < 30 | < 400 | < 600 |",
  "| official 3e limit | < 20 | < 1000 | < 2000 |",
  "| best published 3d (Go, star on n0) | 22.78 | 177 | 237 |",
  "| best published 3e (balance A) | 2.80 | 269 | 757 |",
  "| best published 3e (balance B) | 1.92 | 764 | 1087 |",
];

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid] ?? NaN
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function _num(value: unknown, ...path: string[]): number {
  let current = value;
  for (const key of path) {
    current = typeof current === "object" && current !== null
      ? (current as Record<string, unknown>)[key]
      : undefined;
  }
  return typeof current === "number" ? current : NaN;
}

/** Runs one mode at one seed and reads the figures from its results. */
export async function benchOnce(
  mode: string,
  seed: number,
  options: { timeLimit: number; storeDir: string },
): Promise<BenchRun> {
  const bin = fileURLToPath(new URL("../challenges/broadcast.ts", import.meta.url));
  const flags = ["--node-count", "25", "--time-limit", String(options.timeLimit), "--rate", "100"];
  const cli = parseCli(
    ["test", "-w", "broadcast", "--bin", bin, ...flags, "--latency", "100", "--seed", String(seed)],
    () => seed,
  );
  {
    const env = { BROADCAST_MODE: mode };
    const { results } = await runTest({ ...cli, env, storeDir: options.storeDir, quiet: true });
    return {
      mode,
      seed,
      valid: results.valid,
      msgsPerOp: _num(results, "net", "servers", "msgs-per-op"),
      medianMs: _num(results, "workload", "stable-latencies", "0.5"),
      maxMs: _num(results, "workload", "stable-latencies", "1"),
    };
  }
}

/** Formats the medians of each mode's runs as a markdown table with targets and published rows. */
export function formatTable(runs: readonly BenchRun[]): string {
  const lines = [
    "| config | msgs/op | median ms | max ms | runs (msgs/op, median, max) | target met |",
    "|---|---|---|---|---|---|",
  ];
  for (const mode of new Set(runs.map((r) => r.mode))) {
    const mine = runs.filter((r) => r.mode === mode);
    const m = [median(mine.map((r) => r.msgsPerOp)), median(mine.map((r) => r.medianMs))];
    const max = median(mine.map((r) => r.maxMs));
    const each = mine.map((r) =>
      `${r.msgsPerOp.toFixed(2)}/${r.medianMs}/${r.maxMs}${r.valid === true ? "" : " INVALID"}`
    );
    const target = TARGETS[mode];
    const met = target === undefined
      ? "?"
      : [m[0]! <= target[0], m[1]! <= target[1], max <= target[2]].map((ok) => ok ? "yes" : "NO")
        .join("/") + ` (≤ ${target.join(" / ")})`;
    lines.push(
      `| ours, ${mode} | ${m[0]!.toFixed(2)} | ${m[1]} | ${max} | ${each.join("; ")} | ${met} |`,
    );
  }
  return [...lines, ...PUBLISHED.map((row) => row.replace(/ \|$/, " | | |"))].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      modes: { type: "string", default: "latency,balanced,efficient" },
      seeds: { type: "string", default: "1,2,3" },
      "time-limit": { type: "string", default: "20" },
      store: { type: "string", default: "store" },
    },
  });
  const runs: BenchRun[] = [];
  for (const mode of values.modes.split(",")) {
    for (const seed of values.seeds.split(",").map(Number)) {
      const run = await benchOnce(mode, seed, {
        timeLimit: Number(values["time-limit"]),
        storeDir: values.store,
      });
      console.error(`${mode} seed ${seed}: ${JSON.stringify(run)}`);
      runs.push(run);
    }
  }
  console.log(formatTable(runs));
  if (runs.some((r) => r.valid !== true)) Deno.exit(1);
}
