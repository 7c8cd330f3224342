/**
 * Shrinking a failing simulated run: `deno task sim shrink <the run's test command, seed included>
 * [--budget S]` searches for a smaller command that still fails with the same seed (a shorter time
 * limit, fewer nodes, a lower rate, fewer kinds of fault, fewer faults), greedily: it tries each
 * smaller step in turn, keeps the first that still fails, and starts over from there, until no step
 * fails or the time budget (default 60 s) is spent. It prints the smallest failing command, which
 * replays exactly, and the store of its run.
 *
 * The seed's choices survive the steps tried first: every concern draws from its own stream of the
 * seed (see `run.ts`), so a shorter time limit replays the same operations, latencies and faults up
 * to the new limit (the history's prefix is identical), and leaving a kind of fault out leaves the
 * other streams alone. Fewer nodes, a lower rate and a longer nemesis interval redraw.
 *
 * @module
 */

import { defaultTestOptions } from "../options.ts";
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

/** Maelstrom's defaults for the flags {@linkcode smallerSteps} shrinks. */
export interface ShrinkDefaults {
  timeLimit: number;
  nodeCount: number;
  rate: number;
  nemesisInterval: number;
}

/**
 * The one-step smaller commands of `argv`, those that keep the seed's choices first: half the time
 * limit (at least 1 s) and, when that is too short to fail, a quarter off it; each kind of fault
 * left out; then one node fewer, half the rate, and twice the nemesis interval (half as many
 * faults), which redraw.
 *
 * @param defaults Maelstrom's defaults for flags `argv` leaves out.
 */
export function smallerSteps(
  argv: readonly string[],
  defaults: ShrinkDefaults,
): { what: string; argv: string[] }[] {
  const steps: { what: string; argv: string[] }[] = [];
  const timeLimit = Number(flagValue(argv, "--time-limit") ?? defaults.timeLimit);
  const half = Math.max(1, Math.floor(timeLimit / 2));
  for (const shorter of new Set([half, timeLimit - Math.ceil(timeLimit / 4)])) {
    if (shorter >= 1 && shorter < timeLimit) {
      steps.push({
        what: `--time-limit ${shorter}`,
        argv: withFlagValue(argv, "--time-limit", String(shorter)),
      });
    }
  }
  const faults = (flagValue(argv, "--nemesis") ?? "").split(",").filter((f) => f !== "");
  for (const fault of faults) {
    const rest = faults.filter((f) => f !== fault);
    steps.push({
      what: `without ${fault}`,
      argv: withFlagValue(argv, "--nemesis", rest.length === 0 ? undefined : rest.join(",")),
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
  const interval = Number(flagValue(argv, "--nemesis-interval") ?? defaults.nemesisInterval);
  if (faults.length > 0 && 2 * interval <= timeLimit) {
    steps.push({
      what: `--nemesis-interval ${2 * interval}`,
      argv: withFlagValue(argv, "--nemesis-interval", String(2 * interval)),
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
  // Without --node-count, Maelstrom (and our CLI) runs five nodes, n1..n5.
  const { timeLimit, nodeCount, rate, nemesisInterval } = defaultTestOptions("", 5);
  const defaults = { timeLimit, nodeCount, rate, nemesisInterval };
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
