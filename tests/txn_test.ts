/**
 * End-to-end runs of `challenges/txn-rw-register.ts` through `runTest`: 6a, 6b (with and without
 * partitions) and 6c with short time limits, then, on five nodes under frequent partitions, the
 * strongest models a totally available design can hold: read atomic (with `--strict`, so that our
 * fractured-read check counts too) and strong-session read committed (no G0/G1c over process
 * order).
 *
 * @module
 */

import assert from "node:assert/strict";
import { type ChallengeOutcome, runChallenge } from "./_challenge_run.ts";

const BASE = ["--concurrency", "2n", "--time-limit", "5", "--rate", "200"];
const PARTITION = ["--availability", "total", "--nemesis", "partition", "--nemesis-interval", "1"];

function _run(nodes: number, models: string, flags: string[], seed: number) {
  return runChallenge("txn-rw-register", [
    "--node-count",
    String(nodes),
    ...BASE,
    "--consistency-models",
    models,
    ...flags,
    "--seed",
    String(seed),
  ]);
}

/** Asserts a valid run in which every transaction committed (no abort, no timeout). */
function assertAllCommitted(outcome: ChallengeOutcome): void {
  assert.equal(outcome.exitCode, 0, JSON.stringify(outcome.workload).slice(0, 2000));
  assert.equal(outcome.workload["valid"], true);
  assert.equal(outcome.okFraction, 1);
  assert.ok(outcome.ops > 500, `only ${outcome.ops} ops`);
}

Deno.test("txn-rw-register.ts passes 6a, 6b and 6c (5 s runs) with every txn committed", async () => {
  const [a, b, bPartition, c] = await Promise.all([
    _run(1, "read-uncommitted", ["--availability", "total"], 1),
    _run(2, "read-uncommitted", [], 2),
    _run(2, "read-uncommitted", PARTITION, 3),
    _run(2, "read-committed", PARTITION, 4),
  ]);
  for (const outcome of [a, b, bPartition, c]) assertAllCommitted(outcome!);
  assert.equal(a!.msgsPerOp.servers, 0);
  // One message per peer per 50 ms tick at most: 40 msgs/s against ~200 txns/s.
  for (const outcome of [b, bPartition, c]) {
    assert.ok(outcome!.msgsPerOp.servers <= 0.3, `servers msgs/op ${outcome!.msgsPerOp.servers}`);
  }
});

Deno.test("txn-rw-register.ts holds read atomic and strong-session read committed on 5 nodes under partitions", async () => {
  const models = "read-atomic,strong-session-read-committed";
  const outcome = await _run(5, models, [...PARTITION, "--strict"], 5);
  assertAllCommitted(outcome);
  assert.equal(outcome.workload["warnings"], undefined);
  // What a totally available store cannot prevent is still there: lost updates, which Elle's
  // weakest models to forbid are cursor stability and update atomic (then SI, RR and up).
  assert.deepEqual(outcome.workload["not"], ["cursor-stability", "update-atomic"]);
});
