/**
 * The txn-rw-register final-read phase (`--final-reads`, a check Maelstrom does not make): after
 * the heal and the final pause, every node is asked for every key ever written, and each answer
 * is held to the last acknowledged write of its key.
 *
 * The rule, for a totally available store checked under read committed or anything stronger:
 * once partitions have healed and the store has had time to quiesce, a final read of key k must
 * return the external write to k that is last in k's version order among the acknowledged (ok)
 * ones, or an indeterminate (info) write after it. A black box shows only part of the version
 * order, so a read breaks the rule, a `lost-write`, when the history proves it:
 * - it returns nil although some ok transaction wrote k (nil precedes every version);
 * - it returns v, and the order Elle infers (writes follow reads: an ok transaction that read
 *   k = v and then wrote k = v′ puts v before v′, transitively) puts an ok write of k after v;
 * - two final reads of k return two different values that ok transactions wrote: at most one of
 *   them is the last acknowledged write, and neither is an indeterminate later one.
 * Real-time order is not used: read committed lets a store order concurrent writes of two
 * partition sides either way (ours lets the greater Lamport time win).
 *
 * @module
 */

import type { CheckResult, FinalContext } from "../../workloads/contract.ts";
import type { Op } from "../../history.ts";
import { extReads, extWrites, mopsOf } from "./deps.ts";
import { jsonKey } from "../../json_value.ts";

/** How many examples of `lost-write` the result keeps. */
const _EXAMPLES = 8;

/** Pause before a final read that failed or timed out is tried again, ms. */
const _RETRY_MS = 250;

/** Every key any transaction tried to write, in first-write order. */
export function writtenKeys(history: readonly Op[]): unknown[] {
  const keys = new Map<string, unknown>();
  for (const op of history) {
    if (op.type !== "invoke" || op.f !== "txn") continue;
    for (const [f, k] of mopsOf(op.value)) {
      if (f === "w" && !keys.has(jsonKey(k))) keys.set(jsonKey(k), k);
    }
  }
  return [...keys.values()];
}

/**
 * The keys worker `thread` reads in the final phase: thread t talks to node t mod n, and the
 * threads of one node split its keys round-robin, so every node reads every key once.
 */
export function keysOfThread(
  keys: readonly unknown[],
  thread: number,
  nodeCount: number,
  concurrency: number,
): unknown[] {
  const node = thread % nodeCount;
  const rank = Math.floor(thread / nodeCount);
  const threads = Math.ceil((concurrency - node) / nodeCount);
  return keys.filter((_, i) => i % threads === rank);
}

/**
 * One worker's final phase: reads its share of the written keys ({@linkcode keysOfThread}) in
 * read-only transactions of up to `--max-txn-length` reads, each retried until it is ok or the
 * phase is cut off (a node still recovering may answer 11).
 */
export async function finalReads(ctx: FinalContext): Promise<void> {
  const { options, thread } = ctx;
  const keys = keysOfThread(
    writtenKeys(ctx.history),
    thread,
    options.nodes.length,
    options.concurrency,
  );
  for (let i = 0; i < keys.length; i += options.maxTxnLength) {
    const txn = keys.slice(i, i + options.maxTxnLength).map((k) => ["r", k, null]);
    while (!ctx.signal.aborted) {
      const done = await ctx.invoke({ f: "txn", value: txn, final: true });
      if (done.type === "ok") break;
      await ctx.sleep(_RETRY_MS);
    }
  }
}

interface _Write {
  value: unknown;
  op: Op;
}

interface _KeyFacts {
  key: unknown;
  /** Ok external writes by value (JSON). */
  acked: Map<string, _Write>;
  /** Values (JSON) of ok and info external writes: what a read may return besides nil. */
  written: Set<string>;
  /** Writes-follow-reads steps: value (JSON, "null" for nil) → later values (JSON). */
  steps: Map<string, Set<string>>;
}

function _facts(history: readonly Op[]): Map<string, _KeyFacts> {
  const byKey = new Map<string, _KeyFacts>();
  const facts = (k: unknown) => {
    const kk = jsonKey(k);
    let f = byKey.get(kk);
    if (f === undefined) {
      f = { key: k, acked: new Map(), written: new Set(), steps: new Map() };
      byKey.set(kk, f);
    }
    return f;
  };
  for (const op of history) {
    if ((op.type !== "ok" && op.type !== "info") || op.f !== "txn") continue;
    const mops = mopsOf(op.value);
    const writes = extWrites(mops);
    for (const [, [k, v]] of writes) facts(k).written.add(jsonKey(v));
    if (op.type !== "ok") continue;
    for (const [, [k, v]] of writes) facts(k).acked.set(jsonKey(v), { value: v, op });
    for (const [kk, [k, v]] of extReads(mops)) {
      const w = writes.get(kk);
      if (w === undefined) continue;
      const steps = facts(k).steps;
      const next = steps.get(jsonKey(v)) ?? steps.set(jsonKey(v), new Set()).get(jsonKey(v));
      next?.add(jsonKey(w[1]));
    }
  }
  return byKey;
}

