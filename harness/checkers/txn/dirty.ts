/**
 * Dirty writes: Berenson et al.'s P0, a transaction writing a key while another transaction's
 * write of that key is still pending. The ANSI levels forbid it at every level; Adya's do not
 * (read-uncommitted forbids only G0, a cycle of committed versions), and Elle does not look for
 * it, so it is a warning unless `--strict` (see `txn_extra.ts`).
 *
 * Evidence: a write order wider than Elle's (`txn_deps.ts`), over every write of ok and info
 * transactions, intermediate ones included, under the assumption Elle already makes that a
 * transaction's micro-ops take effect in order: within a transaction, the value of k it last read
 * or wrote precedes its next write of k. A step between two transactions goes from the writer of
 * the earlier value to the writer of the later one.
 *
 * Why a cycle is a dirty write: without P0, nobody writes k between a transaction's first write of
 * k and its end, so each transaction's writes of k are contiguous and a step from A to B means A
 * had ended before B wrote, hence before B ended: steps only go forward in end time, and cannot
 * cycle. A cycle of Elle's ww edges alone is G0 and reported as such; a dirty-write cycle takes at
 * least one step Elle does not infer, labelled `wider-ww` (Maelstrom issue #56's interleaved
 * writes are one).
 *
 * @module
 */

import { type AnomalySink, type Txn, txnBrief, type Why } from "./deps.ts";
import { DepGraph, Rel } from "./graph.ts";
import { jsonKey } from "../../json_value.ts";

/** A step Elle's ww edges also give, and one they do not. */
const ELLE = 1;
const WIDER = 2;

/** Attempts per component before giving up there. */
const MAX_ATTEMPTS = 200;

/**
 * Reports one dirty-write cycle per strongly connected component of the wider write order;
 * `graph` is Elle's (for its ww edges). Returns true when some search gave up early.
 */
export function dirtyWrites(txns: readonly Txn[], graph: DepGraph, report: AnomalySink): boolean {
  const live = txns.filter((t) => t.op.type === "ok" || t.op.type === "info");
  const writer = new Map<string, Txn>();
  for (const txn of live) {
    for (const [f, k, v] of txn.mops) {
      const tag = `${jsonKey(k)} ${jsonKey(v)}`;
      if (f === "w" && !writer.has(tag)) writer.set(tag, txn);
    }
  }
  const order = new DepGraph(graph.size);
  const why = new Map<string, Why>();
  for (const txn of live) {
    const last = new Map<string, unknown>();
    for (const [f, k, v] of txn.mops) {
      const kk = jsonKey(k);
      if (f === "r" && txn.op.type === "ok") last.set(kk, v);
      if (f !== "w") continue;
      const before = last.get(kk);
      last.set(kk, v);
      if (before === undefined || before === null || jsonKey(before) === jsonKey(v)) continue;
      const a = writer.get(`${kk} ${jsonKey(before)}`);
      const b = writer.get(`${kk} ${jsonKey(v)}`);
      if (a === undefined || b === undefined || a === b) continue;
      order.link(a.id, b.id, (graph.kinds(a.id, b.id) & Rel.ww) !== 0 ? ELLE : WIDER);
      const tag = `${a.id}>${b.id}`;
      if (!why.has(tag)) why.set(tag, { key: k, value: before, "value'": v });
    }
  }
  let gaveUp = false;
  for (const component of order.components(ELLE | WIDER)) {
    const within = new Set(component);
    let attempts = 0;
    search: for (const from of component) {
      for (const [to, kinds] of order.out[from] as Map<number, number>) {
        if ((kinds & WIDER) === 0 || !within.has(to)) continue;
        if (++attempts > MAX_ATTEMPTS) {
          gaveUp = true;
          break search;
        }
        const back = order.path(to, from, ELLE | WIDER, within);
        if (back === undefined) continue;
        const cycle = [from, ...back.vertices];
        report("dirty-write", {
          cycle: cycle.map((id) => txnBrief(txns[id] as Txn)),
          steps: cycle.slice(1).map((b, i) => {
            const a = cycle[i] as number;
            const elle = (order.kinds(a, b) & ELLE) !== 0;
            return { type: elle ? "ww" : "wider-ww", ...why.get(`${a}>${b}`) };
          }),
        });
        break search;
      }
    }
  }
  return gaveUp;
}
