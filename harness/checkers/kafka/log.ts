/**
 * Reading kafka histories: the sends and polls of each op, and the per-key version order built
 * from them with sparse structures only (maps keyed by offset and a sorted array of offsets), so
 * offsets near 2^31 cost nothing. Jepsen's checker allocates a vector by max offset (#51).
 *
 * @module
 */

import type { Op } from "../../history.ts";

/** A send seen in a completion. `offset` is undefined when the send did not complete ok. */
export interface SendRec {
  op: Op;
  key: string;
  value: unknown;
  vkey: string;
  offset: number | undefined;
}

/** The compact form of an op used in error examples (polls can carry thousands of pairs). */
export interface BriefOp {
  index: number;
  process: number | "nemesis";
  type: string;
  f: string;
  time: number;
}

/** A hashable identity for a message value. */
export function valueKey(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? "undefined";
}

/** The compact form of `op`. */
export function brief(op: Op): BriefOp {
  return { index: op.index, process: op.process, type: op.type, f: op.f, time: op.time };
}

/** The `[k, [offset, msg]…]` entries of a poll completion (none for other ops). */
export function pollsOf(op: Pick<Op, "f" | "value">): [string, [number, unknown][]][] {
  if (op.f !== "poll" || !Array.isArray(op.value)) return [];
  const out: [string, [number, unknown][]][] = [];
  for (const mop of op.value) {
    if (!Array.isArray(mop) || mop[0] !== "poll") continue;
    const msgs: unknown = mop[1];
    if (typeof msgs !== "object" || msgs === null) continue;
    for (const [k, pairs] of Object.entries(msgs)) {
      if (Array.isArray(pairs)) out.push([k, pairs as [number, unknown][]]);
    }
  }
  return out;
}

/** The sends of a send completion: ok ones carry `[offset, msg]`, others the bare msg. */
export function sendsOf(op: Op): SendRec[] {
  if (op.f !== "send" || !Array.isArray(op.value)) return [];
  const out: SendRec[] = [];
  for (const mop of op.value) {
    if (!Array.isArray(mop) || mop[0] !== "send") continue;
    const key = String(mop[1]);
    let value: unknown = mop[2];
    let offset: number | undefined;
    if (op.type === "ok" && Array.isArray(value) && value.length === 2) {
      offset = typeof value[0] === "number" ? value[0] : undefined;
      value = value[1];
    }
    out.push({ op, key, value, vkey: valueKey(value), offset });
  }
  return out;
}

/** The highest offsets an op sent and polled, per key (Jepsen's op->max-offsets). */
export function maxOffsetsOf(
  op: Pick<Op, "type" | "f" | "value">,
): { sent: Map<string, number>; polled: Map<string, number> } {
  const sent = new Map<string, number>();
  const polled = new Map<string, number>();
  if (op.type !== "ok" && op.type !== "info") return { sent, polled };
  for (const [k, pairs] of pollsOf(op)) {
    let max = -1;
    for (const pair of pairs) if (typeof pair[0] === "number") max = Math.max(max, pair[0]);
    polled.set(k, Math.max(polled.get(k) ?? -1, max));
  }
  if (op.f === "send" && op.type === "ok" && Array.isArray(op.value)) {
    for (const mop of op.value) {
      if (!Array.isArray(mop) || !Array.isArray(mop[2]) || typeof mop[2][0] !== "number") continue;
      const k = String(mop[1]);
      sent.set(k, Math.max(sent.get(k) ?? 0, mop[2][0]));
    }
  }
  return { sent, polled };
}

/** One key's observed log: which values sit at which offsets, densely indexed. */
export class KeyLog {
  /** offset → (value key → value). */
  readonly byOffset = new Map<number, Map<string, unknown>>();
  /** Offsets holding at least one value, ascending (filled by {@linkcode KeyLog.seal}). */
  offsets: number[] = [];
  /** offset → dense index. */
  readonly indexOfOffset = new Map<number, number>();
  /** value key → the first and last dense index it appears at, and all its offsets. */
  readonly first = new Map<string, number>();
  readonly last = new Map<string, number>();
  readonly offsetsOfValue = new Map<string, number[]>();

  /** Records that `value` was seen at `offset`. */
  add(offset: number, value: unknown): void {
    let values = this.byOffset.get(offset);
    if (values === undefined) this.byOffset.set(offset, values = new Map());
    values.set(valueKey(value), value);
  }

  /** Builds the dense indices once every pair is in. */
  seal(): void {
    this.offsets = [...this.byOffset.keys()].sort((a, b) => a - b);
    this.offsets.forEach((offset, i) => {
      this.indexOfOffset.set(offset, i);
      for (const vkey of (this.byOffset.get(offset) as Map<string, unknown>).keys()) {
        if (!this.first.has(vkey)) this.first.set(vkey, i);
        this.last.set(vkey, i);
        const list = this.offsetsOfValue.get(vkey);
        if (list === undefined) this.offsetsOfValue.set(vkey, [offset]);
        else list.push(offset);
      }
    });
  }

  /** The values at dense index `i` (one, unless offsets are inconsistent). */
  valuesAt(i: number): unknown[] {
    const offset = this.offsets[i];
    if (offset === undefined) return [];
    return [...(this.byOffset.get(offset) as Map<string, unknown>).values()];
  }

  /** Up to `limit` `[offset, value]` pairs strictly between dense indices `i` and `j`. */
  between(i: number, j: number, limit = 8): [number, unknown][] {
    const out: [number, unknown][] = [];
    for (let x = i + 1; x < j && out.length < limit; x++) {
      const offset = this.offsets[x] as number;
      for (const value of this.valuesAt(x)) out.push([offset, value]);
    }
    return out;
  }
}
