/**
 * crdt mode on the simulator under partitions, kills and pauses: with its journal a killed node
 * takes its own entry back, so the final reads count every acknowledged add (before the journal,
 * seeds 1–3 all ended below the acknowledged total).
 */

import assert from "node:assert/strict";
import { simulate } from "../../harness/sim/_simulate_test_util.ts";
import { createGCounterNode } from "../g-counter.ts";

for (const seed of [1, 2, 3]) {
  Deno.test(`g-counter crdt mode counts every acknowledged add across kills (sim seed ${seed})`, async () => {
    const run = await simulate(
      "g-counter",
      (options) => createGCounterNode({ ...options, mode: "crdt" }),
      3,
      {
        timeLimit: 20,
        rate: 100,
        nemesis: ["partition", "kill", "pause"],
        nemesisInterval: 5,
        seed,
      },
    );
    assert.equal(run.results.valid, true, JSON.stringify(run.results.workload).slice(0, 300));
    const nemesis = run.results.nemesis as { kills: number; restarts: number };
    assert.ok(nemesis.kills >= 1 && nemesis.restarts === nemesis.kills);
  });
}
