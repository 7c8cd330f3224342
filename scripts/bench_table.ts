/**
 * The tables of `deno task bench`: per-configuration medians beside the published figures, the
 * configurations themselves, and node start-up/RSS; plus `bench/README.md` built from them.
 *
 * @module
 */

import type { BenchConfig } from "./bench_configs.ts";
import { type BenchRow, formatGoal } from "./bench_details.ts";
import {
  fixed,
  latencyCell,
  markdownTable,
  milliseconds,
  type ResultRow,
} from "./results_table.ts";

/** One run of one configuration at one seed. */
export interface BenchRun {
  config: string;
  seed: number;
  /** The run's store directory ("" when the harness stopped before creating it). */
  storePath: string;
  exitCode: number;
  row: BenchRow;
}

/** One node kind under one runner. */
export interface NodeFigure {
  /** The challenge's name, e.g. `"broadcast"`. */
  node: string;
  /** `"deno run"` or `"bin/"`. */
  runner: string;
  /** Median spawn → `init_ok`, ms. */
  startupMs?: number;
  /** Median resident memory after init, MiB. */
  rssMiB?: number;
  note?: string;
}

/** The median of a list (mean of the middle two for even lengths); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid]
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

type NumericKey =
  | "ops"
  | "msgsPerOpAll"
  | "msgsPerOpServers"
  | "latencyMedian"
  | "latencyP99"
  | "latencyMax"
  | "availability"
  | "finalMedian"
  | "finalMax"
  | "abortRate"
  | "kills"
  | "pauses";

const NUMERIC: readonly NumericKey[] = [
  "ops",
  "msgsPerOpAll",
  "msgsPerOpServers",
  "latencyMedian",
  "latencyP99",
  "latencyMax",
  "availability",
  "finalMedian",
  "finalMax",
  "abortRate",
  "kills",
  "pauses",
];

/**
 * Folds one configuration's runs into a row of medians. Valid only when every run is; false
 * when any run is; the note counts valid runs when there are several and keeps the first note.
 * The models checked and ruled out are the first run's.
 */
export function medianRow(name: string, rows: readonly BenchRow[], target?: string): BenchRow {
  const valids = rows.map((r) => r.valid);
  const valid: ResultRow["valid"] = valids.length > 0 && valids.every((v) => v === true)
    ? true
    : valids.includes(false)
    ? false
    : valids.includes("error")
    ? "error"
    : "unknown";
  const out: BenchRow = { name, valid };
  for (const key of NUMERIC) {
    const value = median(rows.flatMap((r) => r[key] === undefined ? [] : [r[key] as number]));
    if (value !== undefined) out[key] = value;
  }
  const models = rows.find((r) => r.models !== undefined);
  if (models?.models !== undefined) out.models = models.models;
  if (models?.ruledOut !== undefined) out.ruledOut = models.ruledOut;
  if (target !== undefined) out.target = target;
  const notes: string[] = [];
  if (rows.length > 1) {
    notes.push(`${valids.filter((v) => v === true).length}/${rows.length} valid`);
  }
  const first = rows.find((r) => r.note !== undefined)?.note;
  if (first !== undefined) notes.push(first);
  if (notes.length > 0) out.note = notes.join("; ");
  return out;
}

/**
 * The results table: our medians, the official target and our own goal (where a mode has one),
 * then the published figures and their sources.
 */
export function formatBenchTable(
  rows: readonly ResultRow[],
  configs: readonly BenchConfig[],
): string {
  const byName = new Map(configs.map((c) => [c.name, c]));
  const lines = rows.map((row) => {
    const published = byName.get(row.name)?.published ?? [];
    return [
      row.name,
      String(row.valid),
      fixed(row.msgsPerOpAll, 2),
      fixed(row.msgsPerOpServers, 2),
      latencyCell(row),
      fixed(row.availability, 4),
      row.target ?? "",
      formatGoal(row, byName.get(row.name)?.goal),
      published.map((p) => p.figure).join("; "),
      published.map((p) => p.source).join("; "),
      row.note ?? "",
    ];
  });
  return markdownTable([
    "config",
    "valid",
    "msgs/op all",
    "msgs/op servers",
    "latency p50 / p99 / max (ms)",
    "availability",
    "target",
    "our goal (msgs/op servers / p50 / max)",
    "published",
    "source",
    "note",
  ], lines);
}

/**
 * The per-challenge table, for rows that have such figures: final-read latency, abort rate, the
 * models checked (all pass when valid) and the ones ruled out. Empty when no row has any.
 */
export function formatDetailsTable(rows: readonly BenchRow[]): string {
  const detailed = rows.filter((r) =>
    r.finalMedian !== undefined || r.models !== undefined || r.kills !== undefined
  );
  if (detailed.length === 0) return "";
  return markdownTable(
    [
      "config",
      "valid",
      "final ops p50 / max (ms)",
      "kills / pauses",
      "abort rate",
      "models checked",
      "ruled out",
    ],
    detailed.map((r) => [
      r.name,
      String(r.valid),
      r.finalMedian === undefined
        ? "-"
        : `${milliseconds(r.finalMedian)} / ${milliseconds(r.finalMax)}`,
      r.kills === undefined && r.pauses === undefined
        ? "-"
        : `${fixed(r.kills, 0)} / ${fixed(r.pauses, 0)}`,
      fixed(r.abortRate, 4),
      r.models ?? "",
      r.ruledOut ?? "",
    ]),
  );
}

