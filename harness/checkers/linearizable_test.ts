import assert from "node:assert/strict";
import type { Op } from "../history.ts";
import { checkLinearizable, checkRegister, type RegisterOp } from "./linearizable.ts";

/**
 * A history from `[process, "invoke" | "ok" | "fail" | "info", f, value]` rows, in order; an ok
 * read's value is what it read.
 */
function _history(rows: [number, Op["type"], string, unknown][]): Op[] {
  return rows.map(([process, type, f, value], index) => ({
    index,
    time: index * 1000,
    type,
    process,
    f,
    value,
  }));
}

Deno.test("checkLinearizable(): sequential writes, reads and a cas on one key are linearizable", () => {
  const h = _history([
    [0, "invoke", "write", [1, 3]],
    [0, "ok", "write", [1, 3]],
    [1, "invoke", "read", [1, null]],
    [1, "ok", "read", [1, 3]],
    [0, "invoke", "cas", [1, [3, 4]]],
    [0, "ok", "cas", [1, [3, 4]]],
    [1, "invoke", "read", [1, null]],
    [1, "ok", "read", [1, 4]],
  ]);
  const result = checkLinearizable(h);
  assert.equal(result.valid, true);
  assert.equal(result["key-count"], 1);
});

Deno.test("checkLinearizable(): concurrent operations may take effect in either order", () => {
  // The read overlaps the write, so it may see 0 (the earlier write) or 1.
  for (const seen of [0, 1]) {
    const h = _history([
      [0, "invoke", "write", ["k", 0]],
      [0, "ok", "write", ["k", 0]],
      [0, "invoke", "write", ["k", 1]],
      [1, "invoke", "read", ["k", null]],
      [1, "ok", "read", ["k", seen]],
      [0, "ok", "write", ["k", 1]],
    ]);
    assert.equal(checkLinearizable(h).valid, true, `read of ${seen}`);
  }
});

Deno.test("checkLinearizable(): a stale read after a completed write is not, and is explained", () => {
  const h = _history([
    [0, "invoke", "write", ["k", 1]],
    [0, "ok", "write", ["k", 1]],
    [0, "invoke", "write", ["k", 2]],
    [0, "ok", "write", ["k", 2]],
    [1, "invoke", "read", ["k", null]],
    [1, "ok", "read", ["k", 1]],
  ]);
  const result = checkLinearizable(h);
  assert.equal(result.valid, false);
  assert.deepEqual(result.failures, ["k"]);
  const key = (result.results as Record<string, { counterexample: { op: Op; values: unknown[] } }>)[
    '"k"'
  ];
  assert.deepEqual(key?.counterexample.op.value, ["k", 1]);
  assert.deepEqual(key?.counterexample.values, [2]);
});

Deno.test("checkLinearizable(): an indeterminate write may land late; a failed cas never happened", () => {
  const late = _history([
    [0, "invoke", "write", ["k", 5]],
    [0, "info", "write", ["k", 5]],
    [1, "invoke", "read", ["k", null]],
    [1, "ok", "read", ["k", null]],
    [1, "invoke", "read", ["k", null]],
    [1, "ok", "read", ["k", 5]],
  ]);
  assert.equal(checkLinearizable(late).valid, true);
  const failedCas = _history([
    [0, "invoke", "write", ["k", 1]],
    [0, "ok", "write", ["k", 1]],
    [0, "invoke", "cas", ["k", [1, 2]]],
    [0, "fail", "cas", ["k", [1, 2]]],
    [1, "invoke", "read", ["k", null]],
    [1, "ok", "read", ["k", 2]],
  ]);
  assert.equal(checkLinearizable(failedCas).valid, false, "a failed cas must not explain a read");
});

