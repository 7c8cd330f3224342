/**
 * The checks Elle 0.2.2's rw-register makes besides cycles, each as Elle defines it (see
 * `txn_models.ts` for the models each rules out):
 * - internal: an ok transaction reads k = v after having written or read some other non-nil
 *   value of k itself (a first read, or one after reading nil, may see anything); one report per
 *   transaction, at its first such read;
 * - G1a (aborted read): an ok transaction reads a value some failed transaction wrote;
 * - G1b (intermediate read): an ok transaction reads a value another transaction, whatever its
 *   outcome, overwrote within itself;
 * - lost-update: two or more ok transactions each read k = v (their first read of k) and later
 *   wrote k.
 *
 * @module
 */

import { type AnomalySink, type Mop, type Txn, txnBrief } from "./deps.ts";
import { jsonKey } from "../../json_value.ts";

/** Reports internal, G1a, G1b and lost-update anomalies among `txns`. */
export function directAnomalies(txns: readonly Txn[], report: AnomalySink): void {
  const oks = txns.filter((t) => t.op.type === "ok");
  for (const txn of oks) _internal(txn, report);
  const failed = new Map<string, Txn>();
  const intermediate = new Map<string, Txn>();
  for (const txn of txns) {
    const last = new Map<string, unknown>();
    for (const [f, k, v] of txn.mops) {
      if (f !== "w") continue;
      const kk = jsonKey(k);
      if (txn.op.type === "fail") failed.set(`${kk} ${jsonKey(v)}`, txn);
      if (last.has(kk)) intermediate.set(`${kk} ${jsonKey(last.get(kk))}`, txn);
      last.set(kk, v);
    }
  }
  for (const txn of oks) {
    for (const mop of txn.mops) {
      if (mop[0] !== "r") continue;
      const tag = `${jsonKey(mop[1])} ${jsonKey(mop[2])}`;
      const aborted = failed.get(tag);
      if (aborted !== undefined) {
        report("G1a", { op: txnBrief(txn), mop, writer: txnBrief(aborted) });
      }
      const overwritten = intermediate.get(tag);
      if (overwritten !== undefined && overwritten !== txn) {
        report("G1b", { op: txnBrief(txn), mop, writer: txnBrief(overwritten) });
      }
    }
  }
  _lostUpdates(oks, report);
}

function _internal(txn: Txn, report: AnomalySink): void {
  const state = new Map<string, unknown>();
  for (const mop of txn.mops) {
    const [f, k, v] = mop;
    const kk = jsonKey(k);
    if (f === "r") {
      const expected = state.get(kk);
      if (expected !== undefined && expected !== null && jsonKey(expected) !== jsonKey(v)) {
        report("internal", { op: txnBrief(txn), mop, expected });
        return;
      }
    }
    if (f === "r" || f === "w") state.set(kk, v);
  }
}

function _lostUpdates(oks: readonly Txn[], report: AnomalySink): void {
  const groups = new Map<string, { key: unknown; value: unknown; txns: Txn[] }>();
  for (const txn of oks) {
    const reads = new Map<string, Mop>();
    const written = new Set<string>();
    for (const mop of txn.mops) {
      const [f, k, v] = mop;
      const kk = jsonKey(k);
      const read = reads.get(kk);
      if (f === "w" && !written.has(kk)) {
        if (read === undefined) continue;
        written.add(kk);
        const tag = `${kk} ${jsonKey(read[2])}`;
        const group = groups.get(tag) ?? groups.set(tag, { key: k, value: read[2], txns: [] })
          .get(tag);
        group?.txns.push(txn);
      } else if (f === "r" && read === undefined) {
        reads.set(kk, [f, k, v]);
      }
    }
  }
  for (const { key, value, txns } of groups.values()) {
    if (txns.length > 1) report("lost-update", { key, value, txns: txns.map(txnBrief) });
  }
}
