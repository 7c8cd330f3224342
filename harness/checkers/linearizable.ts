/**
 * A linearizability checker for independent registers, as Maelstrom's lin-kv workload checks them
 * (Jepsen's `independent` checker over Knossos's `linearizable` with the `cas-register` model):
 * each key's history is searched for an order of its operations, consistent with real time, in
 * which a register starting at nil explains every read and every successful cas.
 *
 * The search is Wing and Gong's, with Lowe's memoisation of (register value, set of operations
 * already placed): the operations' calls and returns form one list in history order; the search
 * repeatedly places the first call it can (its effect on the register must be legal), removes it
 * and its return from the list, and backtracks when a return comes up whose call was never placed.
 * Operations are treated as Knossos does: a `fail` never happened and is left out; an `info`
 * (indeterminate) operation may take effect at any point after its invocation or never, so it has
 * no return to reach; an `info` read constrains nothing and is left out.
 *
 * Bounded: past `maxStates` memoised states for one key, that key is `"unknown"`, with the reason,
 * instead of a search that runs for hours.
 *
 * @module
 */

import type { Op } from "../history.ts";
import { jsonEqual, jsonKey } from "../json_value.ts";
import type { CheckResult } from "../workloads/contract.ts";

/** One register operation of one key, as the search sees it. */
export interface RegisterOp {
  /** The completion (or, for info ops, the invocation) in the history. */
  op: Op;
  f: "read" | "write" | "cas";
  /** read: the value read; write: the value written; cas: `[from, to]`. */
  value: unknown;
  /** History indices of the invocation and of the completion (Infinity for info). */
  invokedAt: number;
  returnedAt: number;
}

/** Why a key is not linearizable: the operation no order could place, and its company. */
export interface Counterexample {
  /** The operation whose completion came before any legal place for it. */
  op: Op;
  /** The operations concurrent with it (overlapping it in real time). */
  concurrent: Op[];
  /** The register values the longest legal orders reached before it. */
  values: unknown[];
}

/** One key's verdict. */
export interface KeyResult {
  valid: boolean | "unknown";
  /** Operations searched (fail ops and info reads excluded). */
  ops: number;
  /** Memoised states the search visited. */
  states: number;
  counterexample?: Counterexample;
  error?: string;
}

/** Applies `op` to the register holding `value`: the new value, or undefined when illegal. */
function _step(value: unknown, op: RegisterOp): { value: unknown } | undefined {
  switch (op.f) {
    case "read":
      return jsonEqual(op.value, value) ? { value } : undefined;
    case "write":
      return { value: op.value };
    case "cas": {
      const [from, to] = op.value as [unknown, unknown];
      return jsonEqual(from, value) ? { value: to } : undefined;
    }
  }
}

interface _Entry {
  op: RegisterOp;
  id: number;
  kind: "call" | "return";
  /** For a call, its return entry (none for info ops). */
  match: _Entry | undefined;
  prev: _Entry | undefined;
  next: _Entry | undefined;
}

/**
 * Searches one key's operations for a linearization (see the module doc).
 *
 * @param maxStates Give up (`"unknown"`) past this many memoised states.
 */
