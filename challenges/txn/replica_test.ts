import assert from "node:assert/strict";
import { isReplBody, type Outgoing, Replica } from "./replica.ts";

const IDS = ["n0", "n1", "n2"];

function cluster(ids = IDS): Map<string, Replica> {
  return new Map(ids.map((id) => [id, new Replica(id, ids, { resendMs: 500, maxBatch: 100 })]));
}

/** Runs one tick on `from` and delivers its messages, except to nodes in `cut`. */
function gossip(nodes: Map<string, Replica>, from: string, now: number, cut: string[] = []) {
  const out: Outgoing[] = nodes.get(from)?.tick(now) ?? [];
  for (const { dest, body } of out) {
    if (!cut.includes(dest)) nodes.get(dest)?.receive(from, body, now);
  }
  return out;
}

function node(nodes: Map<string, Replica>, id: string): Replica {
  const replica = nodes.get(id);
  assert.ok(replica !== undefined);
  return replica;
}

Deno.test("Replica.tick() batches every new write set into one message per peer", () => {
  const nodes = cluster();
  const n0 = node(nodes, "n0");
  n0.commit([["w", 1, 1]]);
  n0.commit([["w", 2, 1], ["w", 3, 1]]);
  n0.commit([["r", 1, null]]);
  const out = gossip(nodes, "n0", 0);
  assert.deepEqual(out.map((o) => o.dest), ["n1", "n2"]);
  assert.deepEqual(out[0]?.body, {
    type: "repl",
    from: 0,
    to: 2,
    entries: [[0, "n0", 1, [[1, 1]]], [1, "n0", 2, [[2, 1], [3, 1]]]],
    ack: 0,
  });
  assert.deepEqual(node(nodes, "n2").commit([["r", 3, null]]), [["r", 3, 1]]);
});

Deno.test("Replica.tick() sends one ack, then falls silent when there is nothing new", () => {
  const nodes = cluster(["n0", "n1"]);
  node(nodes, "n0").commit([["w", 1, 1]]);
  assert.equal(gossip(nodes, "n0", 0).length, 1);
  // The ack also covers n1's log entry 0 (n0's own write set, so not repeated back).
  assert.deepEqual(gossip(nodes, "n1", 100).map((o) => o.body), [
    { type: "repl", from: 0, to: 1, entries: [], ack: 1 },
  ]);
  assert.equal(gossip(nodes, "n0", 200).length, 0);
  assert.equal(gossip(nodes, "n1", 300).length, 0);
  assert.equal(node(nodes, "n0").logSize, 0);
});

Deno.test("Replica.tick() resends an unacked range after a partition, once per resendMs", () => {
  const nodes = cluster(["n0", "n1"]);
  const n0 = node(nodes, "n0");
  n0.commit([["w", 1, 1]]);
  gossip(nodes, "n0", 0, ["n1"]); // lost
  assert.equal(gossip(nodes, "n0", 100, ["n1"]).length, 0); // nothing new, not yet overdue
  n0.commit([["w", 1, 2]]);
  assert.deepEqual(gossip(nodes, "n0", 200, ["n1"]).map((o) => o.body.from), [1]); // lost
  assert.deepEqual(gossip(nodes, "n0", 500).map((o) => [o.body.from, o.body.to]), [[0, 2]]);
  assert.equal(node(nodes, "n1").store.read(1), 2);
  gossip(nodes, "n1", 600);
  assert.equal(gossip(nodes, "n0", 1200).length, 0);
});

Deno.test("Replica.receive() converges both sides of a partition to one value per key", () => {
  const nodes = cluster(["n0", "n1"]);
  const n0 = node(nodes, "n0");
  const n1 = node(nodes, "n1");
  n0.commit([["w", 1, 10]]);
  n1.commit([["w", 1, 11], ["w", 2, 21]]);
  gossip(nodes, "n0", 0, ["n1"]);
  gossip(nodes, "n1", 0, ["n0"]);
  gossip(nodes, "n0", 600);
  gossip(nodes, "n1", 600);
  assert.deepEqual([n0.store.read(1), n0.store.read(2)], [11, 21]);
  assert.deepEqual([n1.store.read(1), n1.store.read(2)], [11, 21]);
});

Deno.test("Replica relays causally: a write set never arrives before one its txn read", () => {
  const nodes = cluster();
  node(nodes, "n0").commit([["w", "x", 1]]);
  gossip(nodes, "n0", 0, ["n2"]); // n2 misses T1 for now
  assert.deepEqual(node(nodes, "n1").commit([["r", "x", null], ["w", "y", 1]]), [
    ["r", "x", 1],
    ["w", "y", 1],
  ]);
  const out = gossip(nodes, "n1", 100);
  // n1 forwards T1 to n2 ahead of T2, but not back to n0 where it came from.
  assert.deepEqual(out.map((o) => [o.dest, o.body.entries.map((e) => e[1])]), [
    ["n0", ["n1"]],
    ["n2", ["n0", "n1"]],
  ]);
  assert.deepEqual(node(nodes, "n2").commit([["r", "y", null], ["r", "x", null]]), [
    ["r", "y", 1],
    ["r", "x", 1],
  ]);
  // n0 acks T2 to n1; its resend of T1 (and relay of T2) reaches n2 later and changes nothing.
  const late = gossip(nodes, "n0", 600);
  assert.deepEqual(late.map((o) => [o.dest, o.body.entries.length]), [["n1", 0], ["n2", 2]]);
  assert.equal(node(nodes, "n2").logSize, 2);
});

Deno.test("Replica.receive() applies a duplicate range once and stashes one that skips ahead", () => {
  const nodes = cluster(["n0", "n1"]);
  const n0 = node(nodes, "n0");
  const n1 = node(nodes, "n1");
  n0.commit([["w", 1, 1]]);
  const first = n0.tick(0);
  n0.commit([["w", 1, 2]]);
  const second = n0.tick(100);
  assert.ok(first[0] !== undefined && second[0] !== undefined);
  assert.equal(n1.receive("n0", second[0].body, 100), 0);
  assert.equal(n1.store.read(1), null);
  assert.equal(n1.receive("n0", first[0].body, 100), 2);
  assert.equal(n1.receive("n0", first[0].body, 100), 0);
  assert.equal(n1.store.read(1), 2);
});

Deno.test("isReplBody() accepts repl messages and rejects malformed entries", () => {
  const ok = { type: "repl", from: 0, to: 1, entries: [[0, "n0", 1, [[1, 2]]]], ack: 0 };
  assert.equal(isReplBody(ok), true);
  assert.equal(isReplBody({ ...ok, entries: [[0, "n0", 1]] }), false);
  assert.equal(isReplBody({ ...ok, ack: "0" }), false);
  assert.equal(isReplBody({ ...ok, type: "gossip" }), false);
});
