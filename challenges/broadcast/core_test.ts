import assert from "node:assert/strict";
import { BroadcastCore, isGossipBody, MODES } from "./core.ts";
import { ValueStore } from "./store.ts";

const NODES = Array.from({ length: 25 }, (_, i) => `n${i}`);

Deno.test("ValueStore.add() keeps the vector contiguous across out-of-order items", () => {
  const store = new ValueStore(2);
  assert.equal(store.add([1, 2, 20], 0), true);
  assert.deepEqual(store.vv, [0, 0]);
  assert.equal(store.add([1, 1, 10], 5), true);
  assert.deepEqual(store.vv, [0, 2]);
  assert.equal(store.add([1, 1, 10], 6), false);
  assert.deepEqual(store.values(), [20, 10]);
});

Deno.test("ValueStore.addOwn() numbers values and ignores a value it already holds", () => {
  const store = new ValueStore(2);
  assert.deepEqual(store.addOwn(0, 7, 0), [0, 1, 7]);
  assert.deepEqual(store.addOwn(0, 8, 0), [0, 2, 8]);
  assert.equal(store.addOwn(0, 7, 0), undefined);
  assert.deepEqual(store.vv, [2, 0]);
});

Deno.test("ValueStore.missingFor() leaves out items younger than heldBefore", () => {
  const store = new ValueStore(2);
  store.add([0, 1, 1], 0);
  store.add([0, 2, 2], 100);
  store.add([1, 1, 3], 50);
  assert.deepEqual(store.missingFor([0, 0], 60), [[0, 1, 1], [1, 1, 3]]);
  assert.deepEqual(store.missingFor([1, 1], 1000), [[0, 2, 2]]);
});

Deno.test("BroadcastCore.broadcast() in latency mode sends one direct message to each other node", () => {
  const core = new BroadcastCore("n3", NODES, MODES.latency);
  const out = core.broadcast(42, 0);
  assert.deepEqual(out.map((o) => o.dest), NODES.filter((id) => id !== "n3"));
  assert.ok(out.every((o) => o.body.via === "direct" && o.body.items.length === 1));
  // Only the hub link carries vectors.
  assert.deepEqual(out[0]?.body, {
    type: "gossip",
    via: "direct",
    items: [[3, 1, 42]],
    vv: [0, 0, 0, 1, ...new Array<number>(21).fill(0)],
    echo: new Array<number>(25).fill(0),
  });
  assert.deepEqual(out[1]?.body, { type: "gossip", via: "direct", items: [[3, 1, 42]] });
  assert.deepEqual(core.read(), [42]);
});

Deno.test("BroadcastCore in hub modes sends up once, and the hub fans out per tick", () => {
  const spoke = new BroadcastCore("n3", NODES, MODES.balanced);
  const hub = new BroadcastCore("n0", NODES, MODES.balanced);
  const up = spoke.broadcast(42, 0);
  assert.deepEqual(up.map((o) => [o.dest, o.body.via, o.body.items]), [["n0", "up", [[3, 1, 42]]]]);
  assert.deepEqual(hub.receive("n3", up[0]!.body, 100), []);
  assert.deepEqual(hub.broadcast(7, 110), []);
  const down = hub.tick(150);
  // Every spoke but the origin gets both values; the origin gets only the hub's.
  assert.equal(down.length, 24);
  assert.deepEqual(down.find((o) => o.dest === "n3")?.body.items, [[0, 1, 7]]);
  assert.deepEqual(down.find((o) => o.dest === "n5")?.body.items, [[3, 1, 42], [0, 1, 7]]);
  assert.deepEqual(hub.tick(300), []);
});

Deno.test("isGossipBody() rejects malformed items and vectors", () => {
  assert.equal(isGossipBody({ type: "gossip", via: "up", items: [[0, 1, 5]], vv: [1] }), true);
  assert.equal(isGossipBody({ type: "gossip", via: "up", items: [[0, 0, 5]] }), false);
  assert.equal(isGossipBody({ type: "gossip", via: "sideways", items: [] }), false);
  assert.equal(isGossipBody({ type: "gossip", via: "up", items: [], vv: ["1"] }), false);
});
