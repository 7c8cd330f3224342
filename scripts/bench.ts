/**
 * `deno task bench`: every official configuration plus the extra design modes
 * ({@linkcode benchConfigs}), run through the local harness with fixed seeds, one run at a time;
 * prints the medians beside the official targets, our own goals and the published figures, then
 * the per-challenge figures (final-read latency, txn abort rate and consistency models), then
 * each node kind's start-up time and RSS, then the harness's own cost at scale
 * ({@linkcode SCALE_CONFIGS}: post-processing time, peak RSS, store size).
 *
 * Usage: `deno task bench [--only 3d,4-crdt,kafka] [--runs N] [--time-limit S] [--store DIR]
 * [--out DIR] [--node-runs N] [--skip-nodes] [--skip-scale] [--rewrite] [--merge]`, or
 * `deno task bench --pareto [--sim] [--runs N]` for broadcast's trade-off curve (the same as
 * `deno task bench:pareto`, in `bench_pareto.ts`); `--rewrite` only
 * rewrites the READMEs from `bench/results.json` (after a change of their prose); `--merge` (with
 * `--only`) replaces just those rows in `bench/results.json`, says so in the READMEs, and rewrites
 * them (after a change that moves only those figures). `--only` takes configuration names or challenge
 * names (all of that challenge's configurations), and `scale` for the scale section alone (which
 * runs on a full bench, or when named). Seeds are 1..N. `--time-limit` shortens every
 * run (and the final pause to at most that) for quick checks. A full run (no `--only`, no
 * `--time-limit`) writes `bench/results.json` and `bench/README.md`, and the results table of the
 * top-level README.md (between its markers, see `bench_readme.ts`); `--out` writes the first two
 * anywhere.
 * Exits 1 when a run is not valid.
 *
 * The per-challenge measurements quoted in the challenges' headers:
 * - broadcast modes at 3d/3e: `deno task bench --only 3d,3e,3de-balanced --runs 3 --skip-nodes`
 * - g-counter, seq-kv and crdt: `deno task bench --only g-counter --runs 10 --skip-nodes`
 * - kafka 5a/5b/5c: `deno task bench --only kafka --runs 2 --skip-nodes`
 * - txn 6a–6c and the 5-node models: `deno task bench --only txn-rw-register --skip-nodes`
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { findFactory } from "../harness/sim/cli.ts";
import { simEngine } from "../harness/sim/engine.ts";
import { parseArgs } from "node:util";
import { parseCli } from "../harness/cli.ts";
import { runTest } from "../harness/run.ts";
import { type BenchConfig, benchConfigs, selectConfigs } from "./bench_configs.ts";
import { addDetails, type BenchRow } from "./bench_details.ts";
import {
  type BenchRun,
  formatBenchTable,
  formatConfigTable,
  formatDetailsTable,
  formatNodeTable,
  formatReadme,
  median,
  medianRow,
  type MergedRows,
  type NodeFigure,
} from "./bench_table.ts";
import { denoArgv, measureStartup } from "./measure_node.ts";
import { CHALLENGES, interrupted, nodeEnv, withTimeLimit } from "./official.ts";
import { rowFromResults } from "./results_table.ts";
import { formatScaleTable, runScale, SCALE_CONFIGS, type ScaleRun } from "./bench_scale.ts";
import { writeReadmeResults } from "./bench_readme.ts";

/** Parsed `deno task bench` flags. */
export interface BenchArgs {
  only?: string[];
  runs: number;
  timeLimit?: number;
  store: string;
  out?: string;
  nodeRuns: number;
  skipNodes: boolean;
  skipScale: boolean;
  /** Rewrite the READMEs from `bench/results.json` and run nothing. */
  rewrite: boolean;
  /** With `--only`: replace those rows in `bench/results.json` and rewrite the READMEs. */
  merge: boolean;
}

const ROOT = new URL("../", import.meta.url);

