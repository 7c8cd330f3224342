/**
 * Dependency inference for read-write registers, exactly as far as Elle 0.2.2's
 * `elle.rw-register` goes under the options Maelstrom v0.2.4 passes (`:wfr-keys? true`, neither
 * `:sequential-keys?` nor `:linearizable-keys?`): an edge more than Elle's could fail a history
 * Maelstrom passes, an edge fewer the reverse.
 *
 * Terms. A transaction's external read of key k is its first micro-op on k, when that is a read;
 * its external write of k is its last write of k (earlier ones are intermediate). Reads are
 * known only for ok transactions; the external writes of ok and info transactions are versions.
 *
 * Version order, per key, from two sources only:
 * - initial state: nil precedes every version;
 * - writes follow reads: an ok transaction externally reading k = v and externally writing
 *   k = v′ gives v < v′. If this order cycles on any key, each cycle is reported as
 *   cyclic-versions and none of this source is used, as Elle does.
 * Nothing else: neither a transaction's successive writes, nor a write then a read, nor process or
 * realtime order (Elle would use those with `:sequential-keys?` / `:linearizable-keys?`).
 *
 * Edges, between ok transactions only (info and failed ones carry no data edge):
 * - wr: from the one ok transaction externally writing k = v to each externally reading it (a value
 *   nobody wrote externally gives none; one written externally twice is ambiguous: Elle throws);
 * - ww: for each direct version step v < v′, from the external writers of v to those of v′;
 * - rw: for each direct version step v < v′, nil < v′ included, from the external readers of v to
 *   the external writers of v′;
 * - realtime, when asked: from each ok transaction to each one invoked after it completed
 *   (transitively reduced); process, when asked: between a process's successive ok transactions.
 * Self edges are dropped. The graph is empty (Elle's empty-transaction-graph) when no edge was
 * ever attempted, self edges included, since Elle counts vertices.
 *
 * @module
 */

import type { Op } from "../../history.ts";
import { DepGraph, Rel } from "./graph.ts";
import { jsonKey } from "../../json_value.ts";

/** A micro-op: `["r", k, v]` or `["w", k, v]`. */
export type Mop = [string, unknown, unknown];

/** One completed transaction (a vertex). */
export interface Txn {
  id: number;
  op: Op;
  mops: Mop[];
}

/** Records anomalies by type. */
export type AnomalySink = (type: string, example: Record<string, unknown>) => void;

/** Why an edge exists: its key, the value its source saw and, for ww and rw, its target's. */
export interface Why {
  key: unknown;
  value: unknown;
  "value'"?: unknown;
}

/** The inferred graph and what else the checks need from the inference. */
export interface Deps {
  txns: Txn[];
  graph: DepGraph;
  /** Why each edge exists, by `"from>to>bit"`. */
  why: Map<string, Why>;
  /** Whether Elle's transaction graph would have no vertex. */
  empty: boolean;
  /** Values read externally that two or more ok transactions wrote externally (Elle throws). */
  ambiguous: { key: unknown; value: unknown; writers: Txn[] }[];
  /** The keys (as JSON) each wr edge `"from>to"` was read on. */
  wrKeys: Map<string, Set<string>>;
  /** Every rw edge, with its key and the value its target wrote. */
  rwEdges: { from: Txn; to: Txn; key: unknown; value: unknown }[];
}

/** The compact form of a transaction used in anomaly reports. */
export function txnBrief(txn: Txn): Record<string, unknown> {
  const { index, process, type, time } = txn.op;
  return { index, process, type, time, value: txn.mops };
}

/** The micro-ops of an op's value (anything else is skipped). */
export function mopsOf(value: unknown): Mop[] {
  if (!Array.isArray(value)) return [];
  return value.filter((m): m is Mop => Array.isArray(m) && m.length === 3);
}

