/**
 * A check beyond Maelstrom's set-full: every final read must hold, on its own, every element whose
 * add was acknowledged before that read began. Set-full lets a later-invoked read that holds an
 * element excuse an earlier one that lacks it, so a loss confined to one node passes whenever that
 * node's final read is not the last one invoked. This check catches it on any node.
 *
 * @module
 */

import type { Op } from "../history.ts";
import { compareJson, jsonKey } from "../json_value.ts";

/** One final read that lacks acknowledged elements. */
export interface FinalReadGap {
  /** The node the read went to, when the history records it. */
  node: string | undefined;
  process: number;
  /** The missing elements, in JSON order. */
  missing: unknown[];
}

/** Options of {@linkcode finalReadGaps}. */
export interface FinalReadGapsOptions {
  /** The `:f` of the add operations; reads are `"read"`. */
  addF: string;
  /** How an ok read's value becomes its elements. */
  readElements: (value: unknown) => readonly unknown[];
}

/**
 * The ok final reads (flagged `final`) that lack an element acknowledged (an ok add) before the
 * read was invoked, in history order.
 */
export function finalReadGaps(
  history: readonly Op[],
  options: FinalReadGapsOptions,
): FinalReadGap[] {
  // Acknowledged elements in acknowledgement order, so a read's due set is a prefix.
  const acked: { key: string; element: unknown }[] = [];
  const ackedKeys = new Set<string>();
  // Per process, how many elements were acknowledged when its pending final read was invoked.
  const due = new Map<number, number>();
  const gaps: FinalReadGap[] = [];
  for (const op of history) {
    if (typeof op.process !== "number") continue;
    if (op.type === "invoke") {
      if (op.f === "read" && op.final === true) due.set(op.process, acked.length);
      continue;
    }
    if (op.f === options.addF && op.type === "ok") {
      const key = jsonKey(op.value);
      if (!ackedKeys.has(key)) {
        ackedKeys.add(key);
        acked.push({ key, element: op.value });
      }
      continue;
    }
    const count = due.get(op.process);
    if (op.f !== "read" || count === undefined) continue;
    due.delete(op.process);
    if (op.type !== "ok") continue;
    const seen = new Set(options.readElements(op.value).map(jsonKey));
    const missing = acked.slice(0, count).filter((a) => !seen.has(a.key)).map((a) => a.element);
    if (missing.length === 0) continue;
    gaps.push({ node: op.node, process: op.process, missing: missing.sort(compareJson) });
  }
  return gaps;
}

/** How many missing elements a warning quotes, and the structured field keeps per node. */
const _QUOTED = 5;
const _KEPT = 32;

/** What {@linkcode reportFinalReadGaps} adds to a checker's result. */
export interface FinalReadGapsReport {
  /** One line per gap, for the checker's `warnings`. */
  warnings: string[];
  /**
   * `final-read-missing`: per node (or `process <p>` when the node is unknown), the processes
   * whose final reads lacked elements, how many distinct elements, and the first of them.
   */
  missing: Record<string, { processes: number[]; count: number; values: unknown[] }>;
}

/** Words `gaps` as warnings and a per-node summary; `strict` says whether they are fatal. */
export function reportFinalReadGaps(
  gaps: readonly FinalReadGap[],
  strict: boolean,
): FinalReadGapsReport {
  const why = strict
    ? "fatal under --strict (Maelstrom's set-full does not check each node)"
    : "Maelstrom's set-full does not check each node, --strict makes it fatal";
  const warnings: string[] = [];
  const byNode = new Map<string, { processes: number[]; values: Map<string, unknown> }>();
  for (const gap of gaps) {
    const where = gap.node === undefined
      ? `by process ${gap.process}`
      : `on ${gap.node} (process ${gap.process})`;
    const n = gap.missing.length;
    const quoted = JSON.stringify(gap.missing.slice(0, _QUOTED));
    warnings.push(
      `final read ${where} lacks ${n} acknowledged value${n === 1 ? "" : "s"} ` +
        `(${n > _QUOTED ? "e.g. " : ""}${quoted}); ${why}`,
    );
    const key = gap.node ?? `process ${gap.process}`;
    const entry = byNode.get(key) ?? { processes: [], values: new Map<string, unknown>() };
    byNode.set(key, entry);
    if (!entry.processes.includes(gap.process)) entry.processes.push(gap.process);
    for (const element of gap.missing) entry.values.set(jsonKey(element), element);
  }
  const missing: FinalReadGapsReport["missing"] = {};
  for (const [key, entry] of byNode) {
    const values = [...entry.values.values()].sort(compareJson);
    missing[key] = {
      processes: entry.processes,
      count: values.length,
      values: values.slice(0, _KEPT),
    };
  }
  return { warnings, missing };
}
