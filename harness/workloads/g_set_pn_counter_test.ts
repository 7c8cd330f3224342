/**
 * The g-set and pn-counter workloads end to end on the simulator: a correct CRDT node of each is
 * valid under partitions, and a broken one fails for the stated reason.
 */

import assert from "node:assert/strict";
import { createGSetNode } from "../../tests/fixtures/g_set/crdt.ts";
import { createLocalGSetNode } from "../../tests/fixtures/g_set/local.ts";
import { createForgetfulGSetNode } from "../../tests/fixtures/g_set/forget_on_merge.ts";
import { createPnCounterNode } from "../../tests/fixtures/pn_counter/crdt.ts";
import { createDropNegativeNode } from "../../tests/fixtures/pn_counter/drop_negative.ts";
import type { NodeFactory } from "../sim/engine.ts";
import { simulate } from "../sim/_simulate_test_util.ts";

function _simulate(workload: string, factory: NodeFactory, seed = 1) {
  return simulate(workload, factory, 3, {
    timeLimit: 10,
    rate: 20,
    latency: 20,
    nemesis: ["partition"],
    nemesisInterval: 2,
    seed,
  });
}

Deno.test("g-set: a gossiping CRDT is valid under partitions; a node that never gossips loses elements", async () => {
  for (const seed of [1, 2]) {
    const good = await _simulate("g-set", createGSetNode, seed);
    assert.equal(good.results.valid, true, JSON.stringify(good.results.workload));
    const workload = good.results.workload as Record<string, number>;
    assert.ok((workload["stable-count"] ?? 0) > 10, "elements were added and read");
  }
  for (const broken of [createLocalGSetNode, createForgetfulGSetNode]) {
    const bad = await _simulate("g-set", broken);
    assert.equal(bad.results.valid, false, broken.name);
    assert.ok(((bad.results.workload as Record<string, number>)["lost-count"] ?? 0) > 0);
  }
});

Deno.test("pn-counter: a PN CRDT is exact under partitions; a node that drops decrements is not", async () => {
  for (const seed of [1, 2]) {
    const good = await _simulate("pn-counter", createPnCounterNode, seed);
    assert.equal(good.results.valid, true, JSON.stringify(good.results.workload));
  }
  const bad = await _simulate("pn-counter", createDropNegativeNode);
  assert.equal(bad.results.valid, false);
  const workload = bad.results.workload as { errors: unknown[]; acceptable: number[][] };
  assert.ok(workload.errors.length > 0, "final reads outside the acceptable sums");
});
