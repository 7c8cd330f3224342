/**
 * The runs of a store as the web UI lists them: one {@linkcode RunSummary} per
 * `store/<workload>/<time>/results.json`, with the few figures a person compares.
 *
 * @module
 */

import { isRecord } from "../../lib/message.ts";

/** One run of the store, as the index lists it. */
export interface RunSummary {
  /** The run's directory relative to the store root: `<workload>/<time>`. */
  path: string;
  workload: string;
  /** The directory's name, `yyyyMMddTHHmmss.SSS` (local time of the run's start). */
  time: string;
  nodeCount: number | null;
  valid: boolean | "unknown";
  /** `simulated` for `deno task sim` runs, `process` for real node processes. */
  engine: string;
  seed: number | null;
  hasReport: boolean;
  /** What is wrong (`results.json`'s `findings`), the first few sentences; empty if valid. */
  findings: string[];
  /** Figures by name, `null` where the run has none; the same names for every run. */
  figures: Record<string, number | null>;
}

/** The figures' names, in the order the UI shows them. */
export const FIGURE_NAMES = [
  "ops",
  "ok fraction",
  "msgs/op all",
  "msgs/op servers",
  "latency p50 (ms)",
  "latency max (ms)",
  "stable latency p50 (ms)",
  "stable latency max (ms)",
  "lost",
  "rate requested",
  "rate achieved",
] as const;

function _record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function _num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The figures of one `results.json` object, by {@linkcode FIGURE_NAMES}. */
export function runFigures(results: Record<string, unknown>): Record<string, number | null> {
  const net = _record(results.net);
  const stats = _record(results.stats);
  const workload = _record(results.workload);
  const latencies = _record(results["op-latencies"]);
  const stable = _record(workload["stable-latencies"]);
  const options = _record(results.options);
  return {
    "ops": _num(stats.count),
    "ok fraction": _num(_record(results.availability)["ok-fraction"]),
    "msgs/op all": _num(_record(net.all)["msgs-per-op"]),
    "msgs/op servers": _num(_record(net.servers)["msgs-per-op"]),
    "latency p50 (ms)": _num(latencies["0.5"]),
    "latency max (ms)": _num(latencies["1"]),
    "stable latency p50 (ms)": _num(stable["0.5"]),
    "stable latency max (ms)": _num(stable["1"]),
    "lost": _num(workload["lost-count"]),
    "rate requested": _num(options.rate),
    "rate achieved": _num(results["achieved-rate"]),
  };
}

/** Summarises one run from its `results.json` object and its directory `workload/time`. */
export function summarizeRun(
  path: string,
  results: Record<string, unknown>,
  hasReport: boolean,
): RunSummary {
  const [workload = "", time = ""] = path.split("/");
  const options = _record(results.options);
  const nodes = options.nodes;
  const valid = results.valid === true || results.valid === false ? results.valid : "unknown";
  return {
    path,
    workload,
    time,
    nodeCount: _num(options["node-count"]) ?? (Array.isArray(nodes) ? nodes.length : null),
    valid,
    engine: typeof results.engine === "string" ? results.engine : "process",
    seed: _num(results.seed),
    hasReport,
    findings: Array.isArray(results.findings) ? results.findings.slice(0, 5).map(String) : [],
    figures: runFigures(results),
  };
}

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A directory's entries that are directories themselves (`latest` links are left out). */
async function _subdirs(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory && !entry.isSymlink) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return names.sort();
}

/**
 * Every run under `root` with a readable `results.json`, newest first. A run whose results are
 * missing or not JSON (one still running, or cut short) is left out.
 */
export async function listRuns(root: string): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (const workload of await _subdirs(root)) {
    for (const time of await _subdirs(`${root}/${workload}`)) {
      const dir = `${root}/${workload}/${time}`;
      let results: unknown;
      try {
        results = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
      } catch {
        continue;
      }
      if (!isRecord(results)) continue;
      runs.push(
        summarizeRun(`${workload}/${time}`, results, await _exists(`${dir}/report.html`)),
      );
    }
  }
  return runs.sort((a, b) => b.time.localeCompare(a.time) || a.path.localeCompare(b.path));
}
