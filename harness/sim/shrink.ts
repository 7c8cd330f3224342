/**
 * Shrinking a failing simulated run: `deno task sim shrink <the run's test command, seed included>
 * [--budget S]` searches for a smaller command that still fails with the same seed (a shorter time
 * limit, fewer nodes, a lower rate, fewer kinds of fault), greedily: it tries each smaller step in
 * turn, keeps the first that still fails, and starts over from there, until no step fails or the
 * time budget (default 60 s) is spent. It prints the smallest failing command, which replays
 * exactly, and the store of its run.
 *
 * @module
 */

import { runTest } from "../run.ts";
import { parseSimCli } from "./cli.ts";

/** The value of `flag` in `argv`, if given (`--flag value` or `--flag=value`). */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag) return argv[i + 1];
    if (argv[i]?.startsWith(`${flag}=`)) return argv[i]?.slice(flag.length + 1);
  }
  return undefined;
}

/** `argv` with `flag` set to `value` (appended when absent), or removed when `value` is undefined. */
export function withFlagValue(
  argv: readonly string[],
  flag: string,
  value: string | undefined,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === flag) i++;
    else if (!arg.startsWith(`${flag}=`)) out.push(arg);
  }
  return value === undefined ? out : [...out, flag, value];
}

/**
 * The one-step smaller commands of `argv`, most shrinking first: half the time limit (at least
 * 1 s), one node fewer, half the rate, and each kind of fault left out.
 *
 * @param defaults Maelstrom's defaults for flags `argv` leaves out (time limit, node count, rate).
 */
export function smallerSteps(
  argv: readonly string[],
  defaults: { timeLimit: number; nodeCount: number; rate: number },
): { what: string; argv: string[] }[] {
  const steps: { what: string; argv: string[] }[] = [];
  const timeLimit = Number(flagValue(argv, "--time-limit") ?? defaults.timeLimit);
  if (timeLimit > 1) {
    const shorter = Math.max(1, Math.floor(timeLimit / 2));
    steps.push({
      what: `--time-limit ${shorter}`,
      argv: withFlagValue(argv, "--time-limit", String(shorter)),
    });
  }
  const nodeCount = Number(flagValue(argv, "--node-count") ?? defaults.nodeCount);
  if (nodeCount > 1) {
    steps.push({
      what: `--node-count ${nodeCount - 1}`,
      argv: withFlagValue(argv, "--node-count", String(nodeCount - 1)),
    });
  }
  const rate = Number(flagValue(argv, "--rate") ?? defaults.rate);
  if (rate > 1) {
    const lower = Math.max(1, Math.floor(rate / 2));
    steps.push({ what: `--rate ${lower}`, argv: withFlagValue(argv, "--rate", String(lower)) });
  }
  const faults = (flagValue(argv, "--nemesis") ?? "").split(",").filter((f) => f !== "");
  for (const fault of faults) {
    const rest = faults.filter((f) => f !== fault);
    steps.push({
      what: `without ${fault}`,
      argv: withFlagValue(argv, "--nemesis", rest.length === 0 ? undefined : rest.join(",")),
    });
  }
  return steps;
}

/** What {@linkcode shrink} found. */
export interface ShrinkResult {
  /** The smallest failing command (argv after `deno task sim`). */
  argv: string[];
  /** The steps taken, in order. */
  steps: string[];
  /** Runs made, and whether the budget ran out before every step was tried. */
  tries: number;
  stoppedEarly: boolean;
  /** The store of the smallest failing run. */
  storePath: string;
}

/** Runs `argv` once; whether it failed (invalid), and its store. */
async function _fails(argv: readonly string[]): Promise<{ failed: boolean; storePath: string }> {
  const options = await parseSimCli(argv, () => 1);
  const run = await runTest({ ...options, quiet: true });
  return { failed: run.results.valid === false, storePath: run.storePath };
}

/**
 * Shrinks a failing command (see the module doc). `argv` must fail as given.
 *
 * @throws {Error} When `argv` does not fail.
 */
export async function shrink(
  argv: readonly string[],
  budgetMs: number,
  log: (line: string) => void = () => {},
): Promise<ShrinkResult> {
  const deadline = performance.now() + budgetMs;
  let current = [...argv];
  const first = await _fails(current);
  if (!first.failed) throw new Error("the command does not fail: nothing to shrink");
  let storePath = first.storePath;
  const steps: string[] = [];
  let tries = 1;
  let stoppedEarly = false;
  const defaults = { timeLimit: 60, nodeCount: 5, rate: 5 };
  outer: for (;;) {
    for (const step of smallerSteps(current, defaults)) {
      if (performance.now() > deadline) {
        stoppedEarly = true;
        break outer;
      }
      tries++;
      const outcome = await _fails(step.argv);
      log(`${step.what}: ${outcome.failed ? "still fails" : "passes"}`);
      if (outcome.failed) {
        current = step.argv;
        storePath = outcome.storePath;
        steps.push(step.what);
        continue outer;
      }
    }
    break;
  }
  return { argv: current, steps, tries, stoppedEarly, storePath };
}
