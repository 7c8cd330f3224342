/**
 * The pn-counter / g-counter checker (Maelstrom's `workload/pn_counter.clj`): every ok final read
 * must be the sum of the ok adds plus the sum of some subset of the indeterminate (info) adds.
 *
 * @module
 */

import { isLong } from "../node_json.ts";
import type { CheckResult } from "../workloads/contract.ts";
import type { Op } from "../history.ts";

/** A closed integer interval `[lo, hi]`. */
export type Interval = [number, number];

/** Merges integer intervals: overlapping or adjacent ones (`[1, 3]`, `[4, 6]`) become one. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/**
 * The set of acceptable counter values: `definite` plus any subset sum of `indefinite`, kept as
 * merged intervals. Each indefinite delta d maps the set S to S ∪ (S + d), so the work is linear
 * in the number of intervals, never in the number of subsets. Right for negative deltas too.
 *
 * @example
 * ```ts
 * import { acceptableSums } from "./counter.ts";
 * acceptableSums(10, [5, -1, -1]); // [[8, 10], [13, 15]]
 * ```
 */
export function acceptableSums(definite: number, indefinite: readonly number[]): Interval[] {
  let set: Interval[] = [[definite, definite]];
  for (const d of indefinite) {
    if (d === 0) continue;
    set = mergeIntervals([...set, ...set.map(([lo, hi]): Interval => [lo + d, hi + d])]);
  }
  return set;
}

function _contains(set: readonly Interval[], value: number): boolean {
  return set.some(([lo, hi]) => lo <= value && value <= hi);
}

/**
 * Checks the final reads of a counter history. Only `ok` reads flagged `final` are checked;
 * intermediate reads never are, and with no ok final read the check passes vacuously.
 *
 * @returns `{ valid, errors, final-reads, acceptable }`: `errors` lists the failing read ops, or is
 * null when there are none (Maelstrom's `(seq errors)`); `acceptable` is `[[lo, hi], …]`. A
 * non-integer final read (which Maelstrom asserts against) gives `valid: "unknown"`.
 */
export function checkCounter(history: readonly Op[]): CheckResult {
  let definite = 0;
  const indefinite: number[] = [];
  for (const op of history) {
    if (op.f !== "add" || typeof op.value !== "number") continue;
    if (op.type === "ok") definite += op.value;
    else if (op.type === "info") indefinite.push(op.value);
  }
  const acceptable = acceptableSums(definite, indefinite);
  const reads = history.filter((op) => op.final === true && op.type === "ok");
  const bad = reads.find((op) => !isLong(op.value));
  if (bad !== undefined) {
    return {
      valid: "unknown",
      error: `Final read value ${JSON.stringify(bad.value)} isn't an integer`,
    };
  }
  // A JsonLong lies beyond 2^53, past any sum of the deltas a run can add.
  const errors = reads.filter((op) =>
    typeof op.value !== "number" || !_contains(acceptable, op.value)
  );
  return {
    valid: errors.length === 0,
    errors: errors.length > 0 ? errors : null,
    "final-reads": reads.map((op) => op.value),
    acceptable,
  };
}
