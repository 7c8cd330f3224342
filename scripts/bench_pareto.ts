/**
 * `deno task bench:pareto [--runs N] [--sim] [--time-limit S] [--store DIR] [--out DIR]`: the
 * broadcast trade-off at the 3d/3e configuration (25 nodes, rate 100, latency 100, 20 s). Each
 * design's tick is swept from its lowest-latency to its lowest-message setting (through
 * `BROADCAST_TICK_MS`); every point is the median of seeds 1..N. Writes `pareto.md` (the table) and
 * `pareto.svg` (servers msgs/op against median and max stable latency, with the official limits
 * and the published peers) into `bench/`, or `--out`. `--sim` runs on the simulator instead of
 * processes (seconds instead of half an hour; `bench/sim.md` shows how closely the two agree).
 * Exits 1 when a run is not valid.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runConfig } from "./bench.ts";
import { type BenchConfig, PUBLISHED } from "./bench_configs.ts";
import type { BenchRow } from "./bench_details.ts";
import { median } from "./bench_table.ts";
import { interrupted, officialRun } from "./official.ts";
import { type Limit, type ParetoPoint, paretoSvg, type PeerPoint } from "./pareto_plot.ts";

const _BENCH = fileURLToPath(new URL("../bench/", import.meta.url));

/** The designs and the ticks each is swept over, ms, from fastest to most frugal. */
export const SWEEP: readonly { design: string; ticks: readonly number[] }[] = [
  // The origin sends straight to everyone; its tick only paces anti-entropy.
  { design: "latency", ticks: [100] },
  // Through the hub, which fans out per tick (balanced is 140 ms, efficient 260 ms).
  { design: "efficient", ticks: [50, 100, 140, 260, 400, 600] },
  // Batched on both legs, each spoke timed to the hub's tick (frugal's own is 900 ms).
  { design: "frugal", ticks: [300, 600, 900, 1200, 1500] },
];

/** The official limits (fly.io/dist-sys): 3d, and 3e. */
export const LIMITS: readonly Limit[] = [
  { label: "3d limits", msgsPerOp: 30, medianMs: 400, maxMs: 600 },
  { label: "3e limits", msgsPerOp: 20, medianMs: 1000, maxMs: 2000 },
];

/** The published 3d/3e figures drawn beside ours, read from the bench's citations. */
export function publishedPeers(): PeerPoint[] {
  const seen = new Map<string, PeerPoint>();
  for (const published of [...(PUBLISHED["3d"] ?? []), ...(PUBLISHED["3e"] ?? [])]) {
    // "22.78 msgs/op, 177 / - / 237 ms": msgs/op, then median / p95 / max.
    const m = /^([\d.]+) msgs\/op, (\d+) \/ [^/]+ \/ (\d+) ms$/.exec(published.figure);
    if (m === null) continue;
    seen.set(published.figure, {
      label: `${m[1]} msgs/op`,
      source: published.source,
      msgsPerOp: Number(m[1]),
      medianMs: Number(m[2]),
      maxMs: Number(m[3]),
    });
  }
  return [...seen.values()];
}

/** The table, one row per point. */
export function formatParetoTable(points: readonly ParetoPoint[]): string {
  const lines = [
    "| design | tick (ms) | servers msgs/op | stable latency median / max (ms) | valid |",
    "| ------ | --------: | --------------: | -------------------------------: | ----- |",
  ];
  for (const p of points) {
    lines.push(
      `| ${p.design} | ${p.tickMs} | ${p.msgsPerOp.toFixed(2)} | ${p.medianMs} / ${p.maxMs} | ` +
        `${p.valid}/${p.runs} |`,
    );
  }
  return lines.join("\n");
}

/** How the points are measured. */
interface _SweepArgs {
  runs: number;
  sim: boolean;
  timeLimit: number | undefined;
  store: string;
}

