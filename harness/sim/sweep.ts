/**
 * Seed sweeps: `deno task sim test … --seeds 1..1000 [--shard i/n] [--workers W]` runs the same
 * simulated test once per seed, spread over worker processes (both cores by default), keeps the
 * store of every run that is not valid (and removes the others), prints a table of verdicts, and
 * names every failing seed with the command that replays it. `--shard i/n` runs the i-th of n
 * disjoint slices of the seeds, so a sweep larger than one machine runs on any scheduler (a CI
 * matrix, a batch system); each shard writes `sweep.json`, and `deno task sim merge FILE…` joins
 * them.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { UsageError } from "../cli.ts";
import { replayCommand } from "./replay.ts";
import { takeFlags } from "./take_flags.ts";

/** The sweep flags taken out of argv. */
export interface SweepArgs {
  /** The seeds to run, after the shard is applied. */
  seeds: number[];
  /** `[i, n]`: this is the i-th (from 1) of n shards. */
  shard: [number, number];
  workers: number;
  /** argv without the sweep flags (no `--seed` either). */
  rest: string[];
}

/** One seed's outcome. */
export interface SeedResult {
  seed: number;
  /** `true`, `false` or `"unknown"`; `"error"` when the run could not be made. */
  valid: boolean | "unknown" | "error";
  exitCode: number;
  /** Why it is not valid (the failing checkers, or the harness's error). */
  reason?: string;
  /** The kept store of a run that is not valid. */
  storePath?: string;
}

/** What a sweep (or one shard of it) writes to `sweep.json`. */
export interface SweepSummary {
  /** The command line without the sweep flags. */
  argv: string[];
  shard: [number, number];
  results: SeedResult[];
}

/**
 * Takes `--seeds A..B` (or one number), `--shard i/n` and `--workers W` out of `argv`; undefined
 * when there is no `--seeds`.
 *
 * @throws {UsageError} For a malformed range or shard, or `--seed` given with `--seeds`.
 */
export function splitSweepArgs(
  argv: readonly string[],
  defaultWorkers = navigator.hardwareConcurrency,
): SweepArgs | undefined {
  const { values, rest } = takeFlags(argv, ["--seeds", "--shard", "--workers"]);
  const range = values.get("--seeds");
  const shardText = values.get("--shard");
  const workersText = values.get("--workers");
  if (range === undefined) {
    if (shardText !== undefined || workersText !== undefined) {
      throw new UsageError("--shard and --workers go with --seeds");
    }
    return undefined;
  }
  if (rest.some((arg) => arg === "--seed" || arg.startsWith("--seed="))) {
    throw new UsageError("--seed and --seeds exclude each other");
  }
  const match = /^(\d+)(?:\.\.(\d+))?$/.exec(range);
  const from = Number(match?.[1]);
  const to = Number(match?.[2] ?? match?.[1]);
  if (match === null || to < from) {
    throw new UsageError(`--seeds expects A..B with A <= B, or one seed; got ${range}`);
  }
  const shardMatch = /^(\d+)\/(\d+)$/.exec(shardText ?? "1/1");
  const shard: [number, number] = [Number(shardMatch?.[1]), Number(shardMatch?.[2])];
  if (shardMatch === null || shard[0] < 1 || shard[0] > shard[1]) {
    throw new UsageError(`--shard expects i/n with 1 <= i <= n; got ${shardText}`);
  }
  const workers = Number(workersText ?? Math.max(1, defaultWorkers));
  if (!Number.isInteger(workers) || workers < 1) {
    throw new UsageError(`--workers expects a positive integer; got ${workersText}`);
  }
  const seeds: number[] = [];
  for (let seed = from, k = 0; seed <= to; seed++, k++) {
    if (k % shard[1] === shard[0] - 1) seeds.push(seed);
  }
  return { seeds, shard, workers, rest };
}

/** Deals `seeds` to `workers` round robin (neighbouring seeds cost about the same). */
export function dealSeeds(seeds: readonly number[], workers: number): number[][] {
  const hands: number[][] = Array.from({ length: Math.min(workers, seeds.length) }, () => []);
  seeds.forEach((seed, i) => hands[i % hands.length]?.push(seed));
  return hands;
}

/** The sweep's report: counts, then one line per seed that is not valid, with its replay. */
export function formatSweep(summary: SweepSummary): string {
  const count = (valid: SeedResult["valid"]) =>
    summary.results.filter((r) => r.valid === valid).length;
  const failing = summary.results.filter((r) => r.valid !== true).sort((a, b) => a.seed - b.seed);
  const [i, n] = summary.shard;
  const lines = [
    `${summary.results.length} seeds${n > 1 ? ` (shard ${i}/${n})` : ""}: ${count(true)} valid, ` +
    `${count(false)} invalid, ${count("unknown")} unknown, ${count("error")} not run`,
  ];
  for (const r of failing) {
    lines.push(
      `  seed ${r.seed}: ${r.valid === false ? "INVALID" : String(r.valid).toUpperCase()}` +
        `${r.reason === undefined ? "" : ` (${r.reason})`}`,
      `    replay: ${replayCommand(summary.argv, r.seed)}`,
    );
    if (r.storePath !== undefined) lines.push(`    store: ${r.storePath}`);
  }
  return lines.join("\n");
}

/** Joins shard summaries of one sweep into one. */
export function mergeSweeps(summaries: readonly SweepSummary[]): SweepSummary {
  const first = summaries[0];
  if (first === undefined) throw new UsageError("merge: no sweep.json given");
  const argv = JSON.stringify(first.argv);
  for (const s of summaries) {
    if (JSON.stringify(s.argv) !== argv) {
      throw new UsageError("merge: the summaries come from different command lines");
    }
  }
  const results = summaries.flatMap((s) => s.results).sort((a, b) => a.seed - b.seed);
  return { argv: first.argv, shard: [1, 1], results };
}

const _WORKER = fileURLToPath(new URL("./sweep_worker.ts", import.meta.url));

/**
 * Runs the sweep: one worker process per hand of seeds, each running its seeds one after
 * another; writes `<root>/sweep.json` and returns the summary.
 */
export async function runSweep(
  args: SweepArgs,
  root: string,
  onResult: (result: SeedResult) => void = () => {},
): Promise<SweepSummary> {
  await Deno.mkdir(root, { recursive: true });
  const results: SeedResult[] = [];
  await Promise.all(
    dealSeeds(args.seeds, args.workers).map(async (hand) => {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", _WORKER, JSON.stringify({ argv: args.rest, seeds: hand, root })],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const reported = new Set<number>();
      let buffer = "";
      const decoder = new TextDecoder();
      for await (const chunk of child.stdout) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n")) !== -1) {
          const result = JSON.parse(buffer.slice(0, end)) as SeedResult;
          buffer = buffer.slice(end + 1);
          reported.add(result.seed);
          results.push(result);
          onResult(result);
        }
      }
      const status = await child.status;
      for (const seed of hand) {
        if (reported.has(seed)) continue;
        const result: SeedResult = {
          seed,
          valid: "error",
          exitCode: 2,
          reason: `its worker exited with status ${status.code} first`,
        };
        results.push(result);
        onResult(result);
      }
    }),
  );
  const summary: SweepSummary = {
    argv: args.rest,
    shard: args.shard,
    results: results.sort((a, b) => a.seed - b.seed),
  };
  await Deno.writeTextFile(`${root}/sweep.json`, JSON.stringify(summary, null, 2) + "\n");
  return summary;
}
