import assert from "node:assert/strict";
import type { Body } from "../../lib/message.ts";
import { VirtualClock } from "../../lib/clock.ts";
import { drawLatency, type Endpoint, Network, type NetworkOptions } from "./network.ts";
import { createRng } from "../rng.ts";

interface Got {
  src: string;
  type: string;
  at: number;
}

function _setup(
  extra: Partial<NetworkOptions> = {},
): { net: Network; clock: VirtualClock; got: Map<string, Got[]>; logs: string[] } {
  const clock = new VirtualClock();
  const logs: string[] = [];
  const net = new Network({
    nodes: ["n0", "n1", "n2"],
    latency: 100,
    latencyDist: "constant",
    rng: createRng(1),
    clock,
    log: (m) => logs.push(m),
    ...extra,
  });
  const got = new Map<string, Got[]>();
  for (const id of ["n0", "n1", "n2", "c0", "lin-kv"]) {
    const list: Got[] = [];
    got.set(id, list);
    const endpoint: Endpoint = {
      deliver: (src: string, body: Body) => list.push({ src, type: body.type, at: clock.now() }),
    };
    net.register(id, endpoint);
  }
  return { net, clock, got, logs };
}

const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

Deno.test("Network delivers node→node messages after the constant latency", () => {
  const { net, clock, got } = _setup();
  net.send("n0", "n1", { type: "a" });
  clock.advanceSync(99);
  assert.deepEqual(got.get("n1"), []);
  clock.advanceSync(1);
  assert.deepEqual(got.get("n1"), [{ src: "n0", type: "a", at: 100 }]);
  assert.deepEqual(net.latencyObserved(), { count: 1, mean: 100, min: 100, max: 100 });
  net.close();
});

Deno.test("Network gives client links zero latency", async () => {
  const { net, got } = _setup();
  net.send("c0", "n0", { type: "req" });
  net.send("n0", "c0", { type: "resp" });
  await tick();
  assert.deepEqual(got.get("n0"), [{ src: "c0", type: "req", at: 0 }]);
  assert.deepEqual(got.get("c0"), [{ src: "n0", type: "resp", at: 0 }]);
  assert.deepEqual(net.latencyObserved().count, 0);
  net.close();
});

Deno.test("Network applies latency to node→service links", () => {
  const { net, clock, got } = _setup();
  net.send("n2", "lin-kv", { type: "read" });
  clock.advanceSync(50);
  assert.deepEqual(got.get("lin-kv"), []);
  clock.advanceSync(50);
  assert.deepEqual(got.get("lin-kv")?.length, 1);
  net.close();
});

Deno.test("Network: an idle recipient takes the first message at once, then the rest by deadline", () => {
  const { net, clock, got } = _setup({ latencyDist: "uniform" });
  for (let i = 0; i < 200; i++) net.send("n0", "n1", { type: `m${i}` });
  clock.advanceSync(300);
  const list = got.get("n1") ?? [];
  assert.deepEqual(list.length, 200);
  // m0 was taken when sent, so everything due before it waits for it, then goes at once.
  const first = list[0] as Got;
  assert.equal(first.type, "m0");
  const behind = list.filter((g) => g.at === first.at).length;
  assert.ok(behind > 1, `${behind} delivered at m0's deadline ${first.at}`);
  for (let i = 1; i < list.length; i++) assert((list[i]?.at ?? 0) >= (list[i - 1]?.at ?? 0));
  const observed = net.latencyObserved();
  assert(observed.min >= 0 && observed.max < 200, JSON.stringify(observed));
  net.close();
});

Deno.test("Network: a client request waits behind the message a node's loop sleeps on", async () => {
  const { net, clock, got } = _setup();
  net.send("n0", "n1", { type: "gossip" }); // due at 100; n1's loop takes it and sleeps
  clock.advanceSync(30);
  net.send("c0", "n1", { type: "read" }); // zero latency, but the loop is asleep until 100
  await tick();
  assert.deepEqual(got.get("n1"), []);
  clock.advanceSync(70);
  assert.deepEqual(got.get("n1"), [
    { src: "n0", type: "gossip", at: 100 },
    { src: "c0", type: "read", at: 100 },
  ]);
  // An idle loop delivers a client request at once.
  net.send("c0", "n1", { type: "read" });
  await tick();
  assert.deepEqual(got.get("n1")?.at(-1), { src: "c0", type: "read", at: 100 });
  net.close();
});

