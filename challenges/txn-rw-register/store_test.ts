import assert from "node:assert/strict";
import { isNewer, isTxn, Store } from "./store.ts";

Deno.test("Store.execute() reads null for unwritten keys and its own earlier writes", () => {
  const store = new Store("n0");
  const { txn } = store.execute([["r", 1, null], ["w", 1, 5], ["r", 1, null], ["r", 2, null]]);
  assert.deepEqual(txn, [["r", 1, null], ["w", 1, 5], ["r", 1, 5], ["r", 2, null]]);
});

Deno.test("Store.execute() replicates only final writes, stamped one past the clock", () => {
  const store = new Store("n0");
  const { writeSet } = store.execute([["w", 1, 1], ["w", 2, 7], ["w", 1, 2]]);
  assert.deepEqual(writeSet, { origin: "n0", ts: 1, writes: [[1, 2], [2, 7]] });
  assert.equal(store.read(1), 2);
  assert.equal(store.clock, 1);
});

Deno.test("Store.execute() of a read-only txn commits nothing and keeps the clock", () => {
  const store = new Store("n0");
  store.execute([["w", 1, 1]]);
  const result = store.execute([["r", 1, null]]);
  assert.deepEqual(result, { txn: [["r", 1, 1]], writeSet: undefined });
  assert.equal(store.clock, 1);
});

Deno.test("Store.apply() resolves concurrent writes during a partition the same way on both nodes", () => {
  // Both sides of a partition commit a write to key 1 at Lamport time 1.
  const a = new Store("n0");
  const b = new Store("n1");
  const fromA = a.execute([["w", 1, 10], ["w", 2, 20]]).writeSet;
  const fromB = b.execute([["w", 1, 11]]).writeSet;
  assert.ok(fromA !== undefined && fromB !== undefined);
  // After the heal each applies the other's write set; the tie goes to the greater node id.
  assert.equal(a.apply(fromB), 1);
  assert.equal(b.apply(fromA), 1);
  assert.deepEqual([a.read(1), a.read(2)], [11, 20]);
  assert.deepEqual([b.read(1), b.read(2)], [11, 20]);
});

Deno.test("Store.apply() lets the later Lamport time win over the node id", () => {
  const a = new Store("n0");
  const b = new Store("n1");
  a.execute([["w", 1, 1]]);
  const late = a.execute([["w", 1, 2]]).writeSet; // ts 2
  const early = b.execute([["w", 1, 3]]).writeSet; // ts 1
  assert.ok(late !== undefined && early !== undefined);
  assert.equal(a.apply(early), 0);
  assert.equal(b.apply(late), 1);
  assert.deepEqual([a.read(1), b.read(1)], [2, 2]);
});

Deno.test("Store.apply() keeps a newer local value per key and takes the rest of the write set", () => {
  // Read committed: every visible value is some committed txn's final write, never a partial or
  // aborted one. Read atomic: y may be newer than T1's, but never older once x shows T1.
  const a = new Store("n0");
  const b = new Store("n1");
  const t1 = a.execute([["w", "x", 1], ["w", "y", 1]]).writeSet; // ts 1 from n0
  b.execute([["w", "y", 2]]);
  const newerY = b.execute([["w", "y", 3]]).writeSet; // ts 2 from n1
  assert.ok(t1 !== undefined && newerY !== undefined);
  const c = new Store("n2");
  c.apply(newerY);
  assert.equal(c.apply(t1), 1);
  assert.deepEqual(c.execute([["r", "x", null], ["r", "y", null]]).txn, [
    ["r", "x", 1],
    ["r", "y", 3],
  ]);
});

Deno.test("Store.execute() after applying a write set outranks it everywhere (no G0, no G1c)", () => {
  const a = new Store("n9");
  const b = new Store("n0");
  const first = a.execute([["w", 1, 1], ["w", 2, 1]]).writeSet;
  assert.ok(first !== undefined);
  b.apply(first);
  const second = b.execute([["r", 1, null], ["w", 1, 2], ["w", 2, 2]]).writeSet;
  assert.deepEqual(second, { origin: "n0", ts: 2, writes: [[1, 2], [2, 2]] });
  a.apply(second);
  assert.deepEqual([a.read(1), a.read(2)], [2, 2]);
});

Deno.test("isNewer() orders by timestamp, then node id", () => {
  assert.equal(isNewer(2, "n0", { ts: 1, origin: "n1" }), true);
  assert.equal(isNewer(1, "n1", { ts: 1, origin: "n0" }), true);
  assert.equal(isNewer(1, "n0", { ts: 1, origin: "n0" }), false);
  assert.equal(isNewer(1, "n9", { ts: 2, origin: "n0" }), false);
});

Deno.test("isTxn() accepts r/w triples and rejects anything else", () => {
  assert.equal(isTxn([["r", 1, null], ["w", "k", 2]]), true);
  assert.equal(isTxn([]), true);
  assert.equal(isTxn([["append", 1, 2]]), false);
  assert.equal(isTxn([["r", 1]]), false);
  assert.equal(isTxn([["r", null, null]]), false);
  assert.equal(isTxn({ txn: [] }), false);
});
