/**
 * Checks of ours that Elle's rw-register does not make, so by default they are warnings (see
 * {@linkcode EXTRA_CHECKS}), fatal only under `--strict`:
 * - garbage-read: an ok transaction reads a non-nil value that no transaction ever wrote to that
 *   key (say Go's zero value for an unwritten key). Elle infers nothing from such a read: no wr
 *   edge, and the value merely follows nil in the version order;
 * - duplicate-writes: two transactions write the same value to a key (the workload's values are
 *   unique per key, so a node rewrote one). Elle only notices when two ok transactions' final
 *   writes collide on a value some ok transaction reads first: it throws, and Maelstrom's
 *   verdict is unknown (see `Deps.ambiguous`);
 * - fractured-read: a transaction reads one key from a transaction's write but an older version
 *   of another key that transaction also wrote (Cerone et al.'s read atomic forbids it; Elle sees
 *   only the G-single-item cycle, which its read-atomic allows).
 * Dirty writes are in `txn_dirty.ts`.
 *
 * @module
 */

import { type AnomalySink, type Deps, type Txn, txnBrief } from "./deps.ts";
import { jsonKey } from "../../json_value.ts";

/** A check Elle does not make, and the model from which on `--strict` makes it fatal. */
export interface ExtraCheck {
  /** Fatal under `--strict` for models implying this one; for every model when undefined. */
  from?: string;
  /** How one finding is counted in a warning, singular and plural. */
  noun: [string, string];
}

/** Our checks beyond Elle's, by anomaly type. */
export const EXTRA_CHECKS: ReadonlyMap<string, ExtraCheck> = new Map<string, ExtraCheck>([
  ["garbage-read", {
    noun: ["read of a value no transaction wrote", "reads of values no transaction wrote"],
  }],
  ["duplicate-writes", { noun: ["value written to a key twice", "values written to a key twice"] }],
  [
    "dirty-write",
    {
      from: "read-uncommitted",
      noun: [
        "cycle of writes interleaved with another transaction's pending write (P0)",
        "cycles of writes interleaved with other transactions' pending writes (P0)",
      ],
    },
  ],
  [
    "fractured-read",
    {
      from: "read-atomic",
      noun: [
        "transaction that saw one write of a transaction and missed another",
        "transactions that saw one write of a transaction and missed another",
      ],
    },
  ],
]);

/** Reports garbage reads and duplicate writes among `txns`. */
export function valueAnomalies(txns: readonly Txn[], report: AnomalySink): void {
  const written = new Map<string, Txn>();
  for (const txn of txns) {
    for (const [f, k, v] of txn.mops) {
      if (f !== "w") continue;
      const tag = `${jsonKey(k)} ${jsonKey(v)}`;
      const first = written.get(tag);
      if (first === undefined) written.set(tag, txn);
      else if (first !== txn) {
        report("duplicate-writes", { key: k, value: v, txns: [txnBrief(first), txnBrief(txn)] });
      }
    }
  }
  for (const txn of txns) {
    if (txn.op.type !== "ok") continue;
    for (const mop of txn.mops) {
      const [f, k, v] = mop;
      if (f !== "r" || v === null || written.has(`${jsonKey(k)} ${jsonKey(v)}`)) continue;
      report("garbage-read", { op: txnBrief(txn), mop });
    }
  }
}

/** Reports fractured reads: T reads key a from W's write, and its read of key b precedes W's. */
export function fracturedReads(deps: Deps, report: AnomalySink): void {
  for (const { from, to, key, value } of deps.rwEdges) {
    const seen = deps.wrKeys.get(`${to.id}>${from.id}`);
    const other = [...seen ?? []].find((k) => k !== jsonKey(key));
    if (other === undefined) continue;
    report("fractured-read", {
      op: txnBrief(from),
      writer: txnBrief(to),
      "read-key": JSON.parse(other),
      "missed-key": key,
      "missed-value": value,
    });
  }
}
