/**
 * The harness at scale: what one harness process costs, and whether it stays faithful, beyond the
 * official configurations: a 25-node broadcast at `--rate 1000`, broadcast clusters of 100 to 300
 * nodes, and kafka at `--rate 5000`. Each run is a separate `harness/cli.ts` process so its peak
 * RSS is its own; the figures come from the run's `results.json` (`harness` and `net` sections)
 * and the size of its store directory.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./bench_table.ts";

/** One scale configuration: a workload, its node, its flags and the node's environment. */
export interface ScaleConfig {
  name: string;
  workload: string;
  /** The node program, relative to the repository root. */
  bin: string;
  flags: readonly string[];
  /** The node's environment (a challenge's mode variables). */
  env: Readonly<Record<string, string>>;
}

/** A broadcast scale run: `mode` is the node's `BROADCAST_MODE` ("" for the default). */
function _broadcast(name: string, mode: string, flags: readonly string[]): ScaleConfig {
  return {
    name,
    workload: "broadcast",
    bin: "challenges/broadcast.ts",
    flags: ["--time-limit", "20", "--latency", "100", ...flags],
    env: { BROADCAST_MODE: mode },
  };
}

const _FAST = ["--node-count", "25", "--rate", "1000"];

/** `nodes` broadcast nodes at the 3d/3e rate and latency in `mode`. */
function _wide(nodes: number, mode: string): ScaleConfig {
  return _broadcast(`broadcast ${nodes}n, ${mode}`, mode, [
    "--node-count",
    String(nodes),
    "--rate",
    "100",
  ]);
}

/**
 * The runs of the scale section: 25 broadcast nodes at ten times the official rate (Maelstrom's
 * default concurrency, and four threads per node), 100 to 300 broadcast nodes at the 3d/3e rate
 * and latency (300 is past what two cores carry faithfully: the table shows where it breaks), and
 * kafka's two nodes at `--rate 5000`.
 */
export const SCALE_CONFIGS: readonly ScaleConfig[] = [
  _broadcast("broadcast 25n, rate 1000", "", _FAST),
  _broadcast("… --concurrency 4n", "", [..._FAST, "--concurrency", "4n"]),
  _wide(100, "efficient"),
  _wide(100, "frugal"),
  _wide(200, "frugal"),
  _wide(300, "frugal"),
  {
    name: "kafka 2n, rate 5000",
    workload: "kafka",
    bin: "challenges/kafka.ts",
    flags: ["--node-count", "2", "--concurrency", "2n", "--time-limit", "20", "--rate", "5000"],
    env: {},
  },
];

/** One scale run's figures (undefined where the run did not report them). */
export interface ScaleRun {
  config: string;
  seed: number;
  valid: unknown;
  ops?: number;
  achievedRate?: number;
  /** The configured `--rate`, to show the achieved rate against. */
  rate?: number;
  serversMsgsPerOp?: number;
  /** The configured `--latency` (ms); 0 when the run sets none. */
  latency?: number;
  /** Mean node-to-node delivery time observed (ms), to compare with `latency`. */
  linkLatencyMean?: number;
  /** Median time a node took to answer a request (ms): how loaded the node processes were. */
  replyTurnaroundMedian?: number;
  postProcessingMs?: number;
  peakRssMiB?: number;
  cpuMs?: number;
  wallMs?: number;
  storeMiB?: number;
  storePath: string;
  note?: string;
}

/** Total size in bytes of the files under `dir`, recursively (symlinks not followed). */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) total += await directoryBytes(path);
    else if (entry.isFile) total += (await Deno.stat(path)).size;
  }
  return total;
}

/** `{ [key]: value }` when `value` is a number, `{}` otherwise. */
function _numberField<K extends string>(key: K, value: unknown): { [P in K]?: number } {
  return (typeof value === "number" ? { [key]: value } : {}) as { [P in K]?: number };
}

