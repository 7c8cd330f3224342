import assert from "node:assert/strict";
import type { Op } from "../../history.ts";
import { checkTxn } from "./checker.ts";

/** A history of transactions, each `[process, type, mops]`, invoked and completed in turn. */
function _history(txns: [number, "ok" | "fail" | "info", unknown[]][]): Op[] {
  const ops: Op[] = [];
  for (const [process, type, mops] of txns) {
    const blank = mops.map((m) =>
      (m as unknown[])[0] === "r" ? ["r", (m as unknown[])[1], null] : m
    );
    ops.push({
      index: ops.length,
      time: ops.length,
      type: "invoke",
      process,
      f: "txn",
      value: blank,
    });
    ops.push({ index: ops.length, time: ops.length, type, process, f: "txn", value: mops });
  }
  return ops;
}

const _check = (h: Op[], models = ["serializable"]) =>
  checkTxn(h, models, { kind: "list-append" }) as unknown as Record<string, unknown> & {
    "anomaly-types": string[];
  };

Deno.test("list-append: a serial history is valid under strict serializability", () => {
  const h = _history([
    [0, "ok", [["append", "x", 1], ["append", "y", 1]]],
    [1, "ok", [["r", "x", [1]], ["append", "x", 2]]],
    [0, "ok", [["r", "x", [1, 2]], ["r", "y", [1]]]],
  ]);
  const result = _check(h, ["strict-serializable"]);
  assert.equal(result.valid, true, JSON.stringify(result));
});

Deno.test("list-append: incompatible orders, duplicates, aborted and intermediate reads are named", () => {
  const cases: [string, [number, "ok" | "fail" | "info", unknown[]][]][] = [
    ["incompatible-order", [
      [0, "ok", [["append", "x", 1]]],
      [1, "ok", [["append", "x", 2]]],
      [0, "ok", [["r", "x", [1, 2]]]],
      [1, "ok", [["r", "x", [2, 1]]]],
    ]],
    ["duplicate-elements", [
      [0, "ok", [["append", "x", 1]]],
      [1, "ok", [["r", "x", [1, 1]]]],
    ]],
    ["G1a", [
      [0, "fail", [["append", "x", 1]]],
      [1, "ok", [["r", "x", [1]]]],
    ]],
    ["G1b", [
      [0, "ok", [["append", "x", 1], ["append", "x", 2]]],
      [1, "ok", [["r", "x", [1]]]],
    ]],
    ["internal", [
      [0, "ok", [["append", "x", 1], ["r", "x", [5]]]],
    ]],
  ];
  for (const [anomaly, txns] of cases) {
    const result = _check(_history(txns), ["serializable"]);
    assert.ok(result["anomaly-types"].includes(anomaly), `${anomaly}: ${result["anomaly-types"]}`);
    assert.equal(result.valid, false, anomaly);
  }
});

Deno.test("list-append: a write skew is G2-item, ruling out serializability, not read committed", () => {
  // T1 reads x empty and appends to y; T2 reads y empty and appends to x; both commit.
  const h = _history([
    [0, "ok", [["r", "x", null], ["append", "y", 1]]],
    [1, "ok", [["r", "y", null], ["append", "x", 1]]],
    [2, "ok", [["r", "x", [1]], ["r", "y", [1]]]],
  ]);
  const serializable = _check(h, ["serializable"]);
  assert.equal(serializable.valid, false);
  assert.ok(
    serializable["anomaly-types"].includes("G2-item"),
    serializable["anomaly-types"].join(),
  );
  assert.equal(_check(h, ["read-committed"]).valid, true);
});