/** One point: `design` at `tickMs` over seeds 1..runs, or the exit code of an interrupted run. */
async function _measure(design: string, tickMs: number, args: _SweepArgs) {
  const config: BenchConfig = {
    name: `3de-${design}-${tickMs}`,
    challenge: "broadcast",
    flags: officialRun("3d").flags,
    env: { BROADCAST_MODE: design, BROADCAST_TICK_MS: String(tickMs) },
    target: "",
    published: [],
    official: false,
  };
  const rows: BenchRow[] = [];
  for (let seed = 1; seed <= args.runs; seed++) {
    const run = await runConfig(config, seed, {
      store: args.store,
      engine: args.sim ? "sim" : "process",
      ...(args.timeLimit === undefined ? {} : { timeLimit: args.timeLimit }),
    });
    if (interrupted(run.exitCode)) return run.exitCode;
    console.error(`${config.name} seed ${seed}: ${JSON.stringify(run.row)}`);
    rows.push(run.row);
  }
  const figure = (pick: (r: BenchRow) => number | undefined) =>
    median(rows.map(pick).filter((n): n is number => n !== undefined)) ?? NaN;
  const point: ParetoPoint = {
    design,
    tickMs,
    msgsPerOp: figure((r) => r.msgsPerOpServers),
    medianMs: figure((r) => r.latencyMedian),
    maxMs: figure((r) => r.latencyMax),
    valid: rows.filter((r) => r.valid === true).length,
    runs: rows.length,
  };
  return point;
}

/** Writes `pareto.svg` and `pareto.md` into `out`. */
async function _write(out: string, points: readonly ParetoPoint[], how: string): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(join(out, "pareto.svg"), paretoSvg(points, publishedPeers(), LIMITS));
  await Deno.writeTextFile(
    join(out, "pareto.md"),
    `# Broadcast: messages against latency\n\n` +
      `Every broadcast design at the 3d/3e configuration (25 nodes, rate 100, latency 100, ` +
      `20 s), its tick swept from the lowest latency to the fewest messages; ${how}\n\n` +
      `![servers msgs/op against stable latency](pareto.svg)\n\nDashed boxes: the official 3d ` +
      `and 3e limits. Crosses: the best published figures we know (sources in ` +
      `[README.md](README.md)).\n\n${formatParetoTable(points)}\n`,
  );
  // The checked-in files stay as `deno fmt --check` wants them.
  if (out === _BENCH) {
    const files = [join(out, "pareto.md"), join(out, "pareto.svg")];
    await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", ...files] }).output();
  }
}

/** Runs the sweep; returns the exit code (0 all valid, 1 some run not valid, 2 bad flags). */
export async function main(argv: readonly string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        runs: { type: "string", default: "3" },
        sim: { type: "boolean", default: false },
        "time-limit": { type: "string" },
        store: { type: "string", default: "store" },
        out: { type: "string", default: _BENCH },
      },
    }).values;
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : error}`);
    return 2;
  }
  const args: _SweepArgs = {
    runs: Number(v.runs),
    sim: v.sim,
    timeLimit: v["time-limit"] === undefined ? undefined : Number(v["time-limit"]),
    store: v.store,
  };
  if (!Number.isInteger(args.runs) || args.runs < 1 || !((args.timeLimit ?? 1) > 0)) {
    console.error("error: --runs takes a positive integer, --time-limit positive seconds");
    return 2;
  }
  const points: ParetoPoint[] = [];
  for (const { design, ticks } of SWEEP) {
    for (const tickMs of ticks) {
      const point = await _measure(design, tickMs, args);
      if (typeof point === "number") return point;
      points.push(point);
    }
  }
  console.log(formatParetoTable(points));
  const command = `deno task bench:pareto ${argv.join(" ")}`.trim();
  await _write(
    v.out,
    points,
    `each point is the median of seeds 1–${args.runs}, run on ` +
      `${args.sim ? "the simulator" : "processes"}. Written by \`${command}\` on ` +
      `${new Date().toISOString().slice(0, 10)}.`,
  );
  return points.every((p) => p.valid === p.runs) ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
