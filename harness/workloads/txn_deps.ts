/**
 * Elle-style dependency inference for read-write registers with values unique per key.
 *
 * Every write is a version of its key (intermediate writes too, so interleaved writes — Berenson's
 * P0 dirty write — show up as ww cycles). Version order evidence, all of it sound under the
 * assumptions Maelstrom's checker makes (`wfr-keys?`: a transaction's later micro-op happens after
 * its earlier ones):
 * - nil precedes every version;
 * - in an ok transaction, a read of k = v followed by its next write k = v′ gives v < v′ (a
 *   read sees what was current; the write installs a newer version);
 * - in an ok or info transaction, a write k = v followed by its next write k = v′ gives v < v′.
 * Nothing is inferred from a write followed by a read, nor from order across transactions
 * (per-process or realtime order of reads is not evidence under weak models).
 *
 * Edges: wr from the writer of a read value to the reader; ww from the writer of v to the writer
 * of v′ for each inferred v < v′; rw from a reader of v to the writers of v's direct successors
 * (a reader of nil to every writer of the key); process and realtime edges on request.
 * Direct checks: garbage-read, duplicate-writes, internal, G1a, G1b, lost-update, fractured-read.
 *
 * @module
 */

import type { Op } from "../types.ts";
import { DepGraph, Rel } from "./txn_graph.ts";

/** A micro-op: `["r", k, v]` or `["w", k, v]`. */
export type Mop = [string, unknown, unknown];

/** One completed transaction (a vertex). */
export interface Txn {
  id: number;
  op: Op;
  mops: Mop[];
}

/** How one transaction's write of a key is indexed. */
interface _Write {
  txn: Txn;
  value: unknown;
  /** Whether it is the transaction's last write of the key. */
  final: boolean;
}

/** Records anomalies by type. */
export type AnomalySink = (type: string, example: Record<string, unknown>) => void;

/** The inferred graph, and why each edge exists (`"from>to>kind"` → key and value). */
export interface Deps {
  txns: Txn[];
  graph: DepGraph;
  why: Map<string, { key: unknown; value: unknown }>;
}

const NIL = "\u0000nil";

