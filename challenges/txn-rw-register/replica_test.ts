import assert from "node:assert/strict";
import { isReplBody, type Outgoing, type Recovery, Replica } from "./replica.ts";
import type { WriteSet } from "./store.ts";

const IDS = ["n0", "n1", "n2"];

/** A cluster whose first ticks (each node's hello to its peers) are already delivered. */
function cluster(ids = IDS): Map<string, Replica> {
  const nodes = new Map(
    ids.map((id) => [id, new Replica(id, ids, { resendMs: 500, maxBatch: 100 })]),
  );
  for (const id of ids) gossip(nodes, id, 0);
  return nodes;
}

/** A write-ahead log that writes at once: what each replica drained, in order. */
const logs = new WeakMap<Replica, WriteSet[]>();

/** Writes what `replica` has pending to its log and marks it durable. */
function persist(replica: Replica): void {
  const log = logs.get(replica) ?? [];
  log.push(...replica.drain().writeSets);
  logs.set(replica, log);
  replica.markDurable();
}

/**
 * Persists `from`, runs one tick on it, and delivers its messages (except to nodes in `cut`),
 * each receiver persisting what it applied.
 */
function gossip(nodes: Map<string, Replica>, from: string, now: number, cut: string[] = []) {
  const sender = nodes.get(from);
  if (sender !== undefined) persist(sender);
  const out: Outgoing[] = sender?.tick(now) ?? [];
  for (const { dest, body } of out) {
    const receiver = nodes.get(dest);
    if (cut.includes(dest) || receiver === undefined) continue;
    receiver.receive(from, body, now);
    persist(receiver);
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
    inc: 1,
    from: 0,
    to: 2,
    entries: [[0, "n0", 1, [[1, 1]]], [1, "n0", 2, [[2, 1], [3, 1]]]],
    base: 0,
    ack: 0,
    ackInc: 1,
  });
  assert.deepEqual(node(nodes, "n2").commit([["r", 3, null]]), [["r", 3, 1]]);
});

