/**
 * `deno task sim test -w WORKLOAD --node PATH [--factory NAME] [every harness flag]`, and sweeps
 * over seeds (`--seeds`, `--shard`, `deno task sim merge`; see `sweep.ts`): the
 * harness's `test` command on the simulated engine. PATH is a module (relative, absolute or a
 * `file://` URL) exporting a node factory, found by its `create…Node` name or named with
 * `--factory`. Every other flag is the harness's, parsed by its own {@linkcode parseCli}.
 *
 * @module
 */

import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseCli, USAGE, UsageError } from "../cli.ts";
import { type RunOptions, runTest } from "../run.ts";
import { type NodeFactory, simEngine } from "./engine.ts";
import { replayCommand } from "./replay.ts";
import { compareRuns, formatDivergence } from "./determinism.ts";
import { flagValue, shrink, withFlagValue } from "./shrink.ts";
import { formatSweep, mergeSweeps, runSweep, splitSweepArgs, type SweepSummary } from "./sweep.ts";
import { timestampName } from "../store.ts";
import { takeFlags } from "./take_flags.ts";

/** The usage text printed after a bad flag. */
export const SIM_USAGE = `Usage: deno task sim test -w WORKLOAD --node PATH [--factory NAME] [flags]

  --node PATH                a module exporting a node factory (options) => Node, built with
                             lib/ (every challenge exports one): relative, absolute or file://
  --factory NAME             the export to use (default: the one export named create…Node)
  --seeds A..B               a sweep: one run per seed, over --workers processes (default: one
                             per core); exit 1 naming each failing seed with its replay command
  --shard i/n                only the i-th of n disjoint slices of the seeds (writes sweep.json;
                             deno task sim merge FILE… joins the shards' files)
  --determinism              run the seed twice and name the first line where the two runs'
                             messages or history differ (a node using the wall clock or
                             Math.random instead of node.clock and node.random)
  deno task sim shrink <a failing test command with its --seed> [--budget S]
                             the smallest command found that still fails (shorter, fewer nodes,
                             lower rate, fewer faults), with its replay; 60 s budget by default
  Runs the nodes in this process on virtual time: the same seed gives the same history.

The flags of the harness (--bin and arguments for the binary excepted):
${
  USAGE.split("\n").slice(2).filter((line) => !/^ {2}--bin|^deno task harness serve/.test(line))
    .join("\n").trimEnd()
}`;

/** The sim's own flags taken out of argv, and the rest for the harness's parser. */
export interface SimArgs {
  node: string;
  factory: string | undefined;
  /** argv for {@linkcode parseCli}, with `--node PATH` in the `--bin` slot. */
  harnessArgv: string[];
}

/** Takes `--node` and `--factory` out of `argv`; throws {@linkcode UsageError}. */
export function splitSimArgs(argv: readonly string[]): SimArgs {
  const { values, rest } = takeFlags(argv, ["--node", "--factory"]);
  if (rest.some((arg) => arg === "--bin" || arg.startsWith("--bin="))) {
    throw new UsageError("--bin runs a process: use deno task harness (the sim takes --node)");
  }
  if (rest.includes("--")) throw new UsageError("a simulated node takes no arguments after --");
  const node = values.get("--node");
  if (node === undefined) throw new UsageError("--node is required");
  return { node, factory: values.get("--factory"), harnessArgv: [...rest, "--bin", node] };
}

/** The module URL of `path`: a `file://` URL as is, a path resolved against the working directory. */
export function moduleUrl(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path;
  return pathToFileURL(isAbsolute(path) ? path : resolve(path)).href;
}

/**
 * The factory `module` exports: `name`, or its one `create…Node` function.
 *
 * @throws {UsageError} When there is no such export, or several to choose from.
 */
export function findFactory(module: Record<string, unknown>, name?: string): NodeFactory {
  if (name !== undefined) {
    const named = module[name];
    if (typeof named !== "function") {
      throw new UsageError(`--factory: the module exports no function ${name}`);
    }
    return named as NodeFactory;
  }
  const found = Object.keys(module).filter((key) =>
    /^create\w*Node$/.test(key) && typeof module[key] === "function"
  );
  if (found.length !== 1) {
    throw new UsageError(
      found.length === 0
        ? "--node: the module exports no create…Node function (name one with --factory)"
        : `--node: the module exports ${found.join(", ")}: choose one with --factory`,
    );
  }
  return module[found[0] as string] as NodeFactory;
}

