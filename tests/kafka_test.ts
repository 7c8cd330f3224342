/**
 * End-to-end runs of `challenges/kafka.ts` through `runTest`: 5a (one node), 5b (two nodes,
 * lin-kv mode) and 5c (two nodes, the default replicated design) with short time limits, and 5c
 * with nodes killed and restarted.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runChallenge } from "./_challenge_run.ts";

const FLAGS = ["--concurrency", "2n", "--time-limit", "4", "--rate", "1000", "--seed", "1"];

Deno.test("kafka.ts passes 5a on one node", async () => {
  const outcome = await runChallenge("kafka", ["--node-count", "1", ...FLAGS], { finalPauseS: 1 });
  assert.equal(outcome.exitCode, 0, JSON.stringify(outcome.workload));
  assert.equal(outcome.msgsPerOp.servers, 0);
});

Deno.test("kafka.ts passes 5b in lin-kv mode on two nodes", async () => {
  const outcome = await runChallenge("kafka", ["--node-count", "2", ...FLAGS], {
    env: { KAFKA_MODE: "lin-kv" },
    finalPauseS: 1,
  });
  assert.equal(outcome.exitCode, 0, JSON.stringify(outcome.workload));
  assert.ok(outcome.msgsPerOp.servers > 1, "lin-kv mode talks to lin-kv on every op");
});

Deno.test("kafka.ts passes 5c on two nodes within the 2.2 msgs/op limit", async () => {
  const outcome = await runChallenge("kafka", ["--node-count", "2", ...FLAGS], { finalPauseS: 1 });
  assert.equal(outcome.exitCode, 0, JSON.stringify(outcome.workload));
  // Replication is at most one message per peer per 100 ms tick: a small share of ~1000 ops/s.
  assert.ok(outcome.msgsPerOp.servers < 0.5, `servers msgs/op ${outcome.msgsPerOp.servers}`);
  // The official 5c limit, on all messages (client request and reply are 2 per op already).
  assert.ok(outcome.msgsPerOp.all <= 2.2, `all msgs/op ${outcome.msgsPerOp.all}`);
  assert.ok(outcome.okFraction > 0.99, `ok-fraction ${outcome.okFraction}`);
});

const KILL = ["--node-count", "2", "--concurrency", "2n", "--time-limit", "8", "--rate", "200"];

for (const seed of [1, 2]) {
  Deno.test(`kafka.ts 5c loses no acknowledged send when nodes are killed and restarted (seed ${seed})`, async () => {
    const flags = [...KILL, "--nemesis", "kill", "--nemesis-interval", "2", "--seed", `${seed}`];
    const outcome = await runChallenge("kafka", flags, { finalPauseS: 1 });
    assert.ok((outcome.nemesis.kills as number) >= 1, JSON.stringify(outcome.nemesis));
    assert.equal(outcome.exitCode, 0, JSON.stringify(outcome.workload));
    assert.equal(outcome.workload["lost-write"], undefined);
  });
}
