import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import type { Op } from "../types.ts";
import { checkTxn, parseModels } from "./txn_checker.ts";
import { type Mop, txnBrief } from "./txn_deps.ts";
import { buildHistory, type Step } from "./_history_test_util.ts";

function txn(
  process: number,
  result: Mop[],
  options: { type?: "ok" | "fail" | "info"; start?: number; end?: number } = {},
): Step {
  const invoke = result.map(([f, k, v]) => [f, k, f === "r" ? null : v]);
  const step: Step = { process, f: "txn", invoke, type: options.type ?? "ok", value: result };
  if (options.type === "fail" || options.type === "info") step.value = invoke;
  if (options.start !== undefined) step.start = options.start;
  if (options.end !== undefined) step.end = options.end;
  return step;
}

/** The brief of the completion of step n (steps without overlap). */
function t(h: Op[], n: number): Record<string, unknown> {
  const op = h[2 * n + 1] as Op;
  return txnBrief({ id: n, op, mops: op.value as Mop[] });
}

/** The brief of the completion at history index `index`. */
function at(h: Op[], index: number): Record<string, unknown> {
  const op = h[index] as Op;
  return txnBrief({ id: 0, op, mops: op.value as Mop[] });
}

type Cycle = { cycle: { index: number }[]; steps: { type: string }[] };

function cycleShape(result: Record<string, unknown>, type: string) {
  const found = (result.anomalies as Record<string, Cycle[]>)[type]?.[0];
  return found && {
    indices: found.cycle.map((c) => c.index),
    steps: found.steps.map((s) => s.type),
  };
}

Deno.test("checkTxn() finds Maelstrom's #56 write cycle as G0 under read-uncommitted", () => {
  // Maelstrom misses this: the ww edges come only from writes following reads of other writes.
  const h = buildHistory([
    txn(0, [["w", 0, 1], ["r", 0, 1], ["r", 0, 10], ["w", 0, 2], ["w", 0, 3], ["r", 0, 3]], {
      start: 0,
      end: 50,
    }),
    txn(1, [["r", 0, 1], ["w", 0, 10], ["r", 0, 3], ["w", 0, 11]], { start: 1, end: 40 }),
  ]);
  const result = checkTxn(h, ["read-uncommitted"]);
  assertEquals(result.valid, false);
  // Each read an intermediate write of the other (G1b), which also closes wr/rw cycles.
  assertEquals(result["anomaly-types"], ["G-single", "G0", "G1b", "G1c", "internal"]);
  const g0 = cycleShape(result, "G0");
  assertEquals(g0?.steps, ["ww", "ww"]);
  assertEquals(new Set(g0?.indices), new Set([2, 3]));
  assertEquals(result.not, ["read-uncommitted"]);
});

Deno.test("checkTxn() takes an ok txn with no micro-ops (a null txn_ok) as touching nothing", () => {
  const empty: Step = { process: 1, f: "txn", invoke: [["w", "x", 2]], type: "ok", value: [] };
  const h = buildHistory([txn(0, [["w", "x", 1]]), empty, txn(2, [["r", "x", 1]])]);
  const result = checkTxn(h, ["serializable"]);
  assertEquals([result.valid, result["anomaly-types"]], [true, []]);
});

Deno.test("checkTxn() reports G1a when a committed txn reads an aborted txn's write", () => {
  const h = buildHistory([
    txn(0, [["w", "x", 1]], { type: "fail" }),
    txn(1, [["r", "x", 1]]),
  ]);
  const result = checkTxn(h, ["read-committed"]);
  assertEquals(result.valid, false);
  assertEquals(result["anomaly-types"], ["G1a"]);
  assertEquals((result.anomalies as Record<string, unknown[]>).G1a, [
    { op: t(h, 1), writer: t(h, 0), key: "x", value: 1 },
  ]);
  assertEquals(checkTxn(h, ["read-uncommitted"]).valid, true);
});

Deno.test("checkTxn() reports G1b when a txn reads another txn's intermediate write", () => {
  const h = buildHistory([txn(0, [["w", "x", 1], ["w", "x", 2]]), txn(1, [["r", "x", 1]])]);
  const result = checkTxn(h, ["read-committed"]);
  assertEquals(result.valid, false);
  assertEquals((result.anomalies as Record<string, unknown[]>).G1b, [
    { op: t(h, 1), writer: t(h, 0), key: "x", value: 1 },
  ]);
  // The reader also precedes the writer's final write: a G-single cycle, not forbidden here.
  assertEquals(result["anomaly-types"], ["G-single", "G1b"]);
});