/** A scale run's figures from its `results.json`. */
export function scaleFigures(
  results: Record<string, unknown>,
): Omit<ScaleRun, "config" | "seed" | "storePath"> {
  // deno-lint-ignore no-explicit-any
  const r = results as any;
  const harness = r.harness ?? {};
  const net = r.net ?? {};
  const cpu = typeof harness["cpu-user-ms"] === "number"
    ? harness["cpu-user-ms"] + (harness["cpu-system-ms"] ?? 0)
    : undefined;
  return {
    valid: r.valid,
    ..._numberField("ops", r.stats?.count),
    ..._numberField("achievedRate", r["achieved-rate"]),
    ..._numberField("rate", r.options?.rate),
    ..._numberField("serversMsgsPerOp", net.servers?.["msgs-per-op"]),
    ..._numberField("latency", r.options?.latency),
    ..._numberField("linkLatencyMean", net["latency-observed"]?.mean),
    ..._numberField("replyTurnaroundMedian", net["node-reply-turnaround"]?.median),
    ..._numberField("postProcessingMs", harness["post-processing-ms"]),
    ..._numberField("peakRssMiB", harness["peak-rss-mib"]),
    ..._numberField("cpuMs", cpu),
    ..._numberField("wallMs", harness["wall-ms"]),
  };
}

/** Runs one scale configuration at one seed as its own harness process. */
export async function runScale(
  config: ScaleConfig,
  seed: number,
  store: string,
): Promise<ScaleRun> {
  const root = new URL("../", import.meta.url);
  const args = [
    "run",
    "-A",
    fileURLToPath(new URL("harness/cli.ts", root)),
    "test",
    "-w",
    config.workload,
    "--bin",
    fileURLToPath(new URL(config.bin, root)),
    ...config.flags,
    "--seed",
    String(seed),
    "--store",
    store,
  ];
  const env = { ...config.env };
  const output = await new Deno.Command(Deno.execPath(), { args, env, stdout: "piped" }).output();
  const storeLine = /^store: (.+)$/m.exec(new TextDecoder().decode(output.stdout));
  const base = { config: config.name, seed, storePath: storeLine?.[1] ?? "" };
  if (storeLine === null) {
    return { ...base, valid: "error", note: `harness exited ${output.code} without a store` };
  }
  const results = JSON.parse(await Deno.readTextFile(join(base.storePath, "results.json")));
  return {
    ...base,
    ...scaleFigures(results),
    storeMiB: (await directoryBytes(base.storePath)) / (1 << 20),
  };
}

function _cell(values: readonly (number | undefined)[], digits: number): string {
  const m = median(values.filter((v): v is number => v !== undefined));
  return m === undefined ? "-" : m.toFixed(digits);
}

/**
 * "median (of configured)" for a figure measured against a configured value; "-" when nothing was
 * configured (0: kafka's nodes talk to no other node, only to services, without `--latency`).
 */
function _against(
  runs: readonly ScaleRun[],
  value: (r: ScaleRun) => number | undefined,
  configured: (r: ScaleRun) => number | undefined,
  digits: number,
): string {
  const cell = _cell(runs.map(value), digits);
  const of = runs.map(configured).find((v) => v !== undefined);
  if (of === 0) return "-";
  return cell === "-" || of === undefined ? cell : `${cell} (of ${of})`;
}

/** The scale table: medians over seeds per configuration, beside the targets. */
export function formatScaleTable(runs: readonly ScaleRun[]): string {
  const header = [
    "run",
    "valid",
    "ops",
    "achieved ops/s",
    "servers msgs/op",
    "link latency ms (mean)",
    "reply turnaround ms (median)",
    "harness CPU s / wall s",
    "peak RSS MiB (target ≤ 500)",
    "post-processing s (target ≤ 10)",
    "store MiB",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`];
  const names = [...new Set(runs.map((r) => r.config))];
  for (const name of names) {
    const mine = runs.filter((r) => r.config === name);
    const valid = mine.every((r) => r.valid === true)
      ? `${mine.length}/${mine.length}`
      : mine.map((r) => String(r.valid)).join(", ");
    const cpu = _cell(mine.map((r) => r.cpuMs && r.cpuMs / 1000), 1);
    const wall = _cell(mine.map((r) => r.wallMs && r.wallMs / 1000), 0);
    lines.push(
      `| ${
        [
          name,
          valid,
          _cell(mine.map((r) => r.ops), 0),
          _against(mine, (r) => r.achievedRate, (r) => r.rate, 0),
          _cell(mine.map((r) => r.serversMsgsPerOp), 2),
          _against(mine, (r) => r.linkLatencyMean, (r) => r.latency, 1),
          _cell(mine.map((r) => r.replyTurnaroundMedian), 1),
          cpu === "-" ? "-" : `${cpu} / ${wall}`,
          _cell(mine.map((r) => r.peakRssMiB), 0),
          _cell(mine.map((r) => r.postProcessingMs && r.postProcessingMs / 1000), 1),
          _cell(mine.map((r) => r.storeMiB), 0),
        ].join(" | ")
      } |`,
    );
  }
  return lines.join("\n");
}
