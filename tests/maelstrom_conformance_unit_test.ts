/**
 * Unit-level checks that the harness does what Maelstrom v0.2.4 does, where no other test covers
 * it: txn error mapping (`src/maelstrom/workload/txn_rw_register.clj`), the `--compat` silenced
 * node after a reply to a retired client (`net.clj`), the partition schedule's mean gap
 * (`nemesis.clj`), final phases per workload and kafka's final ops (`workload/*.clj`), kafka
 * under `--availability total`, stats making the test invalid (`checker.clj`) and reordering under
 * uniform latency (`net.clj`). docs/harness.md lists how each part follows Maelstrom.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Body } from "../lib/message.ts";
import { analyze } from "../harness/analysis.ts";
import { History } from "../harness/history.ts";
import { VirtualClock } from "../lib/clock.ts";
import { runPartitionNemesis } from "../harness/nemesis/partition_schedule.ts";
import { Network } from "../harness/net/network.ts";
import { NodeProcess } from "../harness/node_process.ts";
import { defaultTestOptions } from "../harness/options.ts";
import { createRng } from "../harness/rng.ts";
import { availability } from "../harness/stats.ts";
import {
  type Completion,
  type Connection,
  type Invocation,
  RpcErrorReply,
  RpcTimeoutError,
} from "../harness/workloads/contract.ts";
import type { Op } from "../harness/history.ts";
import { workloads } from "../harness/workloads/registry.ts";
import { echoWorkload } from "../harness/workloads/echo.ts";
import { kafkaWorkload } from "../harness/workloads/kafka.ts";
import { txnRwRegisterWorkload } from "../harness/workloads/txn_rw_register.ts";

const ENGINE = new URL("./fixtures/engine/node.ts", import.meta.url).pathname;

function _failingConn(error: Error): Connection {
  return { clientId: "c1", node: "n0", rpc: () => Promise.reject(error) };
}

Deno.test("txnRwRegisterWorkload client: 1000 and 13 are info, 11/14/30 fail, a timeout is info", async () => {
  const client = txnRwRegisterWorkload.client(0, defaultTestOptions("txn-rw-register", 1));
  const op = { f: "txn", value: [["w", 1, 1]] };
  const types: string[] = [];
  for (const error of [1000, 13, 11, 14, 30].map((code) => new RpcErrorReply(code, "x"))) {
    types.push((await client.invoke(op, _failingConn(error))).type);
  }
  types.push((await client.invoke(op, _failingConn(new RpcTimeoutError()))).type);
  assert.deepEqual(types, ["info", "info", "fail", "fail", "fail", "info"]);
});

async function _silencing(compat: boolean): Promise<[string[], boolean]> {
  const seen: string[] = [];
  const node = await NodeProcess.start({
    id: "n0",
    bin: ENGINE,
    args: ["ok"],
    compat,
    // The first echo_ok goes to a retired client: the network refuses it.
    onMessage: (_src, _dest, body) => {
      seen.push(`${body.type}:${body.in_reply_to}`);
      return seen.length !== 2;
    },
  });
  const deliver = (body: Body) => node.deliver("c0", body, 0, JSON.stringify(body));
  const waitFor = async (n: number, maxMs: number) => {
    for (let t = 0; t < maxMs && seen.length < n; t += 25) {
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  deliver({ type: "init", msg_id: 1, node_id: "n0", node_ids: ["n0"] });
  await waitFor(1, 10_000);
  deliver({ type: "echo", msg_id: 2, echo: "a" });
  await waitFor(2, 5000);
  deliver({ type: "echo", msg_id: 3, echo: "b" });
  await waitFor(3, compat ? 300 : 5000);
  const silenced = node.silenced;
  await node.close();
  return [seen, silenced];
}

Deno.test("NodeProcess in compat mode is silenced after a reply to a retired client; by default not", async () => {
  assert.deepEqual(await _silencing(true), [["init_ok:1", "echo_ok:2"], true]);
  assert.deepEqual(await _silencing(false), [["init_ok:1", "echo_ok:2", "echo_ok:3"], false]);
});

Deno.test("runPartitionNemesis() alternates start and stop with a mean gap ≈ interval", async () => {
  // Virtual time: each sleep moves the clock by exactly its length, and the phase ends at 1.5 s.
  let now = 0;
  const end = new AbortController();
  const sleep = (ms: number, signal: AbortSignal) => {
    if (signal.aborted) return Promise.resolve(false);
    now += ms;
    if (now >= 1500) end.abort();
    return Promise.resolve(!signal.aborted);
  };
  const nodes = ["n0", "n1", "n2"];
  const cuts: string[] = [];
  const history = new History(0, () => now);
  await runPartitionNemesis({
    nodes,
    intervalS: 0.05,
    rng: createRng(9),
    links: { cut: () => cuts.push("cut"), heal: () => cuts.push("heal") },
    time: { sleep },
    history,
    signal: end.signal,
  });
  const ops = history.ops;
  ops.forEach((op, i) => assert.equal(op.f, i % 2 === 0 ? "start-partition" : "stop-partition"));
  assert.deepEqual(cuts, ops.map((op) => op.f === "start-partition" ? "cut" : "heal"));
  // Gaps are U[0, 2·interval): about 30 of them fit in 1.5 s, averaging 50 ms.
  assert.ok(ops.length >= 20, `only ${ops.length} nemesis ops`);
  const meanMs = ((ops.at(-1) as Op).time - (ops[0] as Op).time) / 1e6 / (ops.length - 1);
  assert.ok(meanMs > 35 && meanMs < 65, `mean gap ${meanMs} ms for a 50 ms interval`);
});

Deno.test("Workload.hasFinalPhase: broadcast, the counters, g-set and kafka only (echo, unique-ids, txn none)", () => {
  const withFinal = [...workloads.values()].filter((w) => w.hasFinalPhase).map((w) => w.name);
  assert.deepEqual(withFinal.sort(), ["broadcast", "g-counter", "g-set", "kafka", "pn-counter"]);
  assert.equal(echoWorkload.final, undefined);
  assert.equal(txnRwRegisterWorkload.final, undefined);
});

Deno.test("kafkaWorkload.final() crashes, assigns every key from 0, and polls until caught up", async () => {
  const history = [{
    index: 0,
    time: 0,
    type: "ok" as const,
    process: 0,
    f: "send",
    value: [["send", "1", [3, 7]]],
  }];
  const calls: Invocation[] = [];
  let polls = 0;
  const answer = (op: Invocation): Completion => {
    if (op.f === "crash") return { type: "info", value: null };
    if (op.f === "assign") return { type: "ok", value: op.value };
    // The first poll lags behind offset 3; the second catches up.
    polls++;
    return { type: "ok", value: [["poll", { "1": polls === 1 ? [[2, 6]] : [[3, 7]] }]] };
  };
  await kafkaWorkload.final?.({
    thread: 0,
    options: defaultTestOptions("kafka", 1),
    rng: createRng(1),
    invoke: (op) => {
      calls.push(op);
      return Promise.resolve(answer(op));
    },
    sleep: () => Promise.resolve(),
    now: () => 0,
    signal: new AbortController().signal,
    history,
  });
  assert.deepEqual(calls, [
    { f: "crash", value: null },
    { f: "assign", value: ["1"], final: true },
    { f: "poll", value: [["poll"]] },
    { f: "poll", value: [["poll"]] },
  ]);
});

Deno.test("availability('total') fails a kafka history, whose crash ops always end info", async () => {
  const client = kafkaWorkload.client(0, defaultTestOptions("kafka", 1));
  const crash = await client.invoke({ f: "crash", value: null }, _failingConn(new Error("unused")));
  const history = new History(0);
  history.add({ type: "invoke", process: 0, f: "crash", value: null });
  history.add({ ...crash, process: 0, f: "crash" });
  assert.deepEqual(availability(history.ops, "total"), { valid: false, "ok-fraction": 0 });
});

Deno.test("analyze() makes the test invalid when some f has no ok completion (stats)", () => {
  const network = new Network({
    nodes: ["n0"],
    latency: 0,
    latencyDist: "constant",
    rng: createRng(1),
  });
  const history = new History(0);
  history.add({ type: "invoke", process: 0, f: "echo", value: "a" });
  history.add({ type: "ok", process: 0, f: "echo", value: "a" });
  history.add({ type: "invoke", process: 0, f: "cas", value: [1, 2] });
  history.add({ type: "fail", process: 0, f: "cas", value: [1, 2], error: [22, "x", "x"] });
  const workload = { ...echoWorkload, check: () => ({ valid: true }) };
  const results = analyze({
    workload,
    options: defaultTestOptions("echo", 1),
    history: history.ops,
    network,
  });
  network.close();
  const stats = results.stats as { valid: boolean; "by-f": Record<string, { valid: boolean }> };
  assert.deepEqual([results.valid, stats.valid, stats["by-f"].cas?.valid], [false, false, false]);
});

Deno.test("Network under uniform latency reorders messages of one pair; constant keeps order", () => {
  const order = (dist: "uniform" | "constant") => {
    const clock = new VirtualClock();
    const net = new Network({
      nodes: ["n0", "n1"],
      latency: 100,
      latencyDist: dist,
      rng: createRng(3),
      clock,
    });
    const got: number[] = [];
    net.register("n0", { deliver: () => {} });
    net.register("n1", { deliver: (_src, body) => got.push(body.i as number) });
    for (let i = 0; i < 20; i++) net.send("n0", "n1", { type: "m", i });
    clock.advanceSync(200);
    net.close();
    return got;
  };
  const uniform = order("uniform");
  assert.deepEqual([...uniform].sort((a, b) => a - b), [...Array(20).keys()]);
  assert.notDeepEqual(uniform, [...Array(20).keys()]);
  assert.deepEqual(order("constant"), [...Array(20).keys()]);
});
