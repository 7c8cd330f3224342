/**
 * The harness at scale: what one harness process costs for a 25-node broadcast at `--rate 1000`
 * for 20 s, beyond the official configurations. Each run is a separate `harness/cli.ts` process so
 * its peak RSS is its own; the figures come from the run's `results.json` (`harness` section) and
 * the size of its store directory.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./bench_table.ts";

/** One scale configuration: the broadcast flags it adds to the fixed 25 × 1000 × 20 s run. */
export interface ScaleConfig {
  name: string;
  flags: readonly string[];
}

/** The runs of the scale section: Maelstrom's default concurrency, and four threads per node. */
export const SCALE_CONFIGS: readonly ScaleConfig[] = [
  { name: "broadcast 25n, rate 1000, 20 s", flags: [] },
  { name: "… --concurrency 4n", flags: ["--concurrency", "4n"] },
];

const _BASE_FLAGS = [
  "--node-count",
  "25",
  "--time-limit",
  "20",
  "--rate",
  "1000",
  "--latency",
  "100",
];

/** One scale run's figures (undefined where the run did not report them). */
export interface ScaleRun {
  config: string;
  seed: number;
  valid: unknown;
  ops?: number;
  achievedRate?: number;
  postProcessingMs?: number;
  peakRssMiB?: number;
  cpuMs?: number;
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
    "broadcast",
    "--bin",
    fileURLToPath(new URL("challenges/broadcast.ts", root)),
    ..._BASE_FLAGS,
    ...config.flags,
    "--seed",
    String(seed),
    "--store",
    store,
  ];
  const env = { BROADCAST_MODE: "" };
  const output = await new Deno.Command(Deno.execPath(), { args, env, stdout: "piped" }).output();
  const storeLine = /^store: (.+)$/m.exec(new TextDecoder().decode(output.stdout));
  const base = { config: config.name, seed, storePath: storeLine?.[1] ?? "" };
  if (storeLine === null) {
    return { ...base, valid: "error", note: `harness exited ${output.code} without a store` };
  }
  const results = JSON.parse(await Deno.readTextFile(join(base.storePath, "results.json")));
  const harness = results.harness ?? {};
  const ops = results.stats?.count;
  return {
    ...base,
    valid: results.valid,
    ...(typeof ops === "number" ? { ops } : {}),
    ...(typeof results["achieved-rate"] === "number"
      ? { achievedRate: results["achieved-rate"] }
      : {}),
    ...(typeof harness["post-processing-ms"] === "number"
      ? { postProcessingMs: harness["post-processing-ms"] }
      : {}),
    ...(typeof harness["peak-rss-mib"] === "number" ? { peakRssMiB: harness["peak-rss-mib"] } : {}),
    ...(typeof harness["cpu-user-ms"] === "number"
      ? { cpuMs: harness["cpu-user-ms"] + (harness["cpu-system-ms"] ?? 0) }
      : {}),
    storeMiB: (await directoryBytes(base.storePath)) / (1 << 20),
  };
}

function _cell(values: readonly (number | undefined)[], digits: number): string {
  const m = median(values.filter((v): v is number => v !== undefined));
  return m === undefined ? "-" : m.toFixed(digits);
}

/** The scale table: medians over seeds per configuration, beside the targets. */
export function formatScaleTable(runs: readonly ScaleRun[]): string {
  const header = [
    "run",
    "valid",
    "ops",
    "achieved ops/s",
    "post-processing s (target ≤ 10)",
    "peak RSS MiB (target ≤ 500)",
    "harness CPU s",
    "store MiB",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`];
  const names = [...new Set(runs.map((r) => r.config))];
  for (const name of names) {
    const mine = runs.filter((r) => r.config === name);
    const valid = mine.every((r) => r.valid === true)
      ? `${mine.length}/${mine.length}`
      : mine.map((r) => String(r.valid)).join(", ");
    lines.push(
      `| ${
        [
          name,
          valid,
          _cell(mine.map((r) => r.ops), 0),
          _cell(mine.map((r) => r.achievedRate), 0),
          _cell(mine.map((r) => r.postProcessingMs && r.postProcessingMs / 1000), 1),
          _cell(mine.map((r) => r.peakRssMiB), 0),
          _cell(mine.map((r) => r.cpuMs && r.cpuMs / 1000), 1),
          _cell(mine.map((r) => r.storeMiB), 0),
        ].join(" | ")
      } |`,
    );
  }
  return lines.join("\n");
}
