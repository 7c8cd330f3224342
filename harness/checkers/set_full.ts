/**
 * Jepsen's `set-full` checker, as Maelstrom runs it for broadcast (and g-set): each added element
 * is followed through the reads completed after its add was invoked, and classified as stable,
 * lost or never read.
 *
 * @module
 */

import type { CheckResult } from "../workloads/contract.ts";
import type { Op } from "../history.ts";
import { quantiles } from "../stats.ts";
import { compareJson, jsonKey, valueKey } from "../json_value.ts";
import { finalReadGaps, reportFinalReadGaps } from "./final_read_gaps.ts";

/** Options of {@linkcode checkSetFull}. */
export interface SetFullOptions {
  /** The `:f` of the add operations (`"broadcast"` or `"add"`); reads are `"read"`. */
  addF: string;
  /** How an ok read's value becomes its elements (broadcast: the value itself). */
  readElements?: (value: unknown) => readonly unknown[];
  /**
   * Whether a final read lacking an acknowledged element makes the result invalid even when a
   * later read excuses it (`--strict`). Either way such reads are listed in `warnings` and
   * `final-read-missing`.
   */
  strict?: boolean;
}

interface _Element {
  element: unknown;
  /** The number of the last read that held the element (-1: none yet). */
  seenIn: number;
  known?: Op;
  lastPresent?: Op;
  lastAbsent?: Op;
}

/** One element's verdict, as in Jepsen's `set-full-element-results`. */
export interface SetFullElement {
  element: unknown;
  outcome: "stable" | "lost" | "never-read";
  "stable-latency": number | null;
  "lost-latency": number | null;
  known: Op | null;
  "last-absent": Op | null;
}

function _nanosToMs(nanos: number): number {
  return Math.trunc(nanos / 1e6);
}

function _result(e: _Element): SetFullElement {
  const { known, lastPresent, lastAbsent } = e;
  const stable = lastPresent !== undefined && (lastAbsent?.index ?? -1) < lastPresent.index;
  // An absence only counts once the element is known, and only if that read began after it was
  // known; a later-invoked present read excuses it (so concurrent final reads can mask a loss).
  const lost = known !== undefined && lastAbsent !== undefined &&
    (lastPresent?.index ?? -1) < lastAbsent.index && known.index < lastAbsent.index;
  const knownTime = known?.time ?? 0;
  const stableLatency = stable
    ? _nanosToMs(Math.max(0, (lastAbsent ? lastAbsent.time + 1 : 0) - knownTime))
    : null;
  const lostLatency = lost
    ? _nanosToMs(Math.max(0, (lastPresent ? lastPresent.time + 1 : 0) - knownTime))
    : null;
  return {
    element: e.element,
    outcome: stable ? "stable" : lost ? "lost" : "never-read",
    "stable-latency": stableLatency,
    "lost-latency": lostLatency,
    known: known ?? null,
    "last-absent": lastAbsent ?? null,
  };
}

function _asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Each element's verdict, as {@linkcode checkSetFull} judges it (stable with its latency, lost,
 * or never read): for the report's plot of stable latencies.
 */
export function setFullElements(history: readonly Op[], addF: string): SetFullElement[] {
  return _walkOnce(history, addF, _asArray).results;
}

type _Walk = ReturnType<typeof _walk>;

/**
 * The last walk of each history (by its array, its length and `addF`), so the report's plot
 * reuses the checker's walk of a long history instead of repeating it (seconds at rate 1000).
 * Only walks of plain read lists are kept; the history is released with its array.
 */
const _walks = new WeakMap<readonly Op[], { length: number; addF: string; walk: _Walk }>();

function _walkOnce(
  history: readonly Op[],
  addF: string,
  readElements: (value: unknown) => readonly unknown[],
): _Walk {
  if (readElements !== _asArray) return _walk(history, addF, readElements);
  const kept = _walks.get(history);
  if (kept !== undefined && kept.length === history.length && kept.addF === addF) return kept.walk;
  const walk = _walk(history, addF, readElements);
  _walks.set(history, { length: history.length, addF, walk });
  return walk;
}

