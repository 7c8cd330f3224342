/**
 * `deno task bench:sim`: the benchmark's configurations on the simulator, beside the last process
 * bench (`bench/results.json`): the fidelity table (verdicts agree; msgs/op within 5 %; broadcast
 * stable-latency medians within 10 %, the process run also paying this machine's time per hop,
 * which the simulator models as zero) and how much faster than real time each simulated run is.
 *
 * Usage: `deno task bench:sim [--only 3d,5c] [--runs N] [--store DIR]`. With no `--only` it writes
 * `bench/sim.md`.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runConfig } from "./bench.ts";
import { benchConfigs, selectConfigs } from "./bench_configs.ts";
import type { BenchRow } from "./bench_details.ts";
import { median, medianRow } from "./bench_table.ts";
import { fixed, markdownTable } from "./results_table.ts";

/** One configuration's simulated medians and its speed. */
export interface SimFigure {
  row: BenchRow;
  /** Median over seeds of virtual run length / wall time. */
  speedup?: number;
}

/** Whether `sim` is within `tolerance` (a fraction) of `real`; undefined when either is missing. */
export function within(sim?: number, real?: number, tolerance = 0): boolean | undefined {
  if (sim === undefined || real === undefined) return undefined;
  if (real === 0) return sim === 0;
  return Math.abs(sim - real) / Math.abs(real) <= tolerance;
}

const _CHECK = (ok: boolean | undefined) => ok === undefined ? "-" : ok ? "yes" : "NO";

/**
 * The fidelity table: per configuration, the process and simulated verdicts, msgs/op (all) and
 * latency medians side by side, whether each agrees, and the simulator's speed-up.
 */
export function formatFidelity(
  figures: readonly SimFigure[],
  processRows: readonly BenchRow[],
  isBroadcast: (name: string) => boolean,
): string {
  const real = new Map(processRows.map((row) => [row.name, row]));
  return markdownTable(
    [
      "config",
      "valid process / sim",
      "msgs/op all process / sim",
      "within 5 %",
      "latency p50 process / sim (ms)",
      "within 10 % (broadcast)",
      "sim speed-up (× real time)",
    ],
    figures.map(({ row, speedup }) => {
      const p = real.get(row.name);
      const latencyOk = isBroadcast(row.name)
        ? within(row.latencyMedian, p?.latencyMedian, 0.1)
        : undefined;
      return [
        row.name,
        `${p === undefined ? "-" : String(p.valid)} / ${String(row.valid)}` +
        (p !== undefined && p.valid !== row.valid ? " (differ)" : ""),
        `${fixed(p?.msgsPerOpAll, 2)} / ${fixed(row.msgsPerOpAll, 2)}`,
        _CHECK(within(row.msgsPerOpAll, p?.msgsPerOpAll, 0.05)),
        `${fixed(p?.latencyMedian, 1)} / ${fixed(row.latencyMedian, 1)}`,
        _CHECK(latencyOk),
        speedup === undefined ? "-" : fixed(speedup, 0),
      ];
    }),
  );
}

async function _speedup(storePath: string): Promise<number | undefined> {
  if (storePath === "") return undefined;
  const results = JSON.parse(await Deno.readTextFile(join(storePath, "results.json")));
  const history = (await Deno.readTextFile(join(storePath, "history.jsonl"))).trimEnd();
  const last = history.slice(history.lastIndexOf("\n") + 1);
  const virtualMs = last === "" ? 0 : JSON.parse(last).time / 1e6;
  const wallMs = results.harness?.["wall-ms"];
  return typeof wallMs === "number" && wallMs > 0 ? virtualMs / wallMs : undefined;
}

/** Runs the simulated bench; returns the exit code (1 when a fidelity check fails). */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: "string" },
      runs: { type: "string", default: "3" },
      store: { type: "string", default: "store" },
    },
  });
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean);
  const configs = selectConfigs(benchConfigs(), only);
  const runs = Number(values.runs);
  const figures: SimFigure[] = [];
  for (const config of configs) {
    const rows: BenchRow[] = [];
    const speedups: number[] = [];
    for (let seed = 1; seed <= runs; seed++) {
      const run = await runConfig(config, seed, { store: values.store, engine: "sim" });
      rows.push(run.row);
      const speedup = await _speedup(run.storePath).catch(() => undefined);
      if (speedup !== undefined) speedups.push(speedup);
      console.error(`${config.name} seed ${seed} (sim): ${JSON.stringify(run.row)}`);
    }
    const speedup = median(speedups);
    figures.push({
      row: medianRow(config.name, rows, config.target),
      ...(speedup === undefined ? {} : { speedup }),
    });
  }
  const root = new URL("../", import.meta.url);
  const processRows: BenchRow[] = JSON.parse(
    await Deno.readTextFile(new URL("bench/results.json", root)).catch(() => '{"medians":[]}'),
  ).medians;
  const broadcast = new Set(configs.filter((c) => c.challenge === "broadcast").map((c) => c.name));
  const table = formatFidelity(figures, processRows, (name) => broadcast.has(name));
  console.log(table);
  if (only === undefined) {
    const out = fileURLToPath(new URL("bench/sim.md", root));
    await Deno.writeTextFile(
      out,
      `# The simulator beside the processes

Generated on ${new Date().toISOString().slice(0, 10)} by \`deno task bench:sim --runs ${runs}\`:
every configuration of \`deno task bench\` on the simulator (seeds 1..${runs}, medians), beside the
process medians of \`bench/README.md\`. Fidelity, as the simulator's issue states it: the verdicts
agree, msgs/op (all) within 5 %, and broadcast stable-latency medians within 10 %; the process run
also pays this machine's time per hop (pipes, event loops, a shared CPU), which the simulator
models as zero, so a simulated latency is a lower bound. Speed-up is virtual run length over wall
time (start, both phases, teardown, analysis and store).

${table}
`,
    );
    await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", out] }).output();
    console.error(`wrote ${out}`);
  }
  const real = new Map(processRows.map((row) => [row.name, row]));
  const agree = figures.every(({ row }) => {
    const p = real.get(row.name);
    return p === undefined || p.valid === row.valid;
  });
  return agree ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
