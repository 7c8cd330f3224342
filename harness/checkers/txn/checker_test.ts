import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import type { Op } from "../../history.ts";
import { checkTxn, parseModels } from "./checker.ts";
import { type Mop, txnBrief } from "./deps.ts";
import { buildHistory, type Step } from "../_history_test_util.ts";

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

/** Whether `history` passes under each of `models`, checked one at a time. */
function verdicts(history: Op[], models: string[], strict = false) {
  return Object.fromEntries(models.map((m) => [m, checkTxn(history, [m], { strict }).valid]));
}

/** Maelstrom's issue #56: each transaction overwrites the other's pending (intermediate) writes. */
const INTERLEAVED = [
  txn(0, [["w", 0, 1], ["r", 0, 1], ["r", 0, 10], ["w", 0, 2], ["w", 0, 3], ["r", 0, 3]], {
    start: 0,
    end: 50,
  }),
  txn(1, [["r", 0, 1], ["w", 0, 10], ["r", 0, 3], ["w", 0, 11]], { start: 1, end: 40 }),
];

Deno.test("checkTxn() reports interleaved intermediate writes as dirty-write, not G0", () => {
  const h = buildHistory(INTERLEAVED);
  const result = checkTxn(h, ["read-uncommitted"]);
  // Elle infers no ww edge here (its versions are final writes only), so Maelstrom passes it.
  assertEquals(result.valid, true);
  assertEquals(result["anomaly-types"], ["G1b", "dirty-write", "internal", "lost-update"]);
  assertEquals(cycleShape(result, "dirty-write"), {
    indices: [3, 2, 3],
    steps: ["wider-ww", "wider-ww"],
  });
  assertEquals(result.warnings, [
    "dirty-write: 1 cycle of writes interleaved with another transaction's pending write (P0) " +
    "(e.g. ops 2, 3); Maelstrom does not check this, --strict makes it fatal under " +
    "read-uncommitted and stronger models",
  ]);
  assertEquals(checkTxn(h, ["read-uncommitted"], { strict: true }).valid, false);
});

Deno.test("checkTxn() reports a ww cycle over committed versions as G0", () => {
  // Each reads the other's final write of a key, then overwrites it.
  const h = buildHistory([
    txn(0, [["r", "y", 2], ["w", "y", 3], ["w", "x", 1]], { start: 0, end: 20 }),
    txn(1, [["r", "x", 1], ["w", "x", 2], ["w", "y", 2]], { start: 1, end: 21 }),
  ]);
  const result = checkTxn(h, ["read-uncommitted"]);
  assertEquals(result.valid, false);
  assertEquals(result["anomaly-types"], ["G0", "G1c"]);
  assertEquals(cycleShape(result, "G0")?.steps, ["ww", "ww"]);
  assertEquals(new Set(cycleShape(result, "G0")?.indices), new Set([2, 3]));
  assertEquals(result.not, ["read-uncommitted"]);
  assertEquals(result.warnings, undefined);
});

Deno.test("checkTxn() names internal anomalies and fails the models Elle says they fail", () => {
  const h = buildHistory([txn(0, [["w", "x", 1], ["r", "x", null]]), txn(1, [["r", "x", 1]])]);
  const result = checkTxn(h, ["serializable"]);
  assertEquals(result["anomaly-types"], ["internal"]);
  assertEquals((result.anomalies as Record<string, unknown[]>).internal, [
    { op: t(h, 0), mop: ["r", "x", null], expected: 1 },
  ]);
  assertEquals(result.not, ["read-atomic"]);
  assertEquals(
    verdicts(h, [
      "read-uncommitted",
      "read-committed",
      "repeatable-read",
      "read-atomic",
      "snapshot-isolation",
      "serializable",
      "strict-serializable",
    ]),
    {
      "read-uncommitted": true,
      "read-committed": true,
      "repeatable-read": true,
      "read-atomic": false,
      "snapshot-isolation": false,
      "serializable": false,
      "strict-serializable": false,
    },
  );
});

Deno.test("checkTxn() finds internal non-repeatable reads, as Elle does", () => {
  const h = buildHistory([
    txn(0, [["w", "x", 1]]),
    txn(1, [["w", "x", 2]]),
    txn(2, [["r", "x", 1], ["r", "x", 2]]),
  ]);
  assertEquals((checkTxn(h, ["serializable"]).anomalies as Record<string, unknown[]>).internal, [
    { op: t(h, 2), mop: ["r", "x", 2], expected: 1 },
  ]);
});

