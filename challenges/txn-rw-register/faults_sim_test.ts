/**
 * The whole node on the simulator under partitions, kills and pauses together: seeds a sweep once found
 * losing acknowledged writes (a paused node's relay of its peer's own write sets, longer than a
 * batch, held back everything it committed after it). Replays exactly; about a second each.
 */

import assert from "node:assert/strict";
import { simulate } from "../../harness/sim/_simulate_test_util.ts";
import { createTxnRwRegisterNode } from "../txn-rw-register.ts";

for (const seed of [137, 150]) {
  Deno.test(`txn-rw-register keeps every acknowledged write under partitions, kills and pauses (sim seed ${seed})`, async () => {
    const run = await simulate("txn-rw-register", createTxnRwRegisterNode, 2, {
      concurrency: 4,
      timeLimit: 20,
      rate: 1000,
      consistencyModels: ["read-committed"],
      nemesis: ["partition", "kill", "pause"],
      nemesisInterval: 5,
      finalReads: true,
      seed,
    });
    const workload = run.results.workload as { "final-reads": { "lost-write-count": number } };
    assert.equal(workload["final-reads"]["lost-write-count"], 0);
    assert.equal(run.results.valid, true);
  });
}