/** External reads: by key (JSON), the key and the value its first micro-op read, if a read. */
export function extReads(mops: readonly Mop[]): Map<string, [unknown, unknown]> {
  const out = new Map<string, [unknown, unknown]>();
  const seen = new Set<string>();
  for (const [f, k, v] of mops) {
    const kk = jsonKey(k);
    if (f === "r" && !seen.has(kk)) out.set(kk, [k, v]);
    seen.add(kk);
  }
  return out;
}

/** External writes: by key (JSON), the key and the last value written to it. */
export function extWrites(mops: readonly Mop[]): Map<string, [unknown, unknown]> {
  const out = new Map<string, [unknown, unknown]>();
  for (const [f, k, v] of mops) if (f === "w") out.set(jsonKey(k), [k, v]);
  return out;
}

type _Index = Map<string, Map<string, Txn[]>>;

function _index(txns: readonly Txn[], ext: (mops: Mop[]) => Map<string, [unknown, unknown]>) {
  const index: _Index = new Map();
  for (const txn of txns) {
    for (const [kk, [, v]] of ext(txn.mops)) {
      const byValue = index.get(kk) ?? index.set(kk, new Map()).get(kk) as Map<string, Txn[]>;
      const list = byValue.get(jsonKey(v)) ?? byValue.set(jsonKey(v), []).get(jsonKey(v)) as Txn[];
      list.push(txn);
    }
  }
  return index;
}

/** The writes-follow-reads version steps, by key: value → later values (all JSON). */
function _wfr(oks: readonly Txn[]): Map<string, Map<string, Set<string>>> {
  const steps = new Map<string, Map<string, Set<string>>>();
  for (const txn of oks) {
    const writes = extWrites(txn.mops);
    for (const [kk, [, v]] of extReads(txn.mops)) {
      const w = writes.get(kk);
      if (v === null || w === undefined || jsonKey(w[1]) === jsonKey(v)) continue;
      const byKey = steps.get(kk) ?? steps.set(kk, new Map()).get(kk) as Map<string, Set<string>>;
      const next = byKey.get(jsonKey(v)) ?? byKey.set(jsonKey(v), new Set()).get(jsonKey(v));
      (next as Set<string>).add(jsonKey(w[1]));
    }
  }
  return steps;
}

/** Reports each cycle of `steps` as cyclic-versions; returns whether there was any. */
function _cyclic(steps: Map<string, Map<string, Set<string>>>, report: AnomalySink): boolean {
  let any = false;
  for (const [kk, byKey] of steps) {
    const values = [...new Set([...byKey.keys(), ...[...byKey.values()].flatMap((s) => [...s])])];
    const ids = new Map(values.map((v, i) => [v, i]));
    const g = new DepGraph(values.length);
    for (const [a, next] of byKey) {
      for (const b of next) g.link(ids.get(a) as number, ids.get(b) as number, 1);
    }
    for (const component of g.components(1)) {
      any = true;
      const scc = component.map((i) => JSON.parse(values[i] as string)).sort();
      report("cyclic-versions", {
        key: JSON.parse(kk),
        scc,
        sources: ["initial-state", "wfr-keys"],
      });
    }
  }
  return any;
}

/** Adds one edge to a graph under inference: see {@linkcode startDeps}. */
export type Link = (from: Txn, to: Txn, rel: number, why?: Why) => void;

/**
 * The start every inference shares: one vertex per completed txn (its micro-ops read by `mops`),
 * an empty graph, and `link`, which adds an edge (a self-edge only makes the graph non-empty),
 * keeps the first reason per edge and, for wr edges, the keys read; then the realtime or process
 * edges `extras` asks for.
 */