Deno.test("checkTxn() warns of garbage reads and fails them only with strict", () => {
  // Go's zero value for an unwritten key: Elle infers nothing from it, so Maelstrom passes.
  const h = buildHistory([
    txn(0, [["r", "x", 0]]),
    txn(1, [["w", "x", 1]]),
    txn(2, [["r", "x", 1]]),
  ]);
  const result = checkTxn(h, ["strict-serializable"]);
  assertEquals(result.valid, true);
  assertEquals(result["anomaly-types"], ["garbage-read"]);
  assertEquals(result.warnings, [
    'garbage-read: 1 read of a value no transaction wrote (e.g. op 1 read key "x" = 0); ' +
    "Maelstrom does not check this, --strict makes it fatal",
  ]);
  const strict = checkTxn(h, ["strict-serializable"], { strict: true });
  assertEquals(strict.valid, false);
  assertEquals(strict.warnings, [
    'garbage-read: 1 read of a value no transaction wrote (e.g. op 1 read key "x" = 0); ' +
    "Maelstrom does not check this, fatal here (--strict)",
  ]);
});

Deno.test("checkTxn() still orders a garbage value before the reader's write, as Elle does", () => {
  const h = buildHistory([
    txn(0, [["r", "x", 0], ["w", "x", 1]], { start: 0, end: 20 }),
    txn(1, [["r", "x", 0], ["w", "x", 2]], { start: 1, end: 21 }),
  ]);
  const result = checkTxn(h, ["strict-serializable"]);
  assertEquals(result["anomaly-types"], ["G2-item", "garbage-read", "lost-update"]);
  assertEquals(result.valid, false);
});

Deno.test("checkTxn() is unknown where Elle throws on a value written twice, false with strict", () => {
  const h = buildHistory([
    txn(0, [["w", "x", 1]]),
    txn(1, [["w", "x", 1]]),
    txn(2, [["r", "x", 1]]),
  ]);
  const result = checkTxn(h, ["serializable"]);
  assertEquals(result.valid, "unknown");
  assertEquals(
    result.error,
    'Elle would throw (Maelstrom\'s verdict is then unknown): key "x" had value 1 written by ' +
      "more than one op (1, 3)",
  );
  assertEquals((result.anomalies as Record<string, unknown[]>)["duplicate-writes"], [
    { key: "x", value: 1, txns: [t(h, 0), t(h, 1)] },
  ]);
  assertEquals(checkTxn(h, ["serializable"], { strict: true }).valid, false);
});

Deno.test("checkTxn() fails an empty transaction graph, as Maelstrom's wrapper does", () => {
  const result = checkTxn([], ["serializable"]);
  assertEquals(result.valid, false);
  assertEquals(result["anomaly-types"], ["empty-transaction-graph"]);
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
    txn(2, [["w", "y", 1]]),
    txn(3, [["r", "y", 1]]),
  ]);
  const result = checkTxn(h, ["read-committed"]);
  assertEquals(result.valid, false);
  assertEquals(result["anomaly-types"], ["G1a"]);
  assertEquals((result.anomalies as Record<string, unknown[]>).G1a, [
    { op: t(h, 1), mop: ["r", "x", 1], writer: t(h, 0) },
  ]);
  assertEquals(checkTxn(h, ["read-uncommitted"]).valid, true);
});