Deno.test("checkTxn() reports G1c when two txns read each other's writes", () => {
  const h = buildHistory([
    txn(0, [["w", "x", 1], ["r", "y", 1]], { start: 0, end: 20 }),
    txn(1, [["w", "y", 1], ["r", "x", 1]], { start: 1, end: 21 }),
  ]);
  const result = checkTxn(h, ["read-committed"]);
  assertEquals(result.valid, false);
  assertEquals(result["anomaly-types"], ["G1c"]);
  assertEquals(cycleShape(result, "G1c")?.steps, ["wr", "wr"]);
  assertEquals(new Set(cycleShape(result, "G1c")?.indices), new Set([2, 3]));
});

Deno.test("checkTxn() reports G-single (read skew) under serializable but not read-committed", () => {
  const h = buildHistory([
    txn(0, [["w", "x", 1], ["w", "y", 1]], { start: 0, end: 20 }),
    txn(1, [["r", "x", null], ["r", "y", 1]], { start: 1, end: 21 }),
  ]);
  const result = checkTxn(h, ["serializable"]);
  assertEquals(result.valid, false);
  assertEquals(result["anomaly-types"], ["G-single", "fractured-read"]);
  const shape = cycleShape(result, "G-single");
  assertEquals(shape?.steps.slice().sort(), ["rw", "wr"]);
  assertEquals(new Set(shape?.indices), new Set([2, 3]));
  assertEquals(result.not, ["read-atomic"]);
  assertEquals(checkTxn(h, ["read-committed"]).valid, true);
  assertEquals(checkTxn(h, ["read-atomic"]).valid, false);
});

Deno.test("checkTxn() reports write skew as G2-item under serializable, allowed by snapshot isolation", () => {
  const h = buildHistory([
    txn(0, [["r", "x", null], ["w", "y", 1]], { start: 0, end: 20 }),
    txn(1, [["r", "y", null], ["w", "x", 1]], { start: 1, end: 21 }),
  ]);
  const result = checkTxn(h, ["serializable"]);
  assertEquals(result.valid, false);
  assertEquals(result["anomaly-types"], ["G2-item"]);
  assertEquals(cycleShape(result, "G2-item")?.steps, ["rw", "rw"]);
  assertEquals(checkTxn(h, ["snapshot-isolation"]).valid, true);
});

Deno.test("checkTxn() reports lost-update when two txns overwrite the same read", () => {
  const h = buildHistory([
    txn(0, [["r", "x", null], ["w", "x", 1]], { start: 0, end: 20 }),
    txn(1, [["r", "x", null], ["w", "x", 2]], { start: 1, end: 21 }),
  ]);
  const result = checkTxn(h, ["serializable"]);
  assertEquals((result.anomalies as Record<string, unknown[]>)["lost-update"], [
    { key: "x", value: null, txns: [at(h, 2), at(h, 3)] },
  ]);
  assertEquals(result.valid, false);
});

Deno.test("checkTxn() reports G-single-realtime only under strict-serializable", () => {
  const h = buildHistory([txn(0, [["w", "x", 1]]), txn(1, [["r", "x", null]])]);
  const strict = checkTxn(h, ["strict-serializable"]);
  assertEquals(strict["anomaly-types"], ["G-single-realtime"]);
  assertEquals(cycleShape(strict, "G-single-realtime")?.steps.slice().sort(), ["realtime", "rw"]);
  assertEquals(strict.valid, false);
  assertEquals(checkTxn(h, ["serializable"]).valid, true);
});

Deno.test("checkTxn() reports internal when a txn misses its own write", () => {
  const h = buildHistory([txn(0, [["w", "x", 1], ["r", "x", null]])]);
  const result = checkTxn(h, ["serializable"]);
  assertEquals((result.anomalies as Record<string, unknown[]>).internal, [
    { op: t(h, 0), key: "x", value: null, expected: 1 },
  ]);
  assertEquals(result.valid, false);
  assertEquals(checkTxn(h, ["read-committed"]).valid, true);
});

Deno.test("checkTxn() accepts a serial history under strict-serializable", () => {
  const h = buildHistory([
    txn(0, [["w", "x", 1], ["w", "y", 1]]),
    txn(1, [["r", "x", 1], ["r", "y", 1], ["w", "x", 2]]),
    txn(2, [["r", "x", 2], ["r", "y", 1], ["r", "z", null]]),
    txn(0, [["w", "z", 1], ["r", "z", 1]]),
  ]);
  const result = checkTxn(h, ["strict-serializable"]);
  assertEquals(result["anomaly-types"], []);
  assertEquals(result.valid, true);
  assertEquals(checkTxn([], ["serializable"]).valid, true);
});

Deno.test("parseModels() splits on commas and rejects unknown models", () => {
  assertEquals(parseModels(["read-committed,serializable"]), ["read-committed", "serializable"]);
  assertEquals(parseModels([]), ["strict-serializable"]);
  assertThrows(() => parseModels(["read-committed,bogus"]), RangeError);
  assertThrows(() => checkTxn([], ["linearizable"]), /unknown model "linearizable"/);
});