Deno.test("Replica.tick() sends one ack, then falls silent when there is nothing new", () => {
  const nodes = cluster(["n0", "n1"]);
  node(nodes, "n0").commit([["w", 1, 1]]);
  assert.equal(gossip(nodes, "n0", 0).length, 1);
  // The ack also covers n1's log entry 0 (n0's own write set, so not repeated back).
  assert.deepEqual(gossip(nodes, "n1", 100).map((o) => o.body), [
    { type: "repl", inc: 1, from: 0, to: 1, entries: [], base: 0, ack: 1, ackInc: 1 },
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
  persist(n0);
  const first = n0.tick(0);
  n0.commit([["w", 1, 2]]);
  persist(n0);
  const second = n0.tick(100);
  assert.ok(first[0] !== undefined && second[0] !== undefined);
  assert.equal(n1.receive("n0", second[0].body, 100), 0);
  assert.equal(n1.store.read(1), null);
  assert.equal(n1.receive("n0", first[0].body, 100), 2);
  assert.equal(n1.receive("n0", first[0].body, 100), 0);
  assert.equal(n1.store.read(1), 2);
});

Deno.test("isReplBody() accepts repl messages and rejects malformed entries", () => {
  const entries = [[0, "n0", 1, [[1, 2]]]];
  const ok = { type: "repl", inc: 1, from: 0, to: 1, entries, base: 0, ack: 0, ackInc: 1 };
  assert.equal(isReplBody(ok), true);
  assert.equal(isReplBody({ ...ok, entries: [[0, "n0", 1]] }), false);
  assert.equal(isReplBody({ ...ok, ack: "0" }), false);
  assert.equal(isReplBody({ ...ok, inc: undefined }), false);
  assert.equal(isReplBody({ ...ok, type: "gossip" }), false);
});

Deno.test("Replica.tick() sends only durable entries and acks only what it wrote durably", () => {
  const nodes = cluster(["n0", "n1"]);
  const n0 = node(nodes, "n0");
  const n1 = node(nodes, "n1");
  n0.commit([["w", 1, 1]]);
  assert.equal(n0.hasPending, true);
  assert.deepEqual(n0.tick(0), []);
  persist(n0);
  const [out] = n0.tick(10);
  assert.deepEqual(out?.body.entries, [[0, "n0", 1, [[1, 1]]]]);
  n1.receive("n0", out!.body, 10);
  // Applied but not yet written: n1 acks nothing of it.
  assert.equal(n1.tick(20)[0]?.body.ack, 0);
  persist(n1);
  assert.equal(n1.tick(30)[0]?.body.ack, 1);
});

Deno.test("Replica.drain() hands over write sets in log order, then the trim once all acked", () => {
  const nodes = cluster(["n0", "n1"]);
  const n0 = node(nodes, "n0");
  n0.commit([["w", 1, 1]]);
  n0.commit([["w", 2, 1]]);
  const drained = n0.drain();
  n0.markDurable();
  assert.deepEqual(drained, {
    writeSets: [{ origin: "n0", ts: 1, writes: [[1, 1]] }, {
      origin: "n0",
      ts: 2,
      writes: [[2, 1]],
    }],
    trimmed: undefined,
  });
  gossip(nodes, "n0", 0);
  gossip(nodes, "n1", 10); // acks both
  gossip(nodes, "n0", 20); // trims
  assert.equal(n0.hasPending, true);
  assert.deepEqual(n0.drain(), { writeSets: [], trimmed: 2 });
  assert.equal(n0.hasPending, false);
});

/** Starts `id` again from what its log holds, as incarnation `incarnation`. */
function restart(
  nodes: Map<string, Replica>,
  id: string,
  incarnation: number,
  trimmed = 0,
): Replica {
  const old = node(nodes, id);
  const recovery: Recovery = { incarnation, writeSets: logs.get(old) ?? [], trimmed };
  const fresh = new Replica(id, [...nodes.keys()], { resendMs: 500, maxBatch: 100, recovery });
  logs.set(fresh, [...recovery.writeSets]);
  nodes.set(id, fresh);
  return fresh;
}

Deno.test("Replica recovered from its log keeps acked writes and versions above the old ones", () => {
  const nodes = cluster(["n0", "n1"]);
  node(nodes, "n0").commit([["w", 1, 1]]);
  gossip(nodes, "n0", 0);
  gossip(nodes, "n1", 10);
  // Committed and written, then killed before any tick sent it.
  node(nodes, "n0").commit([["w", 1, 2], ["w", 2, 2]]);
  persist(node(nodes, "n0"));
  const n0 = restart(nodes, "n0", 2);
  assert.equal(n0.incarnation, 2);
  assert.deepEqual([n0.store.read(1), n0.store.read(2)], [2, 2]);
  assert.equal(n0.store.clock, 2);
  // The new incarnation's first write outranks its predecessor's, so n1 cannot skip it as seen.
  n0.commit([["w", 2, 3]]);
  const out = gossip(nodes, "n0", 100);
  assert.deepEqual(out[0]?.body.inc, 2);
  const n1 = node(nodes, "n1");
  assert.deepEqual([n1.store.read(1), n1.store.read(2)], [2, 3]);
});

Deno.test("Replica resets its state toward a peer's new incarnation and back-fills it", () => {
  const nodes = cluster(["n0", "n1"]);
  const n1 = node(nodes, "n1");
  n1.commit([["w", 5, 1]]);
  gossip(nodes, "n1", 0);
  gossip(nodes, "n0", 10); // n0 acks n1's entry 0
  // n0 dies; meanwhile n1 commits more, whose messages to n0 are lost.
  n1.commit([["w", 6, 1]]);
  gossip(nodes, "n1", 20, ["n0"]);
  const n0 = restart(nodes, "n0", 2);
  // n0's hello: n1 resets toward incarnation 2 and rewinds its sends to n0's last ack.
  gossip(nodes, "n0", 30);
  const [resent] = gossip(nodes, "n1", 40);
  assert.deepEqual([resent?.body.from, resent?.body.base, resent?.body.ackInc], [1, 1, 2]);
  assert.deepEqual([n0.store.read(5), n0.store.read(6)], [1, 1]);
});

Deno.test("Replica.receive() ignores a message from a peer's older incarnation", () => {
  const nodes = cluster(["n0", "n1"]);
  node(nodes, "n0").commit([["w", 1, 1]]);
  persist(node(nodes, "n0"));
  const [stale] = node(nodes, "n0").tick(0);
  const n0 = restart(nodes, "n0", 2);
  gossip(nodes, "n0", 10); // n1 now knows incarnation 2
  const n1 = node(nodes, "n1");
  n1.commit([["w", 1, 5]]); // ts 1 < (1, n0)? no: ties go to the greater node id, n1
  assert.equal(n1.receive("n0", stale!.body, 20), 0);
  assert.equal(n0.incarnation, 2);
  // n0 re-offers its logged write set itself.
  gossip(nodes, "n0", 30);
  assert.equal(n1.store.read(1), 5);
});

Deno.test("Replica.tick() acks a range of write sets it already had, with nothing to write", () => {
  const nodes = cluster();
  node(nodes, "n0").commit([["w", 1, 1]]);
  persist(node(nodes, "n0"));
  const [toN1, toN2] = node(nodes, "n0").tick(0);
  node(nodes, "n1").receive("n0", toN1!.body, 0);
  gossip(nodes, "n1", 10); // relays it to n2
  const n2 = node(nodes, "n2");
  assert.equal(n2.receive("n0", toN2!.body, 20), 0); // a duplicate: nothing to write
  assert.equal(n2.hasPending, false);
  const ack = n2.tick(30).find((o) => o.dest === "n0");
  assert.equal(ack?.body.ack, 1);
});

Deno.test("Replica.tick() sends its own write set behind more than a batch of the peer's", () => {
  // The cluster's maxBatch is 100: n1 relays 150 of n0's write sets, none of which go back to
  // n0, and then commits one of its own, which must still reach n0.
  const nodes = cluster(["n0", "n1"]);
  const n0 = node(nodes, "n0");
  for (let v = 1; v <= 150; v++) n0.commit([["w", 1, v]]);
  gossip(nodes, "n0", 0);
  node(nodes, "n1").commit([["w", 2, 1]]);
  const [toN0] = gossip(nodes, "n1", 10);
  assert.deepEqual(toN0?.body.entries.map(([, origin]) => origin), ["n1"]);
  assert.equal(n0.store.read(2), 1);
});
