import assert from "node:assert/strict";
import { checkLinearizable } from "../harness/checkers/linearizable.ts";
import { checkTxn } from "../harness/checkers/txn/checker.ts";
import { linKvHistory, listAppendHistory } from "./bench_checkers.ts";

Deno.test("linKvHistory() makes a linearizable history, which one altered read breaks", () => {
  const history = linKvHistory(600, 6, 3, 5);
  assert.equal(checkLinearizable(history).valid, true);
  const read = history.findLast((op) =>
    op.type === "ok" && op.f === "read" && (op.value as unknown[])[1] !== null
  );
  assert.ok(read !== undefined);
  const [key, value] = read.value as [number, number];
  read.value = [key, value + 100];
  assert.equal(checkLinearizable(history).valid, false);
});

Deno.test("listAppendHistory() makes a strict serializable history, which a reordered read breaks", () => {
  const history = listAppendHistory(600, 6, 5);
  const check = () => checkTxn(history, ["strict-serializable"], { kind: "list-append" }).valid;
  assert.equal(check(), true);
  const read = history.find((op) =>
    op.type === "ok" &&
    (op.value as unknown[][]).some(([f, , v]) => f === "r" && Array.isArray(v) && v.length >= 2)
  );
  assert.ok(read !== undefined);
  const mop = (read.value as unknown[][]).find(([f, , v]) =>
    f === "r" && Array.isArray(v) && v.length >= 2
  ) as [string, number, number[]];
  mop[2] = [...mop[2]].reverse();
  assert.equal(check(), false);
});