/** The configuration table: name, challenge, flags, env. */
export function formatConfigTable(configs: readonly BenchConfig[]): string {
  return markdownTable(
    ["config", "challenge", "flags", "env"],
    configs.map((c) => [
      c.official ? c.name : `${c.name} (extra)`,
      c.challenge,
      c.flags.join(" "),
      Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(" "),
    ]),
  );
}

/** The node table: start-up time and RSS per node kind and runner. */
export function formatNodeTable(figures: readonly NodeFigure[]): string {
  return markdownTable(
    ["node", "runner", "start-up ms (spawn → init_ok)", "RSS MiB after init", "note"],
    figures.map((f) => [
      f.node,
      f.runner,
      fixed(f.startupMs, 0),
      fixed(f.rssMiB, 1),
      f.note ?? "",
    ]),
  );
}

/** What `bench/README.md` is made of. */
export interface ReadmeInput {
  command: string;
  date: string;
  runs: number;
  denoVersion: string;
  results: string;
  details: string;
  configs: string;
  nodes: string;
  nodeNotes: readonly string[];
  /** The scale table (`formatScaleTable` in bench_scale.ts), or why it is missing. */
  scale: string;
  /** Rows re-measured since the full run (`--merge`): which, by what command, when. */
  merged?: readonly MergedRows[];
}

/** Rows a `deno task bench --only … --merge` replaced in a full run's figures. */
export interface MergedRows {
  configs: readonly string[];
  command: string;
  date: string;
}

/** What a merge replaced, in words: "Rows 4, 5c", "Row 4 and the scale section", "The scale section". */
function _mergedWhat(configs: readonly string[]): string {
  const rows = configs.filter((name) => name !== "scale");
  const named = rows.length === 0 ? "" : `Row${rows.length === 1 ? "" : "s"} ${rows.join(", ")}`;
  if (rows.length === configs.length) return named;
  return named === "" ? "The scale section" : `${named} and the scale section`;
}

/** `bench/README.md`: the command and date, then the tables and how to read them. */
export function formatReadme(input: ReadmeInput): string {
  return `# Benchmarks

Generated on ${input.date} by

    ${input.command}

(Deno ${input.denoVersion}; seeds 1..${input.runs}, medians over seeds). Regenerated on each full
run; every figure below comes from that run${
    (input.merged ?? []).length === 0 ? "" : ", except the rows re-measured since (below)"
  }. \`results.json\` beside this file holds each run's row, seed and store directory.
${
    (input.merged ?? []).map((m) =>
      `\n${_mergedWhat(m.configs)}: re-measured on ${m.date.slice(0, 10)} by \`${m.command}\`.\n`
    ).join("")
  }
The machine is shared (2 cores, other jobs running at the same time), so latencies and start-up
times are noisy; message counts vary less. The harness is our local one (\`harness/\`), not
Maelstrom's JVM; it judges and loads nodes as Maelstrom v0.2.4 does (Jepsen's stagger, so about
80–90 % of \`--rate\` is issued; per-node receive loops; seq-kv's reads), and
\`docs/harness.md\` lists what still differs. Latency is the workload's stable latency for
broadcast (time until a value is visible on every node) and the client op latency (invoke → ok)
elsewhere.

Published figures are cited with their source, not reproduced: official limits from
fly.io/dist-sys (in the target column), the best results in community write-ups, Fly.io's seed
solution for 5c, and for the transaction runs the caveat that Maelstrom does not check dirty
writes (jepsen-io/maelstrom issue #56; our checker reports them as a warning, fatal with
\`--strict\`).

## Results

${input.results}

Per challenge: final-phase op latency (g-counter, kafka, broadcast final reads), node kills in the
\`-faults\` rows (kills and pauses), abort rate (failed txns / txns) and the consistency models checked (all pass when
valid) and ruled out.

${input.details}

## Configurations

Extras run the design modes of the challenge issues; an extra identical to an official run (3d is
already \`latency\` mode, 3e \`efficient\`, 5b \`lin-kv\`) is not repeated. The 5-node
transaction runs check read-atomic (also under \`--strict\`, which makes our checks beyond Elle's
fatal), the strongest model a totally available store can pass; snapshot isolation and
serializability fail with lost-update and G2-item, as they must for any totally available design.
The \`-faults\` rows are every official run but echo (an unanswered echo fails Maelstrom's echo
checker whatever the node does; 3c's row would repeat 3b's) under \`--nemesis partition,kill,pause\`
at a 5 s interval, transactions with \`--final-reads\`, \`--availability total\` dropped (a request
to a dead or frozen node times out).

${input.configs}

## Nodes

Start-up is spawn → \`init_ok\` of a one-node cluster (module cache warm), RSS is read from
\`/proc\` right after \`init_ok\`; medians of a few spawns.

${input.nodes}
${input.nodeNotes.map((n) => `\n${n}`).join("")}

## The harness at scale

Runs beyond the official configurations, each one harness process (its own, so its peak RSS is its
own): 25 broadcast nodes at \`--rate 1000\` (latency 100), 100, 200 and 300 broadcast nodes at the
3d/3e rate and latency (rate 100, latency 100), and kafka's two nodes at \`--rate 5000\`; all for
20 s. A run is faithful when its link latency (mean node-to-node delivery time observed) stays
within a few ms of \`--latency\` and its reply turnaround (median time a node takes to answer)
stays small: past that the machine, not the design, sets the latencies. Achieved ops/s is shown
against \`--rate\` (Jepsen's stagger issues about 80–90 % of it on an idle machine). Harness CPU
covers the whole run, analysis and report included, beside its wall time; post-processing is
teardown → results, report and history written; the store holds the history, the message journal
with every body, the report and the node logs. All from the run's \`results.json\` (\`harness\`
and \`net\` sections).

${input.scale}
`;
}
