/**
 * `deno task bench:checkers`: how long the heavy checkers take on large histories, and how much
 * memory they use, printed (not asserted): the linearizability checker on a 10-key lin-kv history
 * of 10 000 operations at concurrency 10, and the list-append checker on 20 000 transactions.
 *
 * The histories are made here, of a correct store: each operation takes effect at a random moment
 * between its invocation and its completion, on one copy of the data, so the checkers must find
 * them valid and do their full search. Seeded, so every run checks the same histories.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { checkLinearizable } from "../harness/checkers/linearizable.ts";
import { checkTxn } from "../harness/checkers/txn/checker.ts";
import type { Op } from "../harness/history.ts";
import { createRng, type Rng } from "../harness/rng.ts";

interface _Event {
  at: number;
  kind: "invoke" | "effect" | "complete";
  process: number;
  seq: number;
}

/**
 * Schedules `count` operations on `concurrency` processes: each process issues its next operation
 * as soon as its last completes; each takes effect at a random moment inside its span. Calls
 * `effect(process, n)` in effect order; returns the events in time order.
 */
function _schedule(
  rng: Rng,
  count: number,
  concurrency: number,
): { events: _Event[] } {
  const events: _Event[] = [];
  const clock = Array.from({ length: concurrency }, () => rng.uniform(0, 1));
  for (let n = 0; n < count; n++) {
    const process = n % concurrency;
    const start = clock[process] as number;
    const end = start + rng.uniform(0.5, 3);
    const effect = rng.uniform(start, end);
    events.push({ at: start, kind: "invoke", process, seq: n });
    events.push({ at: effect, kind: "effect", process, seq: n });
    events.push({ at: end, kind: "complete", process, seq: n });
    clock[process] = end + rng.uniform(0, 0.5);
  }
  events.sort((a, b) => a.at - b.at);
  return { events };
}

/** A linearizable lin-kv history: reads, writes and cas of values 0…4 over `keys` registers. */
export function linKvHistory(count: number, concurrency: number, keys: number, seed = 1): Op[] {
  const rng = createRng(seed);
  const { events } = _schedule(rng, count, concurrency);
  const state = new Map<number, number | null>();
  const plan = Array.from({ length: count }, () => {
    const key = rng.int(keys);
    const pick = rng.int(3);
    return pick === 0
      ? { f: "read", key, arg: null as unknown }
      : pick === 1
      ? { f: "write", key, arg: rng.int(5) as unknown }
      : { f: "cas", key, arg: [rng.int(5), rng.int(5)] as unknown };
  });
  const outcome = new Map<number, { type: "ok" | "fail"; value: unknown }>();
  const history: Op[] = [];
  for (const e of events) {
    const p = plan[e.seq] as { f: string; key: number; arg: unknown };
    if (e.kind === "effect") {
      const current = state.get(p.key) ?? null;
      if (p.f === "read") outcome.set(e.seq, { type: "ok", value: [p.key, current] });
      else if (p.f === "write") {
        state.set(p.key, p.arg as number);
        outcome.set(e.seq, { type: "ok", value: [p.key, p.arg] });
      } else {
        const [from, to] = p.arg as [number, number];
        const ok = current === from;
        if (ok) state.set(p.key, to);
        outcome.set(e.seq, { type: ok ? "ok" : "fail", value: [p.key, p.arg] });
      }
      continue;
    }
    const done = outcome.get(e.seq);
    history.push({
      index: history.length,
      time: Math.round(e.at * 1e9),
      type: e.kind === "invoke" ? "invoke" : (done?.type ?? "info"),
      process: e.process,
      f: p.f,
      value: e.kind === "invoke" ? [p.key, p.f === "read" ? null : p.arg] : done?.value,
    });
  }
  return history;
}

/** A serializable list-append history of `count` transactions of 1…4 reads and appends. */
export function listAppendHistory(count: number, concurrency: number, seed = 1): Op[] {
  const rng = createRng(seed);
  const { events } = _schedule(rng, count, concurrency);
  const lists = new Map<number, number[]>();
  const next = new Map<number, number>();
  let active = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  let fresh = 10;
  const plan = Array.from({ length: count }, () =>
    Array.from({ length: 1 + rng.int(4) }, () => {
      const key = active[rng.int(active.length)] as number;
      if (rng.next() < 0.5) return ["r", key, null] as [string, number, unknown];
      const value = (next.get(key) ?? 0) + 1;
      next.set(key, value);
      if (value >= 32) active = active.map((k) => k === key ? fresh++ : k);
      return ["append", key, value] as [string, number, unknown];
    }));
  const done = new Map<number, unknown[]>();
  const history: Op[] = [];
  for (const e of events) {
    const txn = plan[e.seq] as [string, number, unknown][];
    if (e.kind === "effect") {
      done.set(
        e.seq,
        txn.map(([f, k, v]) => {
          if (f === "append") {
            lists.set(k, [...(lists.get(k) ?? []), v as number]);
            return [f, k, v];
          }
          const list = lists.get(k);
          return [f, k, list === undefined ? null : [...list]];
        }),
      );
      continue;
    }
    history.push({
      index: history.length,
      time: Math.round(e.at * 1e9),
      type: e.kind === "invoke" ? "invoke" : "ok",
      process: e.process,
      f: "txn",
      value: e.kind === "invoke" ? txn : done.get(e.seq),
    });
  }
  return history;
}

function _measure<T>(fn: () => T): { result: T; ms: number; heapMiB: number } {
  const before = Deno.memoryUsage().heapUsed;
  const start = performance.now();
  const result = fn();
  const ms = performance.now() - start;
  const heapMiB = Math.max(0, Deno.memoryUsage().heapUsed - before) / (1 << 20);
  return { result, ms, heapMiB };
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { seed: { type: "string" } } });
  const seed = Number(values.seed ?? 1);
  const lin = linKvHistory(10_000, 10, 10, seed);
  const a = _measure(() => checkLinearizable(lin));
  const txns = listAppendHistory(20_000, 10, seed);
  const b = _measure(() => checkTxn(txns, ["strict-serializable"], { kind: "list-append" }));
  const rss = Deno.memoryUsage().rss / (1 << 20);
  console.log(
    [
      "| checker | history | valid | time | heap grown |",
      "| --- | --- | --- | --- | --- |",
      `| linearizable (lin-kv) | 10 000 ops, 10 keys, concurrency 10 | ${a.result.valid} | ${
        a.ms.toFixed(0)
      } ms (${a.result["states-searched"]} states) | ${a.heapMiB.toFixed(0)} MiB |`,
      `| list-append (Elle-style), strict-serializable | 20 000 txns, concurrency 10 | ${b.result.valid} | ${
        b.ms.toFixed(0)
      } ms | ${b.heapMiB.toFixed(0)} MiB |`,
      "",
      `process RSS at the end: ${rss.toFixed(0)} MiB (seed ${seed}; deno task bench:checkers)`,
    ].join("\n"),
  );
}
