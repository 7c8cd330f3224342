/**
 * `deno task challenges`: runs every official Gossip Glomers command against our challenges
 * through the local harness and prints one results table.
 *
 * Usage: `deno task challenges [--quick] [--only 1,3d] [--seed N] [--store DIR]`. `--quick` cuts
 * every main phase to 5 s (about two minutes in all instead of about seven). Exits 0 when every
 * run is valid, 1 otherwise, 2 on bad flags.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { parseCli } from "../harness/cli.ts";
import { runTest } from "../harness/run.ts";
import {
  interrupted,
  nodeEnv,
  OFFICIAL_RUNS,
  type OfficialRun,
  officialRun,
  withTimeLimit,
} from "./official.ts";
import { formatTable, type ResultRow, rowFromResults } from "./results_table.ts";

const USAGE = "usage: deno task challenges [--quick] [--only 1,3d,5c] [--seed N] [--store DIR]";

/** Options of one pass over the official runs. */
export interface ChallengesOptions {
  /** Names of the runs to do; all when empty. */
  only: readonly string[];
  /** Main-phase seconds for every run, instead of the official ones. */
  timeLimit?: number;
  seed: number;
  storeDir: string;
}

/** The harness argv of one official run. */
export function harnessArgv(run: OfficialRun, options: ChallengesOptions): string[] {
  const flags = options.timeLimit === undefined
    ? run.flags
    : withTimeLimit(run.flags, options.timeLimit);
  return [
    "test",
    "-w",
    run.challenge,
    "--bin",
    `challenges/${run.challenge}.ts`,
    ...flags,
    "--seed",
    String(options.seed),
    "--store",
    options.storeDir,
  ];
}

/** Selects runs by name; throws RangeError for an unknown name. */
export function selectRuns(only: readonly string[]): OfficialRun[] {
  if (only.length === 0) return [...OFFICIAL_RUNS];
  return only.map(officialRun);
}

/**
 * Runs the selected official runs one after another; returns their rows, and the exit code of a
 * run that SIGINT or SIGTERM ended (no later run starts then).
 */
export async function runChallenges(
  options: ChallengesOptions,
): Promise<{ rows: ResultRow[]; interruptedExit?: number }> {
  const rows: ResultRow[] = [];
  for (const run of selectRuns(options.only)) {
    const argv = harnessArgv(run, options);
    const env = run.env ? `${Object.entries(run.env).map(([k, v]) => `${k}=${v} `).join("")}` : "";
    console.error(`\n== ${run.name}: ${env}deno task harness ${argv.join(" ")}`);
    const result = await runTest({
      ...parseCli(argv, () => options.seed),
      quiet: true,
      env: nodeEnv(run.env),
    });
    const row = rowFromResults(run.name, result.results, run.target);
    row.note = result.storePath;
    console.error(
      `   ${
        row.valid === true ? "valid" : `NOT VALID (${String(row.valid)})`
      }: ${result.storePath}`,
    );
    rows.push(row);
    if (interrupted(result.exitCode)) return { rows, interruptedExit: result.exitCode };
  }
  return { rows };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean" },
      only: { type: "string" },
      seed: { type: "string", default: "1" },
      store: { type: "string", default: "store" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) {
    throw new RangeError(`--seed expects an integer, got "${values.seed}"`);
  }
  const options: ChallengesOptions = {
    only: values.only ? values.only.split(",").map((s) => s.trim()) : [],
    seed,
    storeDir: values.store,
    ...(values.quick ? { timeLimit: 5 } : {}),
  };
  selectRuns(options.only);
  const { rows, interruptedExit } = await runChallenges(options);
  if (interruptedExit !== undefined) {
    console.error("challenges: interrupted; the runs after it were not started");
    return interruptedExit;
  }
  console.log(
    `\nOfficial Gossip Glomers runs through the local harness (seed ${seed}${
      values.quick ? ", --quick: 5 s main phases" : ""
    }):\n`,
  );
  console.log(formatTable(rows));
  const valid = rows.filter((row) => row.valid === true).length;
  console.log(`\n${valid} of ${rows.length} runs valid.`);
  return valid === rows.length ? 0 : 1;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`challenges: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    Deno.exit(2);
  }
}