function _walk(
  history: readonly Op[],
  addF: string,
  readElements: (value: unknown) => readonly unknown[],
): {
  results: SetFullElement[];
  dups: Map<number | string, { element: unknown; count: number }>;
} {
  const elements = new Map<number | string, _Element>();
  // Every element in the order its add was invoked, so each read walks an array, not a map.
  const tracked: _Element[] = [];
  const invocations = new Map<number, Op>();
  const dups = new Map<number | string, { element: unknown; count: number }>();
  let readNumber = 0;
  for (const op of history) {
    if (typeof op.process !== "number") continue;
    if (op.type === "invoke") {
      invocations.set(op.process, op);
      if (op.f === addF) {
        const key = valueKey(op.value);
        const before = elements.get(key);
        const state: _Element = { element: op.value, seenIn: -1 };
        elements.set(key, state);
        if (before !== undefined) tracked[tracked.indexOf(before)] = state;
        else tracked.push(state);
      }
      continue;
    }
    const invoke = invocations.get(op.process);
    invocations.delete(op.process);
    if (op.f === addF) {
      const state = elements.get(valueKey(op.value));
      if (op.type === "ok" && state !== undefined) state.known ??= op;
      continue;
    }
    if (op.f !== "read" || op.type !== "ok" || invoke === undefined) continue;
    // Each tracked element the read holds is stamped with the read's number; a second sighting
    // in the same read is a duplicate, counted apart (rare, so a small map).
    const read = ++readNumber;
    let counts: Map<number | string, { element: unknown; count: number }> | undefined;
    const untracked = new Set<number | string>();
    for (const element of readElements(op.value)) {
      const key = valueKey(element);
      const state = elements.get(key);
      let repeated: boolean;
      if (state !== undefined) {
        repeated = state.seenIn === read;
        if (!repeated) {
          state.seenIn = read;
          state.known ??= op;
          if (state.lastPresent === undefined || state.lastPresent.index < invoke.index) {
            state.lastPresent = invoke;
          }
        }
      } else {
        repeated = untracked.has(key);
        untracked.add(key);
      }
      if (repeated) {
        counts ??= new Map();
        const entry = counts.get(key);
        if (entry === undefined) counts.set(key, { element, count: 2 });
        else entry.count++;
      }
    }
    for (const [key, entry] of counts ?? []) {
      const before = dups.get(key);
      if (before === undefined || before.count < entry.count) dups.set(key, entry);
    }
    for (const state of tracked) {
      if (state.seenIn === read) continue;
      if (state.lastAbsent === undefined || state.lastAbsent.index < invoke.index) {
        state.lastAbsent = invoke;
      }
    }
  }
  const sorted = [...elements.values()].sort((a, b) => compareJson(a.element, b.element));
  return { results: sorted.map(_result), dups };
}

/**
 * Runs set-full over the client ops of `history`, walked in history order. An element is tracked
 * from its add's invocation; every ok read completed afterwards marks it present or absent, keyed
 * by that read's invocation. Values a read returns that were never added are ignored.
 *
 * Validity: false if any element is lost, `"unknown"` if none is stable, else true. Beyond
 * Maelstrom, each final read must hold every element acknowledged before it began (see
 * {@linkcode finalReadGaps}): a read that doesn't adds `warnings` and `final-read-missing`, and
 * makes the result invalid only with `strict`.
 *
 * Duplicates: Jepsen's duplicate test (`count < 1`) never fires, so Maelstrom always reports
 * `duplicated-count 0`. Here duplicates (an element appearing more than once in one read) are
 * computed correctly and reported as `duplicated` (element → highest multiplicity in any read),
 * but, to keep Maelstrom's verdicts, they don't affect validity.
 */
export function checkSetFull(history: readonly Op[], options: SetFullOptions): CheckResult {
  const readElements = options.readElements ?? _asArray;
  const { results, dups } = _walkOnce(history, options.addF, readElements);
  const out = _summarize(results, dups);
  const gaps = finalReadGaps(history, { addF: options.addF, readElements });
  if (gaps.length === 0) return out;
  const strict = options.strict ?? false;
  const report = reportFinalReadGaps(gaps, strict);
  return {
    ...out,
    valid: strict ? false : out.valid,
    "final-read-missing": report.missing,
    warnings: report.warnings,
  };
}

function _summarize(
  results: readonly SetFullElement[],
  dups: ReadonlyMap<number | string, { element: unknown; count: number }>,
): CheckResult {
  const having = (outcome: SetFullElement["outcome"]) =>
    results.filter((r) => r.outcome === outcome);
  const stable = having("stable");
  const lost = having("lost");
  const neverRead = having("never-read");
  const stale = stable.filter((r) => (r["stable-latency"] ?? 0) > 0);
  // Jepsen sorts by latency (stable) and reverses: ties come out highest element first.
  const worstStale = [...stale].sort((a, b) =>
    (a["stable-latency"] ?? 0) - (b["stable-latency"] ?? 0)
  )
    .reverse().slice(0, 8);
  const stableLatencies = results.flatMap((r) => r["stable-latency"] ?? []);
  const lostLatencies = results.flatMap((r) => r["lost-latency"] ?? []);
  const duplicated: Record<string, number> = {};
  const dupList = [...dups.values()].sort((a, b) => compareJson(a.element, b.element));
  for (const d of dupList) duplicated[jsonKey(d.element)] = d.count;
  const out: CheckResult = {
    valid: lost.length > 0 ? false : stable.length === 0 ? "unknown" : true,
    "attempt-count": results.length,
    "stable-count": stable.length,
    "lost-count": lost.length,
    lost: lost.map((r) => r.element),
    "never-read-count": neverRead.length,
    "never-read": neverRead.map((r) => r.element),
    "stale-count": stale.length,
    stale: stale.map((r) => r.element),
    "worst-stale": worstStale,
  };
  if (stableLatencies.length > 0) out["stable-latencies"] = quantiles(stableLatencies);
  if (lostLatencies.length > 0) out["lost-latencies"] = quantiles(lostLatencies);
  out["duplicated-count"] = dupList.length;
  out.duplicated = duplicated;
  return out;
}