Deno.test("Network: a loop sleeps whole ms, truncated, as Thread/sleep (long dt) does", () => {
  const { net, clock, got } = _setup({ latency: 10 });
  net.send("n0", "n1", { type: "a" }); // due at 10
  clock.advanceSync(0.6);
  net.send("n2", "n1", { type: "b" }); // due at 10.6; taken at 10 with 0.6 ms left: no sleep
  clock.advanceSync(9.4);
  assert.deepEqual(got.get("n1")?.map((g) => [g.type, g.at]), [["a", 10], ["b", 10]]);
  net.close();
});

Deno.test("drawLatency() uniform stays in [0, 2·mean) with mean ≈ mean", () => {
  const rng = createRng(7);
  let sum = 0;
  for (let i = 0; i < 10000; i++) {
    const x = drawLatency("uniform", 100, rng);
    assert(x >= 0 && x < 200 && Number.isInteger(x));
    sum += x;
  }
  assert(Math.abs(sum / 10000 - 99.5) < 3, `mean ${sum / 10000}`);
  assert.deepEqual(drawLatency("constant", 100, rng), 100);
  assert.deepEqual(drawLatency("exponential", 0, rng), 0);
});

Deno.test("Network drops iff src is in the recipient's grudge when its loop takes the message", () => {
  const { net, clock, got } = _setup();
  net.send("n0", "n1", { type: "before-cut" }); // taken at once by n1's idle loop
  net.setGrudge(new Map([["n1", new Set(["n0"])]]));
  net.send("n0", "n1", { type: "during-cut" }); // queued; taken at 100, still cut: dropped
  net.send("n2", "n1", { type: "other-src" });
  clock.advanceSync(100);
  assert.deepEqual(got.get("n1")?.map((g) => g.type), ["before-cut", "other-src"]);
  net.send("n0", "n1", { type: "sent-in-cut" }); // the idle loop takes it in the cut: dropped
  net.heal();
  net.send("n0", "n1", { type: "after-heal" });
  clock.advanceSync(100);
  assert.deepEqual(got.get("n1")?.map((g) => g.type), ["before-cut", "other-src", "after-heal"]);
  assert.deepEqual(net.droppedByPartition, 2);
  const events = [...net.journal];
  assert.deepEqual(events.filter((e) => e.type === "send").length, 5);
  assert.deepEqual(events.filter((e) => e.type === "recv").length, 3);
  net.close();
});

Deno.test("Network drops messages to a down node: journalled as sent, never received", async () => {
  const { net, clock, got } = _setup();
  net.send("n0", "n1", { type: "sent-before-down" });
  net.setDown("n1", true);
  net.send("c0", "n1", { type: "client-req" });
  net.send("lin-kv", "n1", { type: "kv-resp" });
  await tick();
  clock.advanceSync(100);
  assert.deepEqual(got.get("n1"), []);
  net.send("n1", "n2", { type: "from-down" });
  net.setDown("n1", false);
  net.send("n0", "n1", { type: "after-up" });
  clock.advanceSync(100);
  assert.deepEqual(got.get("n1")?.map((g) => g.type), ["after-up"]);
  assert.deepEqual(got.get("n2")?.map((g) => g.type), ["from-down"]);
  assert.equal(net.droppedToDown, 3);
  const events = [...net.journal];
  assert.deepEqual(
    [
      events.filter((e) => e.type === "send").length,
      events.filter((e) => e.type === "recv").length,
    ],
    [5, 2],
  );
  net.close();
});

Deno.test("Network never cuts client or service links", async () => {
  const { net, clock, got } = _setup();
  net.setGrudge(
    new Map([
      ["n0", new Set(["c0", "lin-kv", "n1"])],
      ["c0", new Set(["n0"])],
      ["lin-kv", new Set(["n0"])],
    ]),
  );
  net.send("c0", "n0", { type: "client-req" });
  net.send("n0", "c0", { type: "client-resp" });
  net.send("n0", "lin-kv", { type: "kv-req" });
  net.send("lin-kv", "n0", { type: "kv-resp" });
  net.send("n1", "n0", { type: "peer" });
  await tick();
  clock.advanceSync(100);
  assert.deepEqual(got.get("n0")?.map((g) => g.type), ["client-req", "kv-resp"]);
  assert.deepEqual(got.get("c0")?.map((g) => g.type), ["client-resp"]);
  assert.deepEqual(got.get("lin-kv")?.map((g) => g.type), ["kv-req"]);
  net.close();
});

