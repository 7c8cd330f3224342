/**
 * Elle's list-append inference, as Maelstrom's txn-list-append workload is checked: micro-ops
 * `["append", k, v]` and `["r", k, [v…]]`, every appended element unique per key. A read of a list
 * shows the order of the appends it holds, so the version order of each key is its longest read,
 * which every other read must be a prefix of. From it, per key (vᵢ its i-th element, W(vᵢ) the
 * transaction that appended it):
 * - ww: W(vᵢ) → W(vᵢ₊₁);
 * - wr: W(vⱼ) → a transaction whose read of the key ended at vⱼ;
 * - rw: a transaction whose read ended at vⱼ (or was empty) → W(vⱼ₊₁) (or W(v₁)).
 * Direct anomalies, each as Elle names it:
 * - incompatible-order: two reads of a key neither of which is a prefix of the other;
 * - duplicate-elements: a read holding one element twice;
 * - G1a (aborted read): a read holding an element a failed transaction appended;
 * - G1b (intermediate read): a read ending at an element its writer followed, within the same
 *   transaction, by another append to that key;
 * - internal: a transaction whose read of a key disagrees with what it read and appended there
 *   before (the read must be the earlier read plus its own appends since, or end with them).
 * Realtime or process edges are added as for rw-register (`deps.ts`), and the cycles are searched
 * and named by the same code (`cycles.ts`).
 *
 * @module
 */

import type { Op } from "../../history.ts";
import { jsonEqual, jsonKey } from "../../json_value.ts";
import { type AnomalySink, type Deps, startDeps, type Txn, txnBrief } from "./deps.ts";
import { Rel } from "./graph.ts";

/** A list-append micro-op: `["append", k, v]` or `["r", k, list | null]`. */
export type AppendMop = [string, unknown, unknown];

function _mops(value: unknown): AppendMop[] {
  if (!Array.isArray(value)) return [];
  return value.filter((m): m is AppendMop =>
    Array.isArray(m) && m.length === 3 && (m[0] === "r" || m[0] === "append")
  );
}

function _list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function _isPrefix(short: readonly unknown[], long: readonly unknown[]): boolean {
  return short.length <= long.length && short.every((v, i) => jsonEqual(v, long[i]));
}

/** Infers the list-append dependency graph and reports the direct anomalies. */
export function inferAppendDeps(history: readonly Op[], extras: number, report: AnomalySink): Deps {
  const { deps, link } = startDeps(history, extras, _mops);
  const txns = deps.txns;

  const oks = txns.filter((t) => t.op.type === "ok");
  // Who appended each element of each key, and whether they appended to it again afterwards.
  const writer = new Map<string, Map<string, { txn: Txn; followed: boolean }>>();
  for (const txn of txns) {
    const lastOf = new Map<string, string>();
    for (const [f, k, v] of txn.mops) {
      if (f !== "append") continue;
      const kk = jsonKey(k);
      const byValue = writer.get(kk) ??
        writer.set(kk, new Map()).get(kk) as Map<string, { txn: Txn; followed: boolean }>;
      const before = lastOf.get(kk);
      if (before !== undefined) {
        const entry = byValue.get(before);
        if (entry !== undefined) entry.followed = true;
      }
      byValue.set(jsonKey(v), { txn, followed: false });
      lastOf.set(kk, jsonKey(v));
    }
  }
  // The reads of ok transactions, by key, and the longest one.
  const reads = new Map<string, { key: unknown; reads: { txn: Txn; list: unknown[] }[] }>();
  for (const txn of oks) {
    _internal(txn, report);
    for (const [f, k, v] of txn.mops) {
      if (f !== "r") continue;
      const list = _list(v);
      const kk = jsonKey(k);
      const entry = reads.get(kk) ?? { key: k, reads: [] };
      reads.set(kk, entry);
      entry.reads.push({ txn, list });
      const seen = new Set<string>();
      for (const element of list) {
        const ek = jsonKey(element);
        if (seen.has(ek)) report("duplicate-elements", { op: txnBrief(txn), key: k, element });
        seen.add(ek);
        const w = writer.get(kk)?.get(ek);
        if (w?.txn.op.type === "fail") {
          report("G1a", { op: txnBrief(txn), writer: txnBrief(w.txn), mop: [f, k, v], element });
        }
      }
      const last = list.at(-1);
      const w = last === undefined ? undefined : writer.get(kk)?.get(jsonKey(last));
      if (w !== undefined && w.followed && w.txn !== txn) {
        report("G1b", {
          op: txnBrief(txn),
          writer: txnBrief(w.txn),
          mop: [f, k, v],
          element: last,
        });
      }
    }
  }
  for (const [kk, { key, reads: rs }] of reads) {
    let longest: unknown[] = [];
    for (const r of rs) if (r.list.length > longest.length) longest = r.list;
    for (const r of rs) {
      if (!_isPrefix(r.list, longest)) {
        report("incompatible-order", { key, values: [r.list, longest], op: txnBrief(r.txn) });
      }
    }
    const writers = writer.get(kk);
    const writerAt = (i: number) => writers?.get(jsonKey(longest[i]))?.txn;
    for (let i = 0; i + 1 < longest.length; i++) {
      const [a, b] = [writerAt(i), writerAt(i + 1)];
      if (a !== undefined && b !== undefined) {
        link(a, b, Rel.ww, { key, value: longest[i], "value'": longest[i + 1] });
      }
    }
    for (const r of rs) {
      if (!_isPrefix(r.list, longest)) continue;
      const n = r.list.length;
      const w = n === 0 ? undefined : writerAt(n - 1);
      if (w !== undefined) link(w, r.txn, Rel.wr, { key, value: r.list[n - 1] });
      const next = writerAt(n);
      if (next !== undefined) {
        link(r.txn, next, Rel.rw, { key, value: r.list[n - 1] ?? null, "value'": longest[n] });
      }
    }
  }
  return deps;
}

/**
 * Elle's internal check for one transaction: each read of a key must equal the transaction's
 * earlier read of that key plus its own appends since; with no earlier read, it must end with
 * the appends the transaction made before it.
 */
function _internal(txn: Txn, report: AnomalySink): void {
  const known = new Map<string, { base: unknown[] | undefined; appended: unknown[] }>();
  for (const mop of txn.mops) {
    const [f, k, v] = mop as AppendMop;
    const kk = jsonKey(k);
    const state = known.get(kk) ?? { base: undefined, appended: [] };
    known.set(kk, state);
    if (f === "append") {
      state.appended.push(v);
      continue;
    }
    const list = _list(v);
    const expected = state.base === undefined ? undefined : [...state.base, ...state.appended];
    const ok = expected !== undefined ? jsonEqual(list, expected) : state.appended.length === 0 ||
      jsonEqual(list.slice(list.length - state.appended.length), state.appended);
    if (!ok) {
      report("internal", {
        op: txnBrief(txn),
        mop,
        expected: expected ?? ["…", ...state.appended],
      });
      return;
    }
    state.base = list;
    state.appended = [];
  }
}