function _vk(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

/** The compact form of a transaction used in anomaly reports. */
export function txnBrief(txn: Txn): Record<string, unknown> {
  const { index, process, type, time } = txn.op;
  return { index, process, type, time, value: txn.mops };
}

function _mops(value: unknown): Mop[] {
  if (!Array.isArray(value)) return [];
  return value.filter((m): m is Mop => Array.isArray(m) && m.length === 3);
}

/** Infers the dependency graph of a txn history; `extras` is `Rel.process | Rel.realtime` or less. */
export function inferDeps(history: readonly Op[], extras: number, report: AnomalySink): Deps {
  const txns: Txn[] = [];
  const invokes = new Map<number | "nemesis", number[]>();
  const realtimePreds = new Map<number, number[]>();
  const frontier = new Set<number>();
  const graph = new DepGraph(history.filter((op) => op.f === "txn" && op.type !== "invoke").length);
  const why = new Map<string, { key: unknown; value: unknown }>();
  const link = (from: Txn, to: Txn, rel: number, key: unknown, value: unknown) => {
    if (from === to) return;
    graph.link(from.id, to.id, rel);
    const tag = `${from.id}>${to.id}>${rel}`;
    if (!why.has(tag)) why.set(tag, { key, value });
  };
  const lastOfProcess = new Map<number | "nemesis", Txn>();
  for (const op of history) {
    if (op.f !== "txn") continue;
    if (op.type === "invoke") {
      invokes.set(op.process, [...frontier]);
      continue;
    }
    const txn: Txn = { id: txns.length, op, mops: _mops(op.value) };
    txns.push(txn);
    if (op.type === "fail") continue;
    const preds = invokes.get(op.process) ?? [];
    realtimePreds.set(txn.id, preds);
    if ((extras & Rel.realtime) !== 0) {
      for (const p of preds) link(txns[p] as Txn, txn, Rel.realtime, null, null);
    }
    if (op.type === "ok") {
      for (const p of preds) frontier.delete(p);
      frontier.add(txn.id);
    }
    const prev = lastOfProcess.get(op.process);
    if ((extras & Rel.process) !== 0 && prev !== undefined) {
      link(prev, txn, Rel.process, null, null);
    }
    lastOfProcess.set(op.process, txn);
  }

  // Index every write by (key, value), and spot values written twice.
  const writes = new Map<string, Map<string, _Write>>();
  for (const txn of txns) {
    const lastWrite = new Map<string, number>();
    txn.mops.forEach(([f, k], i) => f === "w" && lastWrite.set(_vk(k), i));
    txn.mops.forEach(([f, k, v], i) => {
      if (f !== "w") return;
      const kk = _vk(k);
      let byValue = writes.get(kk);
      if (byValue === undefined) writes.set(kk, byValue = new Map());
      const seen = byValue.get(_vk(v));
      if (seen !== undefined) {
        report("duplicate-writes", { key: k, value: v, txns: [txnBrief(seen.txn), txnBrief(txn)] });
        return;
      }
      byValue.set(_vk(v), { txn, value: v, final: lastWrite.get(kk) === i });
    });
  }
  const writerOf = (kk: string, vk: string) => writes.get(kk)?.get(vk);

  // Walk each transaction: version order evidence, wr edges and direct anomalies.
  const successors = new Map<string, Map<string, Set<string>>>();
  const before = (kk: string, a: string, b: string) => {
    if (a === NIL || a === b) return;
    let byKey = successors.get(kk);
    if (byKey === undefined) successors.set(kk, byKey = new Map());
    let next = byKey.get(a);
    if (next === undefined) byKey.set(a, next = new Set());
    next.add(b);
  };
  const reads: { txn: Txn; key: unknown; kk: string; vk: string }[] = [];
  const wrKeys = new Map<string, Set<string>>();
  const readThenWrite = new Map<string, { key: unknown; value: unknown; txns: Txn[] }>();
  for (const txn of txns) {
    const { type } = txn.op;
    if (type === "fail") continue;
    const state = new Map<string, { write?: string; read?: string | undefined }>();
    for (const [f, k, v] of txn.mops) {
      const kk = _vk(k);
      let s = state.get(kk);
      if (s === undefined) state.set(kk, s = {});
      if (f === "w") {
        const vk = _vk(v);
        if (s.write !== undefined) before(kk, s.write, vk);
        if (s.read !== undefined) before(kk, s.read, vk);
        if (s.write === undefined && s.read !== undefined) {
          const tag = `${kk}|${s.read}`;
          const entry = readThenWrite.get(tag) ??
            { key: k, value: s.read === NIL ? null : JSON.parse(s.read), txns: [] as Txn[] };
          entry.txns.push(txn);
          readThenWrite.set(tag, entry);
        }
        s.write = vk;
        s.read = undefined;
        continue;
      }
      if (f !== "r" || type !== "ok") continue;
      const vk = v === null ? NIL : _vk(v);
      s.read = vk;
      const own = s.write;
      if (own !== undefined && own !== vk) {
        report("internal", { op: txnBrief(txn), key: k, value: v, expected: JSON.parse(own) });
      }
      if (vk === NIL) {
        if (own === undefined) reads.push({ txn, key: k, kk, vk });
        continue;
      }
      const w = writerOf(kk, vk);
      if (w === undefined) {
        report("garbage-read", { op: txnBrief(txn), key: k, value: v });
        continue;
      }
      if (w.txn === txn) continue;
      if (w.txn.op.type === "fail") {
        report("G1a", { op: txnBrief(txn), writer: txnBrief(w.txn), key: k, value: v });
        continue;
      }
      link(w.txn, txn, Rel.wr, k, v);
      const pair = `${w.txn.id}>${txn.id}`;
      (wrKeys.get(pair) ?? wrKeys.set(pair, new Set()).get(pair) as Set<string>).add(kk);
      if (!w.final) report("G1b", { op: txnBrief(txn), writer: txnBrief(w.txn), key: k, value: v });
      reads.push({ txn, key: k, kk, vk });
    }
  }
  for (const { key, value, txns: ts } of readThenWrite.values()) {
    const oks = ts.filter((t) => t.op.type === "ok");
    if (oks.length > 1) report("lost-update", { key, value, txns: oks.map(txnBrief) });
  }

  // ww edges from the version order; cyclic versions.
  const versionIds = new Map<string, number>();
  const versionOf: [string, string][] = [];
  const vid = (kk: string, vk: string) => {
    const tag = `${kk}\u0000${vk}`;
    let id = versionIds.get(tag);
    if (id === undefined) {
      versionIds.set(tag, id = versionOf.length);
      versionOf.push([kk, vk]);
    }
    return id;
  };
  const versionEdges: [number, number][] = [];
  for (const [kk, byKey] of successors) {
    for (const [a, next] of byKey) {
      for (const b of next) {
        versionEdges.push([vid(kk, a), vid(kk, b)]);
        const wa = writerOf(kk, a);
        const wb = writerOf(kk, b);
        if (wa === undefined || wb === undefined) continue;
        if (wa.txn.op.type === "fail" || wb.txn.op.type === "fail") continue;
        link(wa.txn, wb.txn, Rel.ww, JSON.parse(kk), wb.value);
      }
    }
  }
  const versions = new DepGraph(versionOf.length);
  for (const [a, b] of versionEdges) versions.link(a, b, Rel.ww);
  for (const component of versions.components(Rel.ww)) {
    const [kk] = versionOf[component[0] as number] as [string, string];
    const values = component.map((id) => JSON.parse((versionOf[id] as [string, string])[1]));
    report("cyclic-versions", { key: JSON.parse(kk), values });
  }

  // rw edges: a reader of v precedes whoever wrote v's successors; a reader of nil, every writer.
  for (const { txn, key, kk, vk } of reads) {
    const targets: _Write[] = [];
    if (vk === NIL) targets.push(...(writes.get(kk)?.values() ?? []));
    else {
      for (const b of successors.get(kk)?.get(vk) ?? []) {
        const w = writerOf(kk, b);
        if (w !== undefined) targets.push(w);
      }
    }
    for (const w of targets) {
      if (w.txn === txn || w.txn.op.type === "fail") continue;
      link(txn, w.txn, Rel.rw, key, w.value);
      const other = [...(wrKeys.get(`${w.txn.id}>${txn.id}`) ?? [])].find((k) => k !== kk);
      if (other !== undefined) {
        report("fractured-read", {
          op: txnBrief(txn),
          writer: txnBrief(w.txn),
          "read-key": JSON.parse(other),
          "missed-key": key,
          "missed-value": w.value,
        });
      }
    }
  }
  return { txns, graph, why };
}
