import assert from "node:assert/strict";
import { BroadcastCore, isGossipBody, MODES } from "./core.ts";
import { MemoryFile } from "../common/durable_journal.ts";
import { BroadcastJournal } from "./journal.ts";
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
  const core = new BroadcastCore("n3", NODES, { params: MODES.latency });
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
    inc: 1,
  });
  assert.deepEqual(out[1]?.body, { type: "gossip", via: "direct", items: [[3, 1, 42]] });
  assert.deepEqual(core.read(), [42]);
});

Deno.test("BroadcastCore in hub modes sends up once, and the hub fans out per tick", () => {
  const spoke = new BroadcastCore("n3", NODES, { params: MODES.balanced });
  const hub = new BroadcastCore("n0", NODES, { params: MODES.balanced });
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

const ZEROS = new Array<number>(25).fill(0);

/** A 25-entry vector with `entries` ([index, count]) set. */
function vector(...entries: [number, number][]): number[] {
  const vv = [...ZEROS];
  for (const [i, n] of entries) vv[i] = n;
  return vv;
}

Deno.test("BroadcastCore after a restart continues its journalled sequence and greets the hub", () => {
  const file = new MemoryFile();
  const first = new BroadcastCore("n3", NODES, {
    params: MODES.balanced,
    journal: new BroadcastJournal(file),
  });
  first.broadcast(7, 0);
  first.broadcast(8, 10);
  first.broadcast(7, 20); // a retry: held already, so neither journalled nor named again
  const second = new BroadcastCore("n3", NODES, {
    params: MODES.balanced,
    journal: new BroadcastJournal(file),
    now: 1000,
  });
  assert.equal(second.incarnation, 2);
  assert.deepEqual(second.read(), [7, 8]);
  // The first tick says hello; the next value is (3, 3), not a reused (3, 1).
  assert.deepEqual(second.tick(1100).map((o) => [o.dest, o.body.items, o.body.inc]), [
    ["n0", [], 2],
  ]);
  assert.deepEqual(second.broadcast(9, 1200)[0]?.body.items, [[3, 3, 9]]);
  assert.equal(file.text, '"start"\n7\n8\n"start"\n9\n');
  // A restarted node with nothing of its own greets too: nothing else would tell the hub.
  const empty = new MemoryFile();
  new BroadcastJournal(empty);
  const bare = new BroadcastCore("n4", NODES, {
    params: MODES.latency,
    journal: new BroadcastJournal(empty),
  });
  assert.deepEqual(bare.tick(100).map((o) => [o.dest, o.body.vv, o.body.inc]), [["n0", ZEROS, 2]]);
  assert.deepEqual(new BroadcastCore("n4", NODES, { params: MODES.latency }).tick(100), []);
});

Deno.test("BroadcastCore on the hub forgets what a restarted spoke held and back-fills it", () => {
  const hub = new BroadcastCore("n0", NODES, { params: MODES.balanced });
  hub.receive("n3", { type: "gossip", via: "up", items: [[3, 1, 30]], vv: vector([3, 1]) }, 0);
  hub.receive("n4", { type: "gossip", via: "up", items: [[4, 1, 40]], vv: vector([4, 1]) }, 0);
  hub.tick(100);
  hub.receive("n3", {
    type: "gossip",
    via: "up",
    items: [],
    vv: vector([3, 1], [4, 1]),
    echo: vector([3, 1], [4, 1]),
    inc: 1,
  }, 1000);
  assert.equal(hub.inSync("n3"), true);
  // n3 restarts with only its own value; its hello must not be merged into the old view, and
  // the repair holds everything it lacks, however young (n5's value arrived 100 ms ago).
  hub.receive("n5", { type: "gossip", via: "up", items: [[5, 1, 50]], vv: vector([5, 1]) }, 1400);
  const hello = { type: "gossip" as const, via: "up" as const, items: [], vv: vector([3, 1]) };
  const repair = hub.receive("n3", { ...hello, echo: ZEROS, inc: 2 }, 1500);
  assert.deepEqual(repair.map((o) => [o.dest, o.body.items]), [["n3", [[4, 1, 40], [5, 1, 50]]]]);
  // A late message of the dead incarnation changes nothing: the next repair still sends all.
  const late = { ...hello, vv: vector([3, 1], [4, 1], [5, 1]), echo: ZEROS, inc: 1 };
  assert.deepEqual(hub.receive("n3", late, 2600), []);
  const again = hub.receive("n3", { ...hello, echo: ZEROS, inc: 2 }, 2700);
  assert.deepEqual(again.map((o) => o.body.items), [[[4, 1, 40], [5, 1, 50]]]);
});

Deno.test("BroadcastCore.caughtUp() after a restart waits for the hub's first report, or recoverMs", () => {
  const file = new MemoryFile();
  new BroadcastJournal(file);
  const journal = new BroadcastJournal(file);
  const spoke = new BroadcastCore("n3", NODES, { params: MODES.balanced, journal, now: 0 });
  assert.equal(spoke.caughtUp(100), false);
  const vv = vector([0, 1], [4, 1]);
  spoke.receive("n0", { type: "gossip", via: "down", items: [[4, 1, 40]], vv, inc: 1 }, 200);
  assert.equal(spoke.caughtUp(300), false);
  spoke.receive("n0", { type: "gossip", via: "down", items: [[0, 1, 5]], vv, inc: 1 }, 400);
  assert.equal(spoke.caughtUp(500), true);
  assert.deepEqual(spoke.read(), [40, 5]);
  const cutOff = new BroadcastCore("n3", NODES, { params: MODES.balanced, journal, now: 0 });
  assert.equal(cutOff.caughtUp(MODES.balanced.recoverMs - 1), false);
  assert.equal(cutOff.caughtUp(MODES.balanced.recoverMs), true);
  // A first start has nothing to catch up on.
  assert.equal(new BroadcastCore("n3", NODES, { params: MODES.balanced }).caughtUp(0), true);
});

Deno.test("BroadcastCore.broadcast() journals a value before naming it, and not at all if the journal fails", () => {
  const file = new MemoryFile();
  const journal = new BroadcastJournal(file);
  const core = new BroadcastCore("n3", NODES, { params: MODES.latency, journal });
  file.append = () => {
    throw new Error("disk full");
  };
  assert.throws(() => core.broadcast(1, 0), /disk full/);
  assert.deepEqual(core.read(), []);
  assert.deepEqual(core.store.vv, ZEROS);
});

Deno.test("BroadcastCore answers a restarted peer's greeting even with nothing to add", () => {
  const spoke = new BroadcastCore("n3", NODES, { params: MODES.efficient });
  const down = { type: "gossip" as const, via: "down" as const, items: [], vv: ZEROS, echo: ZEROS };
  assert.deepEqual(spoke.receive("n0", { ...down, inc: 1 }, 0), []);
  const answer = spoke.receive("n0", { ...down, inc: 2 }, 100);
  assert.deepEqual(answer.map((o) => [o.dest, o.body.items, o.body.vv]), [["n0", [], ZEROS]]);
  // A first contact from a later incarnation is a restart too.
  const other = new BroadcastCore("n4", NODES, { params: MODES.efficient });
  assert.equal(other.receive("n0", { ...down, inc: 2 }, 0).length, 1);
});

Deno.test("BroadcastCore in frugal mode times a spoke's batch to land just before the hub's tick", () => {
  const params = MODES.frugal;
  const guard = params.timing!.guardMs;
  const tick = params.tickMs;
  const nodes = NODES.slice(0, 3);
  const hub = new BroadcastCore("n0", nodes, { params });
  const spoke = new BroadcastCore("n1", nodes, { params });
  const other = new BroadcastCore("n2", nodes, { params });
  // Untimed, a spoke sends each value up at once, stamped with its clock.
  const [first] = spoke.broadcast(1, 20);
  assert.deepEqual([first?.body.via, first?.body.at], ["up", 20]);
  assert.equal(spoke.nextTurn(20), undefined);
  hub.receive("n1", first!.body, 70); // one hop: 50 ms
  hub.receive("n2", other.broadcast(2, 110)[0]!.body, 160);
  // The hub's tick echoes the spoke's clock and how long it held that message.
  const [down] = hub.tick(300).filter((o) => o.dest === "n1");
  assert.deepEqual([down?.body.items, down?.body.at, down?.body.held], [[[2, 1, 2]], 20, 230]);
  spoke.receive("n0", down!.body, 350);
  // Round trip 100 ms: the next batch leaves to land a guard before the hub's next tick (1200).
  assert.deepEqual(spoke.broadcast(3, 400), []);
  const due = 300 + tick - 50 - guard;
  assert.equal(spoke.nextTurn(400), due);
  const [batch] = spoke.turn(due, due + 3); // a timer that fires late still takes the turn
  assert.deepEqual(batch?.body.items, [[1, 2, 3]]);
  assert.equal(spoke.nextTurn(due + 10), undefined); // nothing waits
  // A value just after a turn (under half a guard) goes with it; later, it waits for the next.
  spoke.broadcast(4, due + tick + guard / 2 - 1);
  assert.equal(spoke.nextTurn(due + tick + guard / 2 - 1), due + tick);
  assert.equal(spoke.turn(due + tick, due + tick + guard / 2).length, 1);
  spoke.broadcast(5, due + 2 * tick + guard);
  assert.equal(spoke.nextTurn(due + 2 * tick + guard), due + 3 * tick);
  // The periodic tick leaves a timed spoke's values to its turn.
  assert.deepEqual(spoke.tick(due + 2 * tick + guard + 1), []);
  assert.equal(isGossipBody({ type: "gossip", via: "up", items: [], at: "x" }), false);
});
