/**
 * What the checkers' explanations are made of: one {@linkcode Finding} per anomaly, a sentence
 * that names the operations and the node replies involved, and when it happened (so the report
 * can link it to that moment of the message diagram).
 *
 * @module
 */

import type { Op } from "../../history.ts";
import { isRecord } from "../../../lib/message.ts";

/** One anomaly, told in one sentence. */
export interface Finding {
  text: string;
  /** When it shows (ns since the start), for a link into the message diagram. */
  at?: number;
  /** The nodes involved, for the diagram's filter. */
  nodes?: string[];
}

/** How many findings of one kind an explanation lists before summing up the rest. */
export const SHOWN = 5;

/** A value as the sentence quotes it: JSON, cut at 80 characters. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Seconds since the start, as `2.104 s`. */
export function seconds(ns: number): string {
  return `${(ns / 1e9).toFixed(3)} s`;
}

/** The op at `index` of `history`, from an op or a brief of one (`{index, …}`). */
export function opAt(history: readonly Op[], brief: unknown): Op | undefined {
  const index = isRecord(brief) ? brief.index : brief;
  if (typeof index !== "number") return undefined;
  const op = history[index];
  return op?.index === index ? op : history.find((o) => o.index === index);
}

/** An op as a sentence names it: `op 12 (process 3 on n1, ok at 2.104 s)`. */
export function opName(history: readonly Op[], brief: unknown): string {
  const op = opAt(history, brief);
  if (op === undefined) return isRecord(brief) ? `op ${quote(brief.index)}` : `op ${quote(brief)}`;
  const where = op.node === undefined ? "" : ` on ${op.node}`;
  return `op ${op.index} (process ${op.process}${where}, ${op.type} at ${seconds(op.time)})`;
}

/** The finding for `brief`'s op: its time and node. */
export function at(history: readonly Op[], ...briefs: unknown[]): Omit<Finding, "text"> {
  const ops = briefs.map((b) => opAt(history, b)).filter((o): o is Op => o !== undefined);
  const nodes = [...new Set(ops.flatMap((o) => o.node ?? []))];
  const first = ops[0];
  return {
    ...(first === undefined ? {} : { at: first.time }),
    ...(nodes.length === 0 ? {} : { nodes }),
  };
}

/** The first `limit` findings, and one line counting the rest of `total`. */
export function capped(
  findings: Finding[],
  total = findings.length,
  what = "more",
  limit = SHOWN,
): Finding[] {
  const shown = findings.slice(0, limit);
  if (total > shown.length) shown.push({ text: `… and ${total - shown.length} ${what}.` });
  return shown;
}
