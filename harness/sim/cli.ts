/**
 * `deno task sim test -w WORKLOAD --node PATH [--factory NAME] [every harness flag]`: the
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

/** The usage text printed after a bad flag. */
export const SIM_USAGE = `Usage: deno task sim test -w WORKLOAD --node PATH [--factory NAME] [flags]

  --node PATH                a module exporting a node factory (options) => Node, built with
                             lib/ (every challenge exports one): relative, absolute or file://
  --factory NAME             the export to use (default: the one export named create…Node)
  Runs the nodes in this process on virtual time: the same seed gives the same history.

The flags of the harness (--bin and arguments for the binary excepted):
${USAGE.split("\n").slice(2).filter((line) => !line.startsWith("  --bin")).join("\n")}`;

/** The sim's own flags taken out of argv, and the rest for the harness's parser. */
export interface SimArgs {
  node: string;
  factory: string | undefined;
  /** argv for {@linkcode parseCli}, with `--node PATH` in the `--bin` slot. */
  harnessArgv: string[];
}

/** Takes `--node` and `--factory` out of `argv`; throws {@linkcode UsageError}. */
export function splitSimArgs(argv: readonly string[]): SimArgs {
  let node: string | undefined;
  let factory: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (flag === "--node" || flag === "--factory") {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "") throw new UsageError(`${flag} expects a value`);
      if (flag === "--node") node = value;
      else factory = value;
    } else if (flag === "--bin") {
      throw new UsageError("--bin runs a process: use deno task harness (the sim takes --node)");
    } else if (arg === "--") {
      throw new UsageError("a simulated node takes no arguments after --");
    } else {
      rest.push(arg);
    }
  }
  if (node === undefined) throw new UsageError("--node is required");
  return { node, factory, harnessArgv: [...rest, "--bin", node] };
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

/** The command that replays a run: `argv` with its seed pinned. */
export function replayCommand(argv: readonly string[], seed: number): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--seed") i++;
    else if (!arg.startsWith("--seed=")) kept.push(arg);
  }
  const quote = (word: string) => /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word}'`;
  return `deno task sim ${[...kept, "--seed", String(seed)].map(quote).join(" ")}`;
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

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: RunOptions;
  try {
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