/** Values (JSON) after `from` in the inferred version order; nil precedes every acked write. */
function _later(facts: _KeyFacts, from: unknown): Set<string> {
  if (from === null) return new Set(facts.acked.keys());
  const seen = new Set<string>();
  const stack = [...(facts.steps.get(jsonKey(from)) ?? [])];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push(...(facts.steps.get(v) ?? []));
  }
  return seen;
}

function _brief(op: Op): Record<string, unknown> {
  const { index, process, type, time, value, node } = op;
  return { index, process, type, time, node, value };
}

/** What {@linkcode checkFinalReads} found: merged into the txn checker's result. */
export interface FinalReadsResult {
  /** `false` with a lost write, `"unknown"` when some node never answered for some key. */
  valid: boolean | "unknown";
  /** Keys ever written. */
  "key-count": number;
  /** Ok final reads of single keys. */
  "read-count": number;
  /** Examples of `"node key"` pairs with no ok final read (the check could not cover them). */
  unread: string[];
  "unread-count": number;
  "lost-write-count": number;
  /** Examples: key, node, the value read, the acknowledged writes it missed, why. */
  "lost-writes": Record<string, unknown>[];
}

/**
 * Checks the final reads of a txn-rw-register history (ops marked `final`) against the rule in
 * this module's header. `nodes` are the nodes every key must have been read on.
 */
export function checkFinalReads(
  history: readonly Op[],
  nodes: readonly string[],
): FinalReadsResult {
  const facts = _facts(history.filter((op) => op.final !== true));
  const keys = writtenKeys(history.filter((op) => op.final !== true));
  const lost: Record<string, unknown>[] = [];
  let lostCount = 0;
  const report = (example: Record<string, unknown>) => {
    lostCount++;
    if (lost.length < _EXAMPLES) lost.push(example);
  };
  const readOn = new Map<string, Map<string, { value: unknown; op: Op }>>();
  const flagged = new Set<string>();
  let reads = 0;
  for (const op of history) {
    if (op.type !== "ok" || op.final !== true || op.f !== "txn") continue;
    for (const [kk, [k, v]] of extReads(mopsOf(op.value))) {
      reads++;
      const byNode = readOn.get(kk) ?? readOn.set(kk, new Map()).get(kk);
      byNode?.set(op.node ?? "?", { value: v, op });
      const f = facts.get(kk);
      if (f === undefined || f.acked.size === 0) continue;
      const committed = v === null || f.written.has(jsonKey(v));
      const newer = committed
        ? [..._later(f, v)].filter((w) => w !== jsonKey(v) && f.acked.has(w))
        : [...f.acked.keys()];
      if (newer.length === 0) continue;
      flagged.add(kk);
      report({
        key: k,
        node: op.node,
        value: v,
        op: _brief(op),
        why: v === null
          ? "nil precedes every write"
          : committed
          ? "writes-follow-reads order"
          : "no ok or info transaction wrote it",
        "acknowledged-later": newer.slice(0, 3).map((w) => {
          const write = f.acked.get(w) as _Write;
          return { value: write.value, op: _brief(write.op) };
        }),
      });
    }
  }
  for (const [kk, byNode] of readOn) {
    const f = facts.get(kk);
    if (f === undefined || flagged.has(kk)) continue;
    const values = new Set([...byNode.values()].map((r) => jsonKey(r.value)));
    const acked = [...values].filter((v) => f.acked.has(v));
    if (acked.length < 2) continue;
    report({
      key: f.key,
      why: "final reads disagree on acknowledged values: at most one is the last",
      reads: Object.fromEntries([...byNode].map(([node, r]) => [node, r.value])),
    });
  }
  const unread: string[] = [];
  for (const k of keys) {
    for (const node of nodes) {
      if (readOn.get(jsonKey(k))?.has(node) !== true) unread.push(`${node} ${jsonKey(k)}`);
    }
  }
  return {
    valid: lostCount > 0 ? false : unread.length > 0 ? "unknown" : true,
    "key-count": keys.length,
    "read-count": reads,
    unread: unread.slice(0, _EXAMPLES),
    "unread-count": unread.length,
    "lost-write-count": lostCount,
    "lost-writes": lost,
  };
}

/**
 * Merges a {@linkcode FinalReadsResult} into the txn checker's result: a lost write is the
 * `lost-write` anomaly (listed with examples, counted, and fatal); unread keys make a valid verdict
 * unknown. The check's own figures go under `final-reads`.
 */
export function withFinalReads(result: CheckResult, finals: FinalReadsResult): CheckResult {
  const { "lost-writes": _examples, ...figures } = finals;
  const out: CheckResult = { ...result, "final-reads": figures };
  if (finals["lost-write-count"] > 0) {
    const types = Array.isArray(result["anomaly-types"]) ? result["anomaly-types"] : [];
    out["anomaly-types"] = [...types, "lost-write"].sort();
    out.anomalies = { ...(result.anomalies as object), "lost-write": finals["lost-writes"] };
    out.counts = { ...(result.counts as object), "lost-write": finals["lost-write-count"] };
    out.valid = false;
  } else if (finals.valid === "unknown" && result.valid === true) {
    out.valid = "unknown";
    out.error = `--final-reads: no ok final read of ${finals["unread-count"]} node/key pairs ` +
      `(e.g. ${finals.unread[0]})`;
  }
  return out;
}
