/**
 * End-to-end runs of `challenges/g-counter.ts` through `runTest`: both modes, 3 nodes, frequent
 * partitions, short time limits. The seq-kv run uses compat mode (Maelstrom's ring-buffer wrap)
 * to hold the design to the harshest staleness.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type ChallengeOutcome, runChallenge } from "./_challenge_run.ts";

const FLAGS = ["--node-count", "3", "--rate", "100", "--time-limit", "5", "--nemesis", "partition"];

/** Valid, and every final read equals the one acceptable total (no indeterminate adds here). */
function assertExact(outcome: ChallengeOutcome): void {
  assert.equal(outcome.exitCode, 0, JSON.stringify(outcome.workload));
  const reads = outcome.workload["final-reads"] as number[];
  const acceptable = outcome.workload["acceptable"] as [number, number][];
  assert.equal(reads.length, 3);
  if (acceptable.length === 1 && acceptable[0]![0] === acceptable[0]![1]) {
    assert.deepEqual(reads, [acceptable[0]![0], acceptable[0]![0], acceptable[0]![0]]);
  }
}

Deno.test("g-counter.ts (seq-kv mode) is exact under partitions and seq-kv staleness", async () => {
  for (const seed of ["1", "2"]) {
    assertExact(
      await runChallenge("g-counter", [...FLAGS, "--nemesis-interval", "1", "--seed", seed], {
        env: { COUNTER_MODE: "seq-kv" },
        finalPauseS: 2,
        compat: true,
      }),
    );
  }
});

Deno.test("g-counter.ts (crdt mode) is exact under partitions, with fewer msgs/op", async () => {
  const outcome = await runChallenge("g-counter", [...FLAGS, "--nemesis-interval", "1"], {
    env: { COUNTER_MODE: "crdt" },
    finalPauseS: 3,
  });
  assertExact(outcome);
  assert.ok(outcome.msgsPerOp.servers < 2, `servers msgs/op ${outcome.msgsPerOp.servers}`);
});