/** Turns argv into run options on the simulated engine; throws {@linkcode UsageError}. */
export async function parseSimCli(
  argv: readonly string[],
  randomSeed: () => number,
): Promise<RunOptions> {
  const { node, factory, harnessArgv } = splitSimArgs(argv);
  const options = parseCli(harnessArgv, randomSeed);
  let module: Record<string, unknown>;
  try {
    module = await import(moduleUrl(node));
  } catch (error) {
    throw new UsageError(`--node: cannot import ${node}: ${error}`);
  }
  return {
    ...options,
    engine: simEngine(findFactory(module, factory)),
    replay: replayCommand(argv, options.seed),
  };
}

/** `deno task sim merge FILE…`: one report over shard summaries; exit 1 when a seed failed. */
async function _merge(files: readonly string[]): Promise<number> {
  const summaries: SweepSummary[] = [];
  for (const file of files) summaries.push(JSON.parse(await Deno.readTextFile(file)));
  const merged = mergeSweeps(summaries);
  console.log(formatSweep(merged));
  return merged.results.every((r) => r.valid === true) ? 0 : 1;
}

/** A sweep over `--seeds`: exit 0 when every seed is valid, 1 otherwise. */
async function _sweep(sweep: NonNullable<ReturnType<typeof splitSweepArgs>>): Promise<number> {
  // Checks the command line once, with the first seed, before any worker starts.
  await parseSimCli([...sweep.rest, "--seed", String(sweep.seeds[0] ?? 1)], () => 1);
  const storeAt = sweep.rest.lastIndexOf("--store");
  const store = storeAt === -1 ? "store" : sweep.rest[storeAt + 1] ?? "store";
  const root = `${store}/sweeps/${timestampName(new Date())}`;
  let done = 0;
  const summary = await runSweep(sweep, root, (result) => {
    done++;
    if (result.valid !== true) console.error(`seed ${result.seed}: ${result.valid}`);
    if (done % 50 === 0) console.error(`${done} of ${sweep.seeds.length} seeds`);
  });
  console.log(formatSweep(summary));
  console.log(`summary: ${root}/sweep.json`);
  return summary.results.every((r) => r.valid === true) ? 0 : 1;
}

/** `deno task sim shrink <test command> [--budget S]`: the smallest failing command found. */
async function _shrink(argv: readonly string[]): Promise<number> {
  const budgetS = Number(flagValue(argv, "--budget") ?? 60);
  if (!(budgetS > 0)) throw new UsageError("--budget expects seconds > 0");
  const command = withFlagValue(argv, "--budget", undefined);
  const store = flagValue(command, "--store") ?? "store";
  const tries = withFlagValue(command, "--store", `${store}/shrink/${timestampName(new Date())}`);
  const found = await shrink(tries, budgetS * 1000, (line) => console.error(line));
  const smallest = withFlagValue(found.argv, "--store", flagValue(command, "--store"));
  const seed = Number(flagValue(smallest, "--seed"));
  console.log(
    [
      `smallest failing run after ${found.tries} runs${
        found.stoppedEarly ? ` (stopped early: the ${budgetS} s budget ran out)` : ""
      }: ${found.steps.length === 0 ? "no smaller step fails" : found.steps.join(", ")}`,
      `replay: ${replayCommand(smallest, seed)}`,
      `store: ${found.storePath}`,
    ].join("\n"),
  );
  return 0;
}

/** `--determinism`: the same seed twice; exit 0 when both runs wrote the same, 1 otherwise. */
async function _determinism(argv: readonly string[]): Promise<number> {
  const options = await parseSimCli(
    argv,
    () => crypto.getRandomValues(new Uint32Array(1))[0] as number,
  );
  const [a, b] = [
    await runTest({ ...options, quiet: true }),
    await runTest({ ...options, quiet: true }),
  ];
  const divergence = await compareRuns(a.storePath, b.storePath);
  console.log(formatDivergence(divergence, options.seed));
  console.log(`stores: ${a.storePath} ${b.storePath}`);
  return divergence === undefined ? 0 : 1;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: RunOptions;
  try {
    if (argv[0] === "merge") return await _merge(argv.slice(1));
    if (argv[0] === "shrink") return await _shrink(argv.slice(1));
    if (argv.includes("--determinism")) {
      return await _determinism(argv.filter((arg) => arg !== "--determinism"));
    }
    const sweep = splitSweepArgs(argv);
    if (sweep !== undefined) return await _sweep(sweep);
    options = await parseSimCli(
      argv,
      () => crypto.getRandomValues(new Uint32Array(1))[0] as number,
    );
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n\n${SIM_USAGE}`);
    return 2;
  }
  console.error(`seed: ${options.seed}`);
  try {
    const { exitCode, storePath, results } = await runTest(options);
    if (storePath === "" && typeof results.error === "string") console.error(`\n${SIM_USAGE}`);
    return exitCode;
  } catch (error) {
    console.error(`HARNESS FAILURE: ${error instanceof Error ? error.stack : error}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