export function checkRegister(ops: readonly RegisterOp[], maxStates = 1_000_000): KeyResult {
  const events: { at: number; entry: _Entry }[] = [];
  ops.forEach((op, id) => {
    const call: _Entry = {
      op,
      id,
      kind: "call",
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    events.push({ at: op.invokedAt, entry: call });
    if (Number.isFinite(op.returnedAt)) {
      const ret: _Entry = {
        op,
        id,
        kind: "return",
        match: undefined,
        prev: undefined,
        next: undefined,
      };
      call.match = ret;
      events.push({ at: op.returnedAt, entry: ret });
    }
  });
  events.sort((a, b) => a.at - b.at);
  const head: _Entry = {
    op: undefined as unknown as RegisterOp,
    id: -1,
    kind: "call",
    match: undefined,
    prev: undefined,
    next: undefined,
  };
  let tail = head;
  for (const { entry } of events) {
    tail.next = entry;
    entry.prev = tail;
    tail = entry;
  }
  const unlink = (e: _Entry) => {
    (e.prev as _Entry).next = e.next;
    if (e.next !== undefined) e.next.prev = e.prev;
  };
  const relink = (e: _Entry) => {
    (e.prev as _Entry).next = e;
    if (e.next !== undefined) e.next.prev = e;
  };
  const lift = (call: _Entry) => {
    unlink(call);
    if (call.match !== undefined) unlink(call.match);
  };
  const unlift = (call: _Entry) => {
    if (call.match !== undefined) relink(call.match);
    relink(call);
  };
  let returnsLeft = ops.filter((op) => Number.isFinite(op.returnedAt)).length;
  const placed = new Uint32Array(Math.ceil(ops.length / 32) + 1);
  const flip = (id: number) => (placed[id >>> 5] = (placed[id >>> 5] as number) ^ (1 << (id & 31)));
  const seen = new Set<string>();
  const stack: { call: _Entry; before: unknown }[] = [];
  let value: unknown = null;
  let entry = head.next;
  // The deepest dead end: where the longest orders got stuck.
  let deepest = { depth: -1, at: undefined as _Entry | undefined, values: [] as unknown[] };
  while (returnsLeft > 0) {
    if (entry === undefined) {
      // Cannot happen: an unplaced return always lies ahead of the walk (its call comes first).
      return {
        valid: "unknown",
        ops: ops.length,
        states: seen.size,
        error: "search ran off the list",
      };
    }
    if (entry.kind === "call") {
      const next = _step(value, entry.op);
      if (next !== undefined) {
        flip(entry.id);
        const key = `${jsonKey(next.value)}|${placed.join(",")}`;
        if (!seen.has(key)) {
          seen.add(key);
          if (seen.size > maxStates) {
            return {
              valid: "unknown",
              ops: ops.length,
              states: seen.size,
              error: `gave up after ${maxStates} states (too many concurrent operations to order)`,
            };
          }
          stack.push({ call: entry, before: value });
          value = next.value;
          lift(entry);
          if (entry.match !== undefined) returnsLeft--;
          entry = head.next;
          continue;
        }
        flip(entry.id);
      }
      entry = entry.next;
      continue;
    }
    // A return whose call is not placed: the order so far cannot go on.
    if (stack.length > deepest.depth) {
      deepest = { depth: stack.length, at: entry, values: [value] };
    } else if (stack.length === deepest.depth && entry === deepest.at) {
      if (!deepest.values.some((v) => jsonEqual(v, value))) deepest.values.push(value);
    }
    const top = stack.pop();
    if (top === undefined) {
      return {
        valid: false,
        ops: ops.length,
        states: seen.size,
        counterexample: _counterexample(ops, deepest.at ?? entry, deepest.values),
      };
    }
    value = top.before;
    flip(top.call.id);
    unlift(top.call);
    if (top.call.match !== undefined) returnsLeft++;
    entry = top.call.next;
  }
  return { valid: true, ops: ops.length, states: seen.size };
}

function _counterexample(
  ops: readonly RegisterOp[],
  stuck: _Entry,
  values: unknown[],
): Counterexample {
  const op = stuck.op;
  const concurrent = ops.filter((other) =>
    other !== op && other.invokedAt < op.returnedAt && op.invokedAt < other.returnedAt
  );
  return { op: op.op, concurrent: concurrent.map((c) => c.op), values };
}

/** The register operations of a lin-kv history, by key (as its JSON). */
export function registerOpsByKey(
  history: readonly Op[],
): Map<string, { key: unknown; ops: RegisterOp[] }> {
  const byKey = new Map<string, { key: unknown; ops: RegisterOp[] }>();
  const invoked = new Map<number | "nemesis", Op>();
  for (const op of history) {
    if (typeof op.process !== "number") continue;
    if (op.type === "invoke") {
      invoked.set(op.process, op);
      continue;
    }
    const invoke = invoked.get(op.process);
    invoked.delete(op.process);
    if (invoke === undefined || op.type === "fail") continue;
    if (op.f !== "read" && op.f !== "write" && op.f !== "cas") continue;
    if (op.f === "read" && op.type === "info") continue;
    const [key, value] = (op.type === "ok" ? op.value : invoke.value) as [unknown, unknown];
    const k = jsonKey(key);
    const entry = byKey.get(k) ?? { key, ops: [] };
    byKey.set(k, entry);
    entry.ops.push({
      op: op.type === "ok" ? op : invoke,
      f: op.f,
      value,
      invokedAt: invoke.index,
      returnedAt: op.type === "ok" ? op.index : Infinity,
    });
  }
  return byKey;
}

/** How many operations of a failing key's history the result quotes. */
const _QUOTED_OPS = 200;

/**
 * Checks every key of a lin-kv history (Jepsen's independent checker): valid when every key is,
 * false when any is not, else `"unknown"`. Lists the failing keys with a counterexample each,
 * and that key's operations (up to 200).
 */
export function checkLinearizable(history: readonly Op[], maxStates?: number): CheckResult {
  const failures: unknown[] = [];
  const unknown: unknown[] = [];
  const results: Record<string, unknown> = {};
  let states = 0;
  const byKey = registerOpsByKey(history);
  for (const [k, { key, ops }] of byKey) {
    const result = checkRegister(ops, maxStates);
    states += result.states;
    if (result.valid === true) continue;
    (result.valid === false ? failures : unknown).push(key);
    results[k] = {
      ...result,
      history: ops.slice(0, _QUOTED_OPS).map((o) => o.op),
    };
  }
  return {
    valid: failures.length > 0 ? false : unknown.length > 0 ? "unknown" : true,
    "key-count": byKey.size,
    "states-searched": states,
    failures,
    ...(unknown.length > 0 ? { unknown } : {}),
    ...(Object.keys(results).length > 0 ? { results } : {}),
  };
}
