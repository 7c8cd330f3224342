/**
 * The lin-kv workload end to end on the simulator: nodes that forward to the linearizable service
 * pass, nodes with a map each fail with a counterexample, and the generator works keys in groups
 * of 2n threads with reads on half of them.
 */

import assert from "node:assert/strict";
import { createLinKvNode } from "../../tests/fixtures/lin_kv/proxy.ts";
import { createLocalLinKvNode } from "../../tests/fixtures/lin_kv/local.ts";
import { createLateWriteNode, createSplitCasNode } from "../../tests/fixtures/lin_kv/broken.ts";
import { defaultTestOptions } from "../options.ts";
import { createRng } from "../rng.ts";
import type { NodeFactory } from "../sim/engine.ts";
import { simulate } from "../sim/_simulate_test_util.ts";
import { linKvWorkload } from "./lin_kv.ts";

function _simulate(factory: NodeFactory, nemesis: string[] = []) {
  return simulate("lin-kv", factory, 3, {
    concurrency: 6,
    timeLimit: 10,
    rate: 50,
    latency: 10,
    nemesis,
    nemesisInterval: 2,
  });
}

Deno.test("lin-kv: nodes forwarding to lin-kv are linearizable, under partitions too", async () => {
  for (const nemesis of [[], ["partition"]]) {
    const run = await _simulate(createLinKvNode, nemesis);
    assert.equal(run.results.valid, true, JSON.stringify(run.results.workload).slice(0, 500));
    const workload = run.results.workload as { "key-count": number };
    assert.ok(workload["key-count"] >= 1);
  }
});

Deno.test("lin-kv: a cas split into read and write, and writes acknowledged early, are caught", async () => {
  for (const broken of [createSplitCasNode, createLateWriteNode]) {
    const run = await _simulate(broken);
    assert.equal(run.results.valid, false, broken.name);
    assert.ok((run.results.workload as { failures: unknown[] }).failures.length >= 1);
  }
});

Deno.test("lin-kv: a map per node is not linearizable, with a counterexample", async () => {
  const run = await _simulate(createLocalLinKvNode);
  assert.equal(run.results.valid, false);
  const workload = run.results.workload as {
    failures: unknown[];
    results: Record<string, { counterexample: { op: unknown; concurrent: unknown[] } }>;
  };
  assert.ok(workload.failures.length >= 1);
  const first = Object.values(workload.results)[0];
  assert.ok(first?.counterexample.op !== undefined);
});

Deno.test("lin-kv generator: groups of 2n threads per key, reads on the first n, a new key after 20 processes", () => {
  const options = { ...defaultTestOptions("lin-kv", 2), concurrency: 8 };
  const gen = linKvWorkload.generator(options, createRng(1));
  const ops = Array.from({ length: 8 }, (_, t) => gen.next(t));
  assert.deepEqual(ops.map((op) => (op?.value as [number])[0]), [0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual(ops.map((op) => op?.f === "read"), [
    true,
    true,
    false,
    false,
    true,
    true,
    false,
    false,
  ]);
  // Thread 0's process crashes 17 times: with the group's 4 first processes, that is 21.
  for (let i = 0; i < 17; i++) {
    gen.observe?.({ index: 0, time: 0, type: "info", process: i * 8, f: "read", value: [0, null] });
    const op = gen.next(0);
    assert.equal((op?.value as [number])[0], i < 16 ? 0 : 2, `crash ${i + 1}`);
  }
});
