/**
 * End-to-end runs of txn-rw-register under the kill nemesis with `--final-reads`: a node that
 * forgets its writes on restart fails with lost-write, a node that logs them passes, and
 * `challenges/txn-rw-register.ts` stays valid with every final read on every node.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parseCli } from "../harness/cli.ts";
import { runTest } from "../harness/run.ts";
import { nodeIds } from "../harness/options.ts";
import { challengeBin } from "./_challenge_run.ts";
import { run, runOptions, withStore } from "./_harness_run.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/txn/node.ts", import.meta.url));

/** One node, killed about every second, then final reads of every key. */
function _fixtureRun(mode: string, storeDir: string) {
  return run(runOptions("txn-rw-register", FIXTURE, storeDir, {
    nodes: nodeIds(1),
    binArgs: [mode],
    timeLimit: 5,
    rate: 100,
    concurrency: 10,
    consistencyModels: ["read-committed"],
    nemesis: ["kill"],
    nemesisInterval: 1,
    finalReads: true,
    finalPauseS: 1,
    seed: 1,
  }));
}

Deno.test("--final-reads under --nemesis kill: a node that forgets on restart fails, one that logs passes", async () => {
  await withStore("txn-kill-", async (dir) => {
    const [forgets, logs] = await Promise.all([
      _fixtureRun("correct", dir),
      _fixtureRun("durable", dir),
    ]);
    const forgot = forgets.workload["final-reads"] as Record<string, number>;
    assert.equal(forgets.exitCode, 1, JSON.stringify(forgot));
    assert.ok((forgets.workload["anomaly-types"] as string[]).includes("lost-write"));
    assert.ok(forgot["lost-write-count"]! > 0);
    const kept = logs.workload["final-reads"] as Record<string, number>;
    assert.equal(logs.exitCode, 0, JSON.stringify(logs.workload).slice(0, 2000));
    assert.equal(kept["lost-write-count"], 0);
    assert.equal(kept["unread-count"], 0);
    assert.ok(kept["key-count"]! > 5, JSON.stringify(kept));
    for (const outcome of [forgets, logs]) {
      const nemesis = outcome.results.nemesis as { kills: number };
      assert.ok(nemesis.kills >= 2, JSON.stringify(nemesis));
    }
  });
});

for (const seed of [1, 2]) {
  Deno.test(`txn-rw-register.ts loses no acknowledged write under --nemesis kill (seed ${seed})`, async () => {
    await withStore("txn-kill-e2e-", async (storeDir) => {
      const options = parseCli([
        "test",
        "-w",
        "txn-rw-register",
        "--bin",
        challengeBin("txn-rw-register"),
        "--node-count",
        "2",
        "--concurrency",
        "2n",
        "--time-limit",
        "6",
        "--rate",
        "300",
        "--consistency-models",
        "read-committed",
        "--nemesis",
        "kill",
        "--nemesis-interval",
        "2",
        "--final-reads",
        "--seed",
        String(seed),
      ], () => seed);
      const { results, exitCode } = await runTest({
        ...options,
        storeDir,
        quiet: true,
        finalPauseS: 3,
      });
      const workload = results.workload as Record<string, unknown>;
      const finals = workload["final-reads"] as Record<string, number>;
      assert.equal(exitCode, 0, JSON.stringify(workload).slice(0, 2000));
      assert.equal(finals["lost-write-count"], 0);
      assert.equal(finals["unread-count"], 0);
      assert.ok(finals["key-count"]! > 20, JSON.stringify(finals));
      assert.ok((results.nemesis as { kills: number }).kills >= 1);
    });
  });
}
