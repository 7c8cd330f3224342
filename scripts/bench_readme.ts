/**
 * The README's results table, written by the bench between two markers so that every figure on the
 * front page comes from one place: the last full `deno task bench` (`bench/results.json`).
 *
 * `deno run -A scripts/bench_readme.ts` rewrites the block from `bench/results.json` without
 * running anything; a full bench does the same after writing its results.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { BenchRow } from "./bench_details.ts";
import { type BenchConfig, benchConfigs } from "./bench_configs.ts";
import { fixed, markdownTable, milliseconds } from "./results_table.ts";

/** The markers around the generated block in README.md. */
export const README_MARKERS = {
  start: "<!-- bench-results:start (written by deno task bench; do not edit) -->",
  end: "<!-- bench-results:end -->",
} as const;

/** What each official run and extra is, in a few words. */
const _TITLES: Readonly<Record<string, string>> = {
  "1": "1 echo",
  "2": "2 unique-ids (partitions)",
  "3a": "3a broadcast, 1 node",
  "3b": "3b broadcast, 5 nodes",
  "3c": "3c broadcast, 5 nodes, partitions",
  "3d": "3d broadcast, 25 nodes, 100 ms links",
  "3e": "3e broadcast, same",
  "3de-balanced": "3d/3e, default mode",
  "3de-frugal": "3d/3e, fewest messages",
  "4": "4 g-counter (partitions)",
  "4-crdt": "4 g-counter (partitions)",
  "5a": "5a kafka, 1 node",
  "5b": "5b kafka, 2 nodes",
  "5c": "5c kafka, 2 nodes",
  "6a": "6a txn, 1 node",
  "6b": "6b txn, read-uncommitted, partitions",
  "6c": "6c txn, read-committed, partitions",
  "6c-5n-strict": "6c txn, 5 nodes, partitions, read-atomic, `--strict`",
};

/** The citation of a caveat, not a figure: said once under the table instead of per row. */
const CAVEAT_SOURCE = "maelstrom #56";

/** Each challenge's default design, named as its mode variable would name it. */
const _DEFAULT_DESIGN: Readonly<Record<string, string>> = {
  broadcast: "balanced",
  "g-counter": "seq-kv",
  kafka: "replicated",
};

function _design(config: BenchConfig): string {
  const mode = Object.values(config.env).find((value) => value !== "");
  return mode ?? _DEFAULT_DESIGN[config.challenge] ?? "";
}

/**
 * The README's block: one line per configuration named in the titles above (medians over seeds),
 * then one sentence on the fault rows (`-faults`), how many there were and how many were valid.
 */
export function formatReadmeResults(
  rows: readonly BenchRow[],
  configs: readonly BenchConfig[],
  runs: number,
): string {
  const byName = new Map(configs.map((c) => [c.name, c]));
  const shown = rows.filter((row) => _TITLES[row.name] !== undefined && byName.has(row.name));
  const table = markdownTable(
    [
      "run",
      "design",
      "valid",
      "msgs/op all / servers",
      "latency p50 / max (ms)",
      "availability",
      "best published",
    ],
    shown.map((row) => {
      const config = byName.get(row.name) as BenchConfig;
      return [
        _TITLES[row.name] as string,
        _design(config),
        row.valid === true ? `${runs}/${runs}` : String(row.valid),
        `${fixed(row.msgsPerOpAll, 2)} / ${fixed(row.msgsPerOpServers, 2)}`,
        `${milliseconds(row.latencyMedian)} / ${milliseconds(row.latencyMax)}`,
        fixed(row.availability, 4),
        config.published.filter((p) => p.source !== CAVEAT_SOURCE).map((p) => p.figure).join("; "),
      ];
    }),
  );
  const caveat =
    shown.some((row) => byName.get(row.name)?.published.some((p) => p.source === CAVEAT_SOURCE))
      ? "\n\nMaelstrom does not check dirty writes (its issue #56); the transaction checker reports them " +
        "as a warning, fatal with `--strict`."
      : "";
  const kills = rows.filter((row) => row.name.endsWith("-faults"));
  const killLine = kills.length === 0
    ? ""
    : `\n\nUnder \`--nemesis partition,kill,pause\` (the \`-faults\` rows of \`bench/README.md\`): ${
      kills.filter((row) => row.valid === true).length
    } of ${kills.length} configurations valid on all ${runs} seeds, nothing acknowledged lost.`;
  return `${table}${caveat}${killLine}`;
}

/**
 * Replaces the text between {@linkcode README_MARKERS} in `readme` with `block`.
 *
 * @throws {Error} When the markers are missing or out of order.
 */
export function replaceResults(readme: string, block: string): string {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start === -1 || end < start) {
    throw new Error(`README.md lacks the markers ${README_MARKERS.start} … ${README_MARKERS.end}`);
  }
  return `${readme.slice(0, start + README_MARKERS.start.length)}\n\n${block}\n\n${
    readme.slice(end)
  }`;
}

/** Rewrites README.md's block from a bench results file (`bench/results.json` by default). */
export async function writeReadmeResults(
  readmePath: string,
  results: { medians: BenchRow[]; runs: { seed: number }[] },
): Promise<void> {
  const runs = Math.max(1, ...results.runs.map((r) => r.seed));
  const block = formatReadmeResults(results.medians, benchConfigs(), runs);
  await Deno.writeTextFile(readmePath, replaceResults(await Deno.readTextFile(readmePath), block));
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  const results = JSON.parse(
    await Deno.readTextFile(new URL(Deno.args[0] ?? "bench/results.json", root)),
  );
  const readme = fileURLToPath(new URL("README.md", root));
  await writeReadmeResults(readme, results);
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", readme] }).output();
  console.error(`rewrote the results in ${readme}`);
}