Deno.test("checkTxn() reports G1b when a txn reads another txn's intermediate write", () => {
  const h = buildHistory([
    txn(0, [["w", "x", 1], ["w", "x", 2]]),
    txn(1, [["r", "x", 1]]),
    txn(2, [["r", "x", 2]]),
  ]);
  const result = checkTxn(h, ["read-committed"]);
  assertEquals(result.valid, false);
  // No edge from the intermediate read: Elle's versions are final writes.
  assertEquals(result["anomaly-types"], ["G1b"]);
  assertEquals((result.anomalies as Record<string, unknown[]>).G1b, [
    { op: t(h, 1), mop: ["r", "x", 1], writer: t(h, 0) },
  ]);
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

Deno.test("checkTxn() reports read skew as G-single-item, its fractured read as a warning", () => {
  const h = buildHistory([
    txn(0, [["w", "x", 1], ["w", "y", 1]], { start: 0, end: 20 }),
    txn(1, [["r", "x", null], ["r", "y", 1]], { start: 1, end: 21 }),
  ]);
  const result = checkTxn(h, ["serializable"]);
  assertEquals(result.valid, false);
  assertEquals(result["anomaly-types"], ["G-single-item", "fractured-read"]);
  assertEquals(cycleShape(result, "G-single-item")?.steps.slice().sort(), ["rw", "wr"]);
  assertEquals(result.not, ["consistent-view", "repeatable-read"]);
  // Elle's read-atomic does not forbid G-single; our fractured-read check does, with strict.
  assertEquals(verdicts(h, ["read-committed", "read-atomic"]), {
    "read-committed": true,
    "read-atomic": true,
  });
  assertEquals(verdicts(h, ["read-committed", "read-atomic"], true), {
    "read-committed": true,
    "read-atomic": false,
  });
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

Deno.test("checkTxn() reports G-nonadjacent-item, which snapshot isolation forbids", () => {
  // T1 -rw(a)-> T2 -wr(b)-> T3 -rw(c)-> T4 -wr(d)-> T1: two rw steps, never adjacent.
  const h = buildHistory([
    txn(1, [["r", "a", null], ["r", "d", 1]], { start: 0, end: 30 }),
    txn(2, [["w", "a", 1], ["w", "b", 1]], { start: 1, end: 31 }),
    txn(3, [["r", "b", 1], ["r", "c", null]], { start: 2, end: 32 }),
    txn(4, [["w", "c", 1], ["w", "d", 1]], { start: 3, end: 33 }),
  ]);
  const result = checkTxn(h, ["snapshot-isolation"]);
  assertEquals(result["anomaly-types"], ["G-nonadjacent-item"]);
  assertEquals(cycleShape(result, "G-nonadjacent-item")?.steps.filter((s) => s === "rw").length, 2);
  assertEquals(result.not, ["repeatable-read", "snapshot-isolation"]);
  assertEquals(verdicts(h, ["read-committed", "snapshot-isolation"]), {
    "read-committed": true,
    "snapshot-isolation": false,
  });
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
  assertEquals(result.not, ["cursor-stability", "update-atomic"]);
});

Deno.test("checkTxn() reports cyclic-versions and then ignores writes-follow-reads, as Elle", () => {
  const h = buildHistory([
    txn(0, [["r", "x", 2], ["w", "x", 1]], { start: 0, end: 20 }),
    txn(1, [["r", "x", 1], ["w", "x", 2]], { start: 1, end: 21 }),
  ]);
  const result = checkTxn(h, ["read-uncommitted"]);
  assertEquals(result.valid, false);
  assertEquals((result.anomalies as Record<string, unknown[]>)["cyclic-versions"], [
    { key: "x", scc: [1, 2], sources: ["initial-state", "wfr-keys"] },
  ]);
  // Without the version order, the two reads still close a wr cycle, but no ww one.
  assertEquals(cycleShape(result, "G1c")?.steps, ["wr", "wr"]);
  assertEquals((result["anomaly-types"] as string[]).includes("G0"), false);
});

Deno.test("checkTxn() reports G-single-item-realtime only under strict-serializable", () => {
  const h = buildHistory([txn(0, [["w", "x", 1]]), txn(1, [["r", "x", null]])]);
  const strict = checkTxn(h, ["strict-serializable"]);
  assertEquals(strict["anomaly-types"], ["G-single-item-realtime"]);
  assertEquals(cycleShape(strict, "G-single-item-realtime")?.steps.slice().sort(), [
    "realtime",
    "rw",
  ]);
  assertEquals(strict.valid, false);
  assertEquals(checkTxn(h, ["serializable"]).valid, true);
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
});

Deno.test("parseModels() splits on commas and accepts exactly Elle's models", () => {
  assertEquals(parseModels(["read-committed,serializable"]), ["read-committed", "serializable"]);
  assertEquals(parseModels([]), ["strict-serializable"]);
  assertEquals(parseModels(["causal-cerone,strong-session-read-committed"]), [
    "causal-cerone",
    "strong-session-read-committed",
  ]);
  assertThrows(() => parseModels(["read-committed,bogus"]), RangeError);
  assertThrows(() => checkTxn([], ["snapshot"]), /unknown model "snapshot"/);
});