Deno.test("Network rejects unknown dests without journalling them", () => {
  const { net, logs } = _setup();
  assert.deepEqual(net.send("n0", "c99", { type: "late" }), false);
  assert.deepEqual(net.journal.length, 0);
  assert.deepEqual(net.rejected, 1);
  assert.deepEqual(logs, ["net: rejected message from n0 to c99 (unknown dest c99; 1 so far)"]);
  net.close();
});

Deno.test("Network drops queued messages to an endpoint unregistered before delivery", () => {
  const { net, clock, got } = _setup();
  net.send("n0", "n1", { type: "x" });
  net.unregister("n1");
  clock.advanceSync(100);
  assert.deepEqual(got.get("n1"), []);
  assert.deepEqual([...net.journal].map((e) => e.type), ["send"]);
  net.close();
});

Deno.test("Network journals send and recv with ids from 0", () => {
  const { net, clock } = _setup();
  const lines: string[] = [];
  const net2 = new Network({
    nodes: ["n0", "n1"],
    latency: 10,
    latencyDist: "constant",
    rng: createRng(1),
    clock,
    sink: { write: (l) => lines.push(l) },
  });
  net2.register("n0", { deliver() {} });
  net2.register("n1", { deliver() {} });
  net2.send("n0", "n1", { type: "a", x: 1 });
  clock.advanceSync(10);
  assert.deepEqual(lines, [
    '{"type":"send","time":0,"id":0,"src":"n0","dest":"n1","body":{"type":"a","x":1}}',
    '{"type":"recv","time":10000000,"id":0,"src":"n0","dest":"n1"}',
  ]);
  assert.deepEqual([...net2.journal], [
    { type: "send", time: 0, id: 0, src: "n0", dest: "n1", bodyType: "a" },
    { type: "recv", time: 10000000, id: 0, src: "n0", dest: "n1", bodyType: "a" },
  ]);
  net.close();
  net2.close();
});

Deno.test("Network on the real clock delivers constant-latency messages at ≈ latency (≥ latency − 1 ms)", async () => {
  const net = new Network({
    nodes: ["n0", "n1"],
    latency: 30,
    latencyDist: "constant",
    rng: createRng(1),
  });
  let got = 0;
  const { promise, resolve } = Promise.withResolvers<void>();
  net.register("n0", { deliver() {} });
  net.register("n1", {
    deliver() {
      if (++got === 40) resolve();
    },
  });
  for (let i = 0; i < 40; i++) {
    net.send("n0", "n1", { type: "m" });
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, 7));
  }
  await promise;
  const observed = net.latencyObserved();
  net.close();
  assert.equal(observed.count, 40);
  // A loop that wakes for one message and takes the next sleeps whole ms, truncated.
  assert.ok(observed.min > 29, `min ${observed.min}`);
  assert.ok(observed.mean < 36, `mean ${observed.mean}`);
});

Deno.test("Network.replyTurnaround() times each node reply from the node's latest delivery", async () => {
  const { net, clock } = _setup();
  net.send("c0", "n0", { type: "read", msg_id: 1 });
  await tick(); // delivered at 0
  clock.advanceSync(3);
  net.send("n0", "c0", { type: "read_ok", in_reply_to: 1 }); // 3 ms after its request
  net.send("n0", "lin-kv", { type: "read", msg_id: 1 }); // a request: not a reply
  clock.advanceSync(100); // lin-kv's answer would arrive now; n0's latest delivery stays at 0 here
  net.send("lin-kv", "n0", { type: "read_ok", in_reply_to: 1 }); // services are not timed
  clock.advanceSync(100); // delivered at 203
  clock.advanceSync(1);
  net.send("n0", "c0", { type: "x_ok", in_reply_to: 2 }); // 1 ms after the service's answer
  await tick();
  // The median is a histogram bucket's edge: within 2 % of 1 ms.
  const turnaround = net.replyTurnaround();
  assert.deepEqual({ ...turnaround, median: undefined }, {
    count: 2,
    mean: 2,
    median: undefined,
    p99: 3,
    max: 3,
  });
  assert.ok(turnaround.median >= 1 && turnaround.median <= 1.02, `${turnaround.median}`);
  net.close();
});
