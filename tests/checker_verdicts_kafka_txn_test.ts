/**
 * End-to-end runs of the kafka and txn-rw-register workloads through `runTest`: a correct node
 * passes, and each deliberately broken fixture fails with the expected anomaly. Runs of one
 * workload go concurrently, with short time limits and a 1 s pause before kafka's final polls.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { RunOptions } from "../harness/run.ts";
import { type Outcome, run, runOptions, withStore } from "./_harness_run.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url);

function options(
  workload: string,
  fixture: string,
  mode: string,
  storeDir: string,
  overrides: Partial<RunOptions> = {},
): RunOptions {
  const bin = fileURLToPath(new URL(fixture, FIXTURES));
  return runOptions(workload, bin, storeDir, {
    timeLimit: 3,
    rate: 50,
    concurrency: 2 * (overrides.nodeCount ?? 1),
    seed: 7,
    binArgs: mode === "correct" ? [] : [mode],
    finalPauseS: 1,
    ...overrides,
  });
}

function types(outcome: Outcome, field: string): string[] {
  return (outcome.workload[field] ?? []) as string[];
}

Deno.test("runTest() kafka: a correct log passes, broken logs fail with the right anomaly", async () => {
  await withStore("checker-verdicts-", async (dir) => {
    const [good, perNode, drop, reorder, skip, total] = await Promise.all([
      run(options("kafka", "kafka/node.ts", "correct", dir)),
      run(options("kafka", "kafka/node.ts", "correct", dir, { nodeCount: 2 })),
      run(options("kafka", "kafka/node.ts", "drop-send", dir)),
      run(options("kafka", "kafka/node.ts", "reorder-poll", dir)),
      run(options("kafka", "kafka/node.ts", "skip-poll", dir)),
      run(options("kafka", "kafka/node.ts", "correct", dir, { availability: "total" })),
    ]);
    assert.equal(good.workload.valid, true, JSON.stringify(good.workload));
    assert.deepEqual(types(good, "error-types"), []);
    assert.equal(good.exitCode, 0, JSON.stringify(good.results));

    assert.equal(perNode.exitCode, 1);
    assert.ok(types(perNode, "error-types").includes("inconsistent-offsets"));
    assert.ok(perNode.findings.some((f) => /was replied with different messages/.test(f)));

    assert.equal(drop.exitCode, 1);
    assert.ok(types(drop, "error-types").includes("unseen"));
    assert.ok(types(drop, "error-types").includes("lost-write"));
    assert.ok(
      drop.findings.some((f) => /^On key "\d+", message \d+ \(sent by op \d+ .* was lost/.test(f)),
      drop.findings.join("\n"),
    );
    assert.ok(drop.findings.some((f) => /was never returned by any poll\.$/.test(f)));

    assert.equal(reorder.exitCode, 1);
    assert.ok(types(reorder, "error-types").includes("int-nonmonotonic-poll"));
    assert.ok(reorder.findings.some((f) => /polled offset \d+ .* then went back to \d+/.test(f)));

    assert.equal(skip.exitCode, 1);
    assert.ok(types(skip, "error-types").includes("poll-skip"));
    assert.ok(
      skip.findings.some((f) => /polled offset \d+ then \d+, skipping \d+ message/.test(f)),
    );

    // Crash ops always end info, so kafka can never pass --availability total.
    assert.equal(total.workload.valid, true);
    assert.equal((total.results.availability as Record<string, unknown>).valid, false);
    assert.equal(total.exitCode, 1);
  });
});

Deno.test("runTest() txn-rw-register: a serial store passes, broken stores show G1a, G1b, G1c", async () => {
  await withStore("checker-verdicts-", async (dir) => {
    const rc = { consistencyModels: ["read-committed"], keyCount: 3, rate: 100 };
    const [good, aborted, intermediate, interleaved, badModel] = await Promise.all([
      run(options("txn-rw-register", "txn/node.ts", "correct", dir, { rate: 100 })),
      run(options("txn-rw-register", "txn/node.ts", "abort-after-apply", dir, rc)),
      run(options("txn-rw-register", "txn/node.ts", "keep-first-write", dir, rc)),
      // Six clients keep several transactions in flight, so a pair that can read each other's
      // writes comes along within the first few dozen transactions.
      run(options("txn-rw-register", "txn/node.ts", "cross-read", dir, { ...rc, concurrency: 6 })),
      run(options("txn-rw-register", "txn/node.ts", "correct", dir, {
        consistencyModels: ["read-committed,bogus"],
      })),
    ]);
    assert.equal(good.workload.valid, true, JSON.stringify(good.workload));
    assert.deepEqual(types(good, "anomaly-types"), []);
    assert.equal(good.exitCode, 0, JSON.stringify(good.results));

    assert.equal(aborted.exitCode, 1);
    assert.ok(types(aborted, "anomaly-types").includes("G1a"), JSON.stringify(aborted.workload));
    assert.ok(
      aborted.findings.some((f) => /^G1a \(aborted read\): op \d+ .* which failed\.$/.test(f)),
    );

    assert.equal(intermediate.exitCode, 1);
    assert.ok(types(intermediate, "anomaly-types").includes("G1b"));
    assert.ok(intermediate.findings.some((f) => /^G1b \(intermediate read\): op \d+/.test(f)));

    assert.equal(interleaved.exitCode, 1);
    assert.ok(types(interleaved, "anomaly-types").includes("G1c"));
    assert.ok(
      interleaved.findings.some((f) => /^G1c: a cycle of \d+ transactions, .*\[wr\]/.test(f)),
      interleaved.findings.join("\n"),
    );

    assert.equal(badModel.exitCode, 2);
    assert.match(String(badModel.results.error), /unknown model "bogus"/);
  });
});
