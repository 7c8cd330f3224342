/**
 * One worker of a seed sweep (`sweep.ts`): runs the simulated test once per seed it is given, one
 * after another, and prints one JSON line per seed. The store of a valid run is removed; one that
 * is not valid is kept for its report.
 *
 * Argument: one JSON object `{argv, seeds, root}` (argv without the sweep flags).
 *
 * @module
 */

import { failureReason } from "../summary.ts";
import { runTest } from "../run.ts";
import { parseSimCli } from "./cli.ts";
import type { SeedResult } from "./sweep.ts";

/** Why a results map is not valid: the harness's error, or the failing checkers. */
export function whyNotValid(results: Record<string, unknown>): string | undefined {
  if (results.valid === true) return undefined;
  const error = results["harness-error"] ?? results.error;
  if (typeof error === "string") return error.split("\n")[0];
  const failing = Object.entries(results)
    .filter(([, value]) =>
      typeof value === "object" && value !== null &&
      (value as { valid?: unknown }).valid !== true &&
      (value as { valid?: unknown }).valid !== undefined
    )
    .map(([name, value]) => failureReason(name, value as Record<string, unknown>));
  if (failing.length === 0) return undefined;
  const text = failing.join(", ");
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

if (import.meta.main) {
  const { argv, seeds, root } = JSON.parse(Deno.args[0] ?? "{}") as {
    argv: string[];
    seeds: number[];
    root: string;
  };
  for (const seed of seeds) {
    let result: SeedResult;
    try {
      const options = await parseSimCli(
        [...argv, "--seed", String(seed), "--store", root],
        () => seed,
      );
      const run = await runTest({ ...options, quiet: true });
      const valid = run.results.valid;
      const reason = whyNotValid(run.results);
      result = {
        seed,
        valid,
        exitCode: run.exitCode,
        ...(reason === undefined ? {} : { reason }),
        ...(valid === true || run.storePath === "" ? {} : { storePath: run.storePath }),
      };
      if (valid === true && run.storePath !== "") {
        await Deno.remove(run.storePath, { recursive: true });
      }
    } catch (error) {
      result = { seed, valid: "error", exitCode: 2, reason: String(error) };
    }
    console.log(JSON.stringify(result));
  }
}