Deno.test("checkLinearizable(): keys are independent, and a bounded search says unknown", () => {
  const h = _history([
    [0, "invoke", "write", ["a", 1]],
    [1, "invoke", "write", ["b", 1]],
    [0, "ok", "write", ["a", 1]],
    [1, "ok", "write", ["b", 1]],
    [0, "invoke", "read", ["a", null]],
    [0, "ok", "read", ["a", 1]],
  ]);
  assert.equal(checkLinearizable(h).valid, true);
  // Twelve concurrent writes then a read: more orders than a 5-state bound allows.
  const ops: RegisterOp[] = Array.from({ length: 12 }, (_, i) => ({
    op: { index: i, time: 0, type: "ok", process: i, f: "write", value: i },
    f: "write",
    value: i,
    invokedAt: i,
    returnedAt: 100 + i,
  }));
  ops.push({
    op: { index: 200, time: 0, type: "ok", process: 99, f: "read", value: 42 },
    f: "read",
    value: 42,
    invokedAt: 150,
    returnedAt: 200,
  });
  const bounded = checkRegister(ops, 5);
  assert.equal(bounded.valid, "unknown");
  assert.match(bounded.error ?? "", /gave up after 5 states/);
  assert.equal(checkRegister(ops).valid, false, "unbounded, 42 was never written");
});

/** A register history from `[process, type, f, value]` rows at successive indices, on key "k". */
const _k = (rows: [number, Op["type"], string, unknown][]) =>
  _history(rows.map(([p, t, f, v]) => [p, t, f, ["k", v]]));

Deno.test("checkLinearizable() agrees with hand-derived verdicts on the classic register cases", () => {
  const cases: [string, boolean, [number, Op["type"], string, unknown][]][] = [
    ["a read overlapping a write may see the old value", true, [
      [0, "invoke", "write", 1],
      [1, "invoke", "read", null],
      [1, "ok", "read", null],
      [0, "ok", "write", 1],
    ]],
    ["a read may not see a write invoked after it returned", false, [
      [1, "invoke", "read", null],
      [1, "ok", "read", 1],
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
    ]],
    ["after two concurrent writes, sequential reads cannot flip back", false, [
      [0, "invoke", "write", 1],
      [1, "invoke", "write", 2],
      [0, "ok", "write", 1],
      [1, "ok", "write", 2],
      [2, "invoke", "read", null],
      [2, "ok", "read", 1],
      [2, "invoke", "read", null],
      [2, "ok", "read", 2],
    ]],
    ["after two concurrent writes, either value may stay", true, [
      [0, "invoke", "write", 1],
      [1, "invoke", "write", 2],
      [0, "ok", "write", 1],
      [1, "ok", "write", 2],
      [2, "invoke", "read", null],
      [2, "ok", "read", 1],
      [2, "invoke", "read", null],
      [2, "ok", "read", 1],
    ]],
    ["two concurrent cas from one value cannot both succeed", false, [
      [0, "invoke", "write", 0],
      [0, "ok", "write", 0],
      [1, "invoke", "cas", [0, 1]],
      [2, "invoke", "cas", [0, 2]],
      [1, "ok", "cas", [0, 1]],
      [2, "ok", "cas", [0, 2]],
    ]],
    ["an indeterminate cas cannot explain a read its ok rival rules out", false, [
      [0, "invoke", "write", 0],
      [0, "ok", "write", 0],
      [1, "invoke", "cas", [0, 1]],
      [2, "invoke", "cas", [0, 2]],
      [1, "ok", "cas", [0, 1]],
      [2, "info", "cas", [0, 2]],
      [3, "invoke", "read", null],
      [3, "ok", "read", 2],
    ]],
    ["an indeterminate cas may take effect after its rival's", true, [
      [0, "invoke", "write", 0],
      [0, "ok", "write", 0],
      [1, "invoke", "cas", [0, 1]],
      [2, "invoke", "cas", [1, 2]],
      [1, "ok", "cas", [0, 1]],
      [2, "info", "cas", [1, 2]],
      [3, "invoke", "read", null],
      [3, "ok", "read", 2],
    ]],
  ];
  for (const [name, linearizable, rows] of cases) {
    assert.equal(checkLinearizable(_k(rows)).valid, linearizable, name);
  }
});