function _positiveInt(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`--${flag} expects a positive integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Parses the flags; throws RangeError naming the bad flag. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values: v } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      only: { type: "string" },
      runs: { type: "string", default: "1" },
      "time-limit": { type: "string" },
      store: { type: "string", default: "store" },
      out: { type: "string" },
      "node-runs": { type: "string", default: "3" },
      "skip-nodes": { type: "boolean", default: false },
      "skip-scale": { type: "boolean", default: false },
      rewrite: { type: "boolean", default: false },
      merge: { type: "boolean", default: false },
    },
  });
  const args: BenchArgs = {
    runs: _positiveInt("runs", v.runs),
    store: v.store,
    nodeRuns: _positiveInt("node-runs", v["node-runs"]),
    skipNodes: v["skip-nodes"],
    skipScale: v["skip-scale"],
    rewrite: v.rewrite,
    merge: v.merge,
  };
  if (args.merge && (v.only === undefined || v["time-limit"] !== undefined)) {
    throw new RangeError("--merge takes --only (the rows to replace) and no --time-limit");
  }
  if (v.only !== undefined) args.only = v.only.split(",").map((s) => s.trim()).filter(Boolean);
  if (v["time-limit"] !== undefined) {
    const seconds = Number(v["time-limit"]);
    if (!(seconds > 0)) throw new RangeError(`--time-limit expects seconds > 0`);
    args.timeLimit = seconds;
  }
  if (v.out !== undefined) args.out = v.out;
  return args;
}

/**
 * Sets `vars` in this process's environment and returns what undoes it: a simulated node reads
 * its design mode here, in the harness's own process.
 */
function _withEnv(vars: Readonly<Record<string, string>>): () => void {
  const before = Object.entries(vars).map(([key]) => [key, Deno.env.get(key)] as const);
  for (const [key, value] of Object.entries(vars)) Deno.env.set(key, value);
  return () => {
    for (const [key, value] of before) {
      if (value === undefined) Deno.env.delete(key);
      else Deno.env.set(key, value);
    }
  };
}

/**
 * Runs one configuration at one seed through `runTest`, as processes or (`engine: "sim"`) on the
 * simulator with the challenge's node factory; never throws for a failed run.
 */
export async function runConfig(
  config: BenchConfig,
  seed: number,
  args: Pick<BenchArgs, "timeLimit" | "store"> & { engine?: "process" | "sim" },
): Promise<BenchRun> {
  const bin = fileURLToPath(new URL(`challenges/${config.challenge}.ts`, ROOT));
  const flags = args.timeLimit === undefined
    ? config.flags
    : withTimeLimit(config.flags, args.timeLimit);
  const fail = (note: string): BenchRun => ({
    config: config.name,
    seed,
    storePath: "",
    exitCode: 2,
    row: { name: config.name, valid: "error", target: config.target, note },
  });
  try {
    await Deno.stat(bin);
  } catch {
    return fail(`no challenges/${config.challenge}.ts`);
  }
  const options = parseCli(
    ["test", "-w", config.challenge, "--bin", bin, ...flags, "--seed", String(seed)],
    () => seed,
  );
  const simulated = args.engine === "sim";
  const restoreEnv = simulated ? _withEnv(nodeEnv(config.env)) : () => {};
  try {
    const engine = simulated
      ? { engine: simEngine(findFactory(await import(pathToFileURL(bin).href))) }
      : {};
    const { results, storePath, exitCode } = await runTest({
      ...options,
      ...engine,
      env: nodeEnv(config.env),
      storeDir: args.store,
      quiet: true,
      ...(args.timeLimit === undefined ? {} : { finalPauseS: Math.min(10, args.timeLimit) }),
    });
    const history = storePath === ""
      ? ""
      : await Deno.readTextFile(join(storePath, "history.jsonl")).catch(() => "");
    const row = addDetails(rowFromResults(config.name, results, config.target), results, history);
    const error = results["harness-error"] ?? results.error;
    if (typeof error === "string") row.note = error.split("\n")[0] ?? error;
    return { config: config.name, seed, storePath, exitCode, row };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    restoreEnv();
  }
}

const _NO_BINARIES = "Compiled binaries not measured: bin/ is empty (`deno task build` needs the " +
  "denort runtime, which this machine cannot download).";

/** Start-up time and RSS of each named challenge under `deno run`, and under `bin/` if built. */
export async function measureNodes(
  challenges: readonly string[],
  runs: number,
): Promise<{ figures: NodeFigure[]; notes: string[] }> {
  const figures: NodeFigure[] = [];
  const notes: string[] = [];
  const measure = async (node: string, runner: string, argv: string[]) => {
    try {
      await measureStartup(argv, { timeoutMs: 30000 }); // warm the module cache
      const all = [];
      for (let i = 0; i < runs; i++) all.push(await measureStartup(argv));
      const rss = median(all.map((m) => m.rssKiBAfterInit));
      figures.push({
        node,
        runner,
        startupMs: median(all.map((m) => m.startupMs)) as number,
        ...(rss === undefined ? {} : { rssMiB: rss / 1024 }),
      });
    } catch (error) {
      figures.push({ node, runner, note: error instanceof Error ? error.message : String(error) });
    }
  };
  const binDir = fileURLToPath(new URL("bin/", ROOT));
  const built = new Set<string>();
  try {
    for await (const entry of Deno.readDir(binDir)) if (entry.isFile) built.add(entry.name);
  } catch {
    // No bin/ at all: same as empty.
  }
  if (built.size === 0) notes.push(_NO_BINARIES);
  for (const node of challenges) {
    await measure(
      node,
      "deno run",
      denoArgv(fileURLToPath(new URL(`challenges/${node}.ts`, ROOT))),
    );
    if (built.has(node)) await measure(node, "bin/", [`${binDir}${node}`]);
  }
  return { figures, notes };
}

/** What a full bench saves in `bench/results.json`: every figure the READMEs show. */
export interface SavedBench {
  command: string;
  date: string;
  runs: BenchRun[];
  medians: BenchRow[];
  nodes: NodeFigure[];
  /** The node table's notes; undefined when nodes were not measured. */
  nodeNotes?: string[] | undefined;
  /** The scale runs (missing from files written before the scale section existed). */
  scale: ScaleRun[];
  /** Rows re-measured since (`--merge`), newest last. */
  merged?: MergedRows[];
}

/**
 * `saved` with the rows of `configs` replaced by `runs` and `rows` (kept in the bench's order),
 * the scale section replaced by `scale` when given, and the merge recorded (the scale section as
 * `scale`); an earlier merge of a row now replaced no longer names it.
 */
export function mergeRows(
  saved: SavedBench,
  runs: readonly BenchRun[],
  rows: readonly BenchRow[],
  merge: Omit<MergedRows, "configs">,
  scale?: readonly ScaleRun[],
): SavedBench {
  const names = new Set(rows.map((row) => row.name));
  if (scale !== undefined) names.add("scale");
  const byName = new Map(saved.medians.map((row) => [row.name, row]));
  for (const row of rows) byName.set(row.name, row);
  const order = benchConfigs().map((c) => c.name);
  const medians = [...byName.values()].sort((a, b) =>
    order.indexOf(a.name) - order.indexOf(b.name)
  );
  const earlier = (saved.merged ?? [])
    .map((m) => ({ ...m, configs: m.configs.filter((name) => !names.has(name)) }))
    .filter((m) => m.configs.length > 0);
  return {
    ...saved,
    runs: [...saved.runs.filter((run) => !names.has(run.config)), ...runs],
    medians,
    scale: scale === undefined ? saved.scale : [...scale],
    merged: [...earlier, { ...merge, configs: [...names] }],
  };
}

/**
 * Writes `<out>/README.md` from saved figures and, with `front`, the results table of the
 * top-level README.md: after a run, or again from `bench/results.json` (`--rewrite`) when only
 * the prose changed.
 */
export async function writeBenchReadmes(
  saved: SavedBench,
  out: string,
  front: boolean,
): Promise<void> {
  const configs = benchConfigs().filter((c) => saved.medians.some((row) => row.name === c.name));
  const seeds = Math.max(1, ...saved.runs.map((run) => run.seed));
  const measured = (saved.nodes ?? []).length > 0;
  const nodeNotes = saved.nodeNotes ??
    (measured && !saved.nodes.some((f) => f.runner === "bin/") ? [_NO_BINARIES] : []);
  await Deno.writeTextFile(
    join(out, "README.md"),
    formatReadme({
      command: saved.command,
      date: saved.date.slice(0, 10),
      runs: seeds,
      denoVersion: Deno.version.deno,
      results: formatBenchTable(saved.medians, configs),
      details: formatDetailsTable(saved.medians),
      configs: formatConfigTable(configs),
      nodes: measured ? formatNodeTable(saved.nodes) : "Not measured (--skip-nodes).",
      nodeNotes,
      scale: (saved.scale ?? []).length === 0 ? "Not measured." : formatScaleTable(saved.scale),
      merged: saved.merged ?? [],
    }),
  );
  // `deno task check` runs `deno fmt --check` over the repo: keep the files it would rewrite tidy.
  const files = [join(out, "results.json"), join(out, "README.md")];
  if (front) {
    // The front page's table comes from the same figures (one source for every figure).
    const readme = fileURLToPath(new URL("README.md", ROOT));
    await writeReadmeResults(readme, { medians: saved.medians, runs: saved.runs });
    files.push(readme);
  }
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", ...files] }).output();
  console.error(`wrote ${files.join(" and ")}`);
}

/**
 * Runs the bench; returns the exit code (0 all valid, 1 some run not valid, 2 bad flags, 130 or
 * 143 when SIGINT or SIGTERM ended a run: the bench stops there and writes nothing).
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--pareto")) {
    // The sweep is its own script (`deno task bench:pareto`), which runs its points through
    // `runConfig` here: loaded on demand so neither module loads the other at start.
    const pareto = await import("./bench_pareto.ts");
    return await pareto.main(argv.filter((arg) => arg !== "--pareto"));
  }
  let args: BenchArgs;
  let configs: BenchConfig[];
  try {
    args = parseBenchArgs(argv);
    const only = args.only?.filter((name) => name !== "scale");
    configs = only?.length === 0 ? [] : selectConfigs(benchConfigs(), only);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : error}`);
    return 2;
  }
  if (args.rewrite) {
    const bench = fileURLToPath(new URL("bench/", ROOT));
    const saved = JSON.parse(await Deno.readTextFile(join(bench, "results.json"))) as SavedBench;
    await writeBenchReadmes(saved, bench, true);
    return 0;
  }
  const runs: BenchRun[] = [];
  for (const config of configs) {
    for (let seed = 1; seed <= args.runs; seed++) {
      const run = await runConfig(config, seed, args);
      console.error(`${config.name} seed ${seed}: ${JSON.stringify(run.row)} ${run.storePath}`);
      if (interrupted(run.exitCode)) {
        console.error("bench: interrupted; nothing written");
        return run.exitCode;
      }
      runs.push(run);
    }
  }
  const rows: BenchRow[] = configs.map((c) =>
    medianRow(c.name, runs.filter((r) => r.config === c.name).map((r) => r.row), c.target)
  );
  const results = formatBenchTable(rows, configs);
  if (rows.length > 0) console.log(results);
  const details = formatDetailsTable(rows);
  if (details !== "") console.log(`\n${details}`);
  let nodes = { figures: [] as NodeFigure[], notes: [] as string[] };
  const wanted = args.only === undefined
    ? [...CHALLENGES]
    : CHALLENGES.filter((n) => configs.some((c) => c.challenge === n));
  if (!args.skipNodes && wanted.length > 0) {
    nodes = await measureNodes(wanted, args.nodeRuns);
    console.log(`\n${formatNodeTable(nodes.figures)}`);
    for (const note of nodes.notes) console.log(note);
  }
  const scaleRuns: ScaleRun[] = [];
  const scaleWanted = !args.skipScale && (args.only === undefined || args.only.includes("scale"));
  if (scaleWanted) {
    for (const config of SCALE_CONFIGS) {
      for (let seed = 1; seed <= args.runs; seed++) {
        const run = await runScale(config, seed, args.store);
        console.error(`scale ${config.name} seed ${seed}: ${JSON.stringify(run)}`);
        scaleRuns.push(run);
      }
    }
    console.log(`\n${formatScaleTable(scaleRuns)}`);
  }
  if (args.merge) {
    const bench = fileURLToPath(new URL("bench/", ROOT));
    const saved = JSON.parse(await Deno.readTextFile(join(bench, "results.json"))) as SavedBench;
    const merged = mergeRows(saved, runs, rows, {
      command: `deno task bench ${argv.join(" ")}`.trim(),
      date: new Date().toISOString(),
    }, scaleWanted ? scaleRuns : undefined);
    await Deno.writeTextFile(join(bench, "results.json"), JSON.stringify(merged, null, 2) + "\n");
    await writeBenchReadmes(merged, bench, true);
    return rows.every((row) => row.valid === true) && scaleRuns.every((r) => r.valid === true)
      ? 0
      : 1;
  }
  const full = args.only === undefined && args.timeLimit === undefined;
  const out = args.out ?? (full ? fileURLToPath(new URL("bench/", ROOT)) : undefined);
  if (out !== undefined) {
    const saved: SavedBench = {
      command: `deno task bench ${argv.join(" ")}`.trim(),
      date: new Date().toISOString(),
      runs,
      medians: rows,
      nodes: nodes.figures,
      nodeNotes: args.skipNodes ? undefined : nodes.notes,
      scale: scaleRuns,
    };
    await Deno.mkdir(out, { recursive: true });
    await Deno.writeTextFile(join(out, "results.json"), JSON.stringify(saved, null, 2) + "\n");
    await writeBenchReadmes(saved, out, full && args.out === undefined);
  }
  return rows.every((r) => r.valid === true) && scaleRuns.every((r) => r.valid === true) ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
