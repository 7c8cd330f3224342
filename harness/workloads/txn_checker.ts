/**
 * The txn-rw-register checker: infers dependencies (see `txn_deps.ts`), finds cycles (see
 * `txn_cycles.ts`), and judges the anomalies against the requested consistency models.
 *
 * Differences from Maelstrom, on purpose: G0 is detectable (every write is a version, and a
 * transaction's own successive writes are ordered; Maelstrom's #56); `--consistency-models` is
 * split on commas (Maelstrom's regex needs spaces around them); an unknown model is rejected up
 * front instead of crashing the checker; an empty transaction graph is valid, not `unknown`.
 *
 * @module
 */

import type { CheckResult, Op } from "../types.ts";
import { findCycles } from "./txn_cycles.ts";
import { inferDeps } from "./txn_deps.ts";
import { Rel } from "./txn_graph.ts";

const ALWAYS = ["garbage-read", "duplicate-writes", "cyclic-versions", "G0"];
const RC = [...ALWAYS, "G1a", "G1b", "G1c"];
const RA = [...RC, "fractured-read"];
const SER = [...RA, "G-single", "G2-item", "internal", "lost-update"];
const EXTRA = ["G0", "G1c", "G-single", "G2-item"];

/** Each supported model and the anomalies it forbids. */
export const MODEL_FORBIDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["read-uncommitted", ALWAYS],
  ["read-committed", RC],
  ["read-atomic", RA],
  ["causal", [...RA, "G0-process", "G1c-process"]],
  ["snapshot-isolation", [...RA, "G-single", "lost-update"]],
  ["repeatable-read", [...RA, "G-single", "G2-item", "lost-update"]],
  ["serializable", SER],
  [
    "strict-serializable",
    [...SER, ...EXTRA.flatMap((a) => [`${a}-process`, `${a}-realtime`])],
  ],
]);

/**
 * Splits and validates `--consistency-models` values (each may hold a comma list).
 *
 * @throws {RangeError} When a model is not supported.
 */
export function parseModels(models: readonly string[]): string[] {
  const out = models.flatMap((m) => m.split(",")).map((m) => m.trim()).filter((m) => m !== "");
  for (const model of out) {
    if (!MODEL_FORBIDS.has(model)) {
      throw new RangeError(
        `--consistency-models: unknown model ${JSON.stringify(model)}; supported: ${
          [...MODEL_FORBIDS.keys()].join(", ")
        }`,
      );
    }
  }
  return out.length === 0 ? ["strict-serializable"] : out;
}

function _isWeaker(a: string, b: string): boolean {
  const fa = MODEL_FORBIDS.get(a) ?? [];
  const fb = new Set(MODEL_FORBIDS.get(b) ?? []);
  return fa.length < fb.size && fa.every((x) => fb.has(x));
}

/** How many examples each anomaly type keeps. */
const EXAMPLES = 8;

/**
 * Checks a txn-rw-register history against `models` (already split; default
 * strict-serializable). Output: `valid`, `models`, `anomaly-types` (every type found),
 * `anomalies` (`{type: [examples]}`), `counts`, `not` (the weakest supported models ruled out)
 * and `also-not` (the stronger ones).
 */
export function checkTxn(history: readonly Op[], models: readonly string[]): CheckResult {
  const chosen = parseModels(models);
  const forbidden = new Set(chosen.flatMap((m) => MODEL_FORBIDS.get(m) ?? []));
  let extras = 0;
  if ([...forbidden].some((a) => a.endsWith("-process"))) extras |= Rel.process;
  if ([...forbidden].some((a) => a.endsWith("-realtime"))) extras |= Rel.realtime;
  const anomalies: Record<string, unknown[]> = {};
  const counts: Record<string, number> = {};
  const report = (type: string, example: Record<string, unknown>) => {
    counts[type] = (counts[type] ?? 0) + 1;
    const list = anomalies[type] ??= [];
    if (list.length < EXAMPLES) list.push(example);
  };
  const deps = inferDeps(history, extras, report);
  const incomplete = findCycles(deps, extras, report);
  const types = Object.keys(anomalies).sort();
  const violated = [...MODEL_FORBIDS].filter(([, f]) => f.some((a) => types.includes(a)))
    .map(([m]) => m);
  const not = violated.filter((m) => !violated.some((w) => _isWeaker(w, m)));
  const result: CheckResult = {
    valid: !types.some((t) => forbidden.has(t)),
    models: chosen,
    "anomaly-types": types,
    anomalies,
    counts,
    not,
    "also-not": violated.filter((m) => !not.includes(m)),
    "txn-count": deps.txns.length,
  };
  if (incomplete) result["cycle-search-incomplete"] = true;
  return result;
}
