/**
 * The txn-list-append workload end to end on the simulator: forwarding every transaction to one
 * node is strict serializable, under partitions too; a map per node is caught.
 */

import assert from "node:assert/strict";
import { createListAppendNode } from "../../tests/fixtures/txn_list_append/forward.ts";
import { createLocalListAppendNode } from "../../tests/fixtures/txn_list_append/local.ts";
import {
  createAbortingNode,
  createForgettingNode,
  createReorderingNode,
} from "../../tests/fixtures/txn_list_append/broken.ts";
import type { NodeFactory } from "../sim/engine.ts";
import { simulate } from "../sim/_simulate_test_util.ts";

function _simulate(factory: NodeFactory, nemesis: string[] = []) {
  return simulate("txn-list-append", factory, 3, {
    concurrency: 6,
    timeLimit: 10,
    rate: 100,
    latency: 5,
    nemesis,
    nemesisInterval: 2,
  });
}

Deno.test("txn-list-append: one node applying every txn is strict serializable, partitions too", async () => {
  for (const nemesis of [[], ["partition"]]) {
    const run = await _simulate(createListAppendNode, nemesis);
    const workload = run.results.workload as Record<string, unknown>;
    assert.equal(run.results.valid, true, JSON.stringify(workload).slice(0, 600));
    assert.deepEqual(workload.models, ["strict-serializable"]);
    assert.ok((workload["txn-count"] as number) > 500);
  }
});

Deno.test("txn-list-append: a map per node shows incompatible orders and cycles", async () => {
  const run = await _simulate(createLocalListAppendNode);
  assert.equal(run.results.valid, false);
  const types = (run.results.workload as { "anomaly-types": string[] })["anomaly-types"];
  assert.ok(types.includes("incompatible-order"), types.join(", "));
});

Deno.test("txn-list-append: visible appends of aborted txns are G1a; reordered reads and a lost append are incompatible", async () => {
  for (
    const [factory, anomaly] of [
      [createAbortingNode, "G1a"],
      [createReorderingNode, "incompatible-order"],
      [createForgettingNode, "incompatible-order"],
    ] as const
  ) {
    const run = await _simulate(factory);
    assert.equal(run.results.valid, false, anomaly);
    const types = (run.results.workload as { "anomaly-types": string[] })["anomaly-types"];
    assert.ok(types.includes(anomaly), `${anomaly}: ${types.join(", ")}`);
  }
});