export function startDeps(
  history: readonly Op[],
  extras: number,
  mops: (value: unknown) => Mop[],
): { deps: Deps; link: Link } {
  const txns: Txn[] = [];
  for (const op of history) {
    if (op.f === "txn" && op.type !== "invoke") {
      txns.push({ id: txns.length, op, mops: mops(op.value) });
    }
  }
  const deps: Deps = {
    txns,
    graph: new DepGraph(txns.length),
    why: new Map(),
    empty: true,
    ambiguous: [],
    wrKeys: new Map(),
    rwEdges: [],
  };
  const link: Link = (from, to, rel, why) => {
    deps.empty = false;
    if (from === to) return;
    deps.graph.link(from.id, to.id, rel);
    const tag = `${from.id}>${to.id}>${rel}`;
    if (why !== undefined && !deps.why.has(tag)) deps.why.set(tag, why);
    if (rel === Rel.wr && why !== undefined) {
      const pair = `${from.id}>${to.id}`;
      const keys = deps.wrKeys.get(pair) ?? deps.wrKeys.set(pair, new Set()).get(pair);
      (keys as Set<string>).add(jsonKey(why.key));
    }
  };
  orderEdges(history, txns, extras, link);
  return { deps, link };
}

/** Infers the dependency graph of a txn history; `extras` is `Rel.process`, `Rel.realtime` or 0. */
export function inferDeps(history: readonly Op[], extras: number, report: AnomalySink): Deps {
  const { deps, link } = startDeps(history, extras, mopsOf);
  const txns = deps.txns;

  const oks = txns.filter((t) => t.op.type === "ok");
  const writers = _index(oks, extWrites);
  const readers = _index(oks, extReads);
  for (const [kk, byValue] of readers) {
    const key = JSON.parse(kk);
    for (const [vk, rs] of byValue) {
      const ws = writers.get(kk)?.get(vk) ?? [];
      const value = JSON.parse(vk);
      if (ws.length > 1) deps.ambiguous.push({ key, value, writers: ws });
      if (ws.length !== 1) continue;
      const w = ws[0] as Txn;
      for (const r of rs) link(w, r, Rel.wr, { key, value });
    }
  }

  let steps = _wfr(oks);
  if (_cyclic(steps, report)) steps = new Map();
  const versionStep = (kk: string, from: string, to: string) => {
    const key = JSON.parse(kk);
    const [value, after] = [JSON.parse(from), JSON.parse(to)];
    for (const b of writers.get(kk)?.get(to) ?? []) {
      for (const a of writers.get(kk)?.get(from) ?? []) {
        link(a, b, Rel.ww, { key, value, "value'": after });
      }
      for (const a of readers.get(kk)?.get(from) ?? []) {
        link(a, b, Rel.rw, { key, value, "value'": after });
        if (a !== b) deps.rwEdges.push({ from: a, to: b, key, value: after });
      }
    }
  };
  for (const [kk, byValue] of writers) {
    for (const vk of byValue.keys()) if (vk !== "null") versionStep(kk, "null", vk);
  }
  for (const [kk, byKey] of steps) {
    for (const [a, next] of byKey) for (const b of next) versionStep(kk, a, b);
  }
  return deps;
}

/** Realtime or process edges, as Elle's realtime and process graphs draw them. */
export function orderEdges(
  history: readonly Op[],
  txns: readonly Txn[],
  extras: number,
  link: (from: Txn, to: Txn, rel: number) => void,
): void {
  const byOp = new Map(txns.map((t) => [t.op, t]));
  const pending = new Map<number | "nemesis", Txn[]>();
  const frontier = new Set<Txn>();
  const lastOk = new Map<number | "nemesis", Txn>();
  for (const op of history) {
    if (op.f !== "txn") continue;
    if (op.type === "invoke") {
      pending.set(op.process, [...frontier]);
      continue;
    }
    const txn = byOp.get(op) as Txn;
    const before = pending.get(op.process) ?? [];
    pending.delete(op.process);
    if ((extras & Rel.realtime) !== 0) { for (const p of before) link(p, txn, Rel.realtime); }
    if (op.type !== "ok") continue;
    for (const p of before) frontier.delete(p);
    frontier.add(txn);
    const prev = lastOk.get(op.process);
    if ((extras & Rel.process) !== 0 && prev !== undefined) link(prev, txn, Rel.process);
    lastOk.set(op.process, txn);
  }
}
