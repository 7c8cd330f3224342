/**
 * End-to-end runs of a broadcast node that never gossips to n0, through `runTest`: with
 * `--strict` every seed is invalid, as each final read must hold every acknowledged value on its
 * own; without it the verdict is Maelstrom's (the loss shows only when n0's final read, started
 * in a seeded random order, comes last) and the per-node finding is a warning.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { checkerWarnings } from "../harness/summary.ts";
import { isRecord } from "../lib/message.ts";
import { type Outcome, run, runOptions, withStore } from "./_harness_run.ts";

const BIN = fromFileUrl(new URL("./fixtures/broadcast/flood.ts", import.meta.url));

/** A short 3-node run of the fixture under `seed`. */
function skipN0(dir: string, seed: number, strict: boolean): Promise<Outcome> {
  return run(runOptions("broadcast", BIN, dir, {
    binArgs: ["skip-n0"],
    nodeCount: 3,
    timeLimit: 2,
    rate: 20,
    finalPauseS: 1,
    seed,
    strict,
  }));
}

/** Asserts n0's final read was found lacking values, in the warnings and per node. */
function assertN0Flagged(outcome: Outcome): void {
  const missing = outcome.workload["final-read-missing"];
  assert.ok(missing !== null && typeof missing === "object" && "n0" in missing);
  assert.deepEqual(Object.keys(missing), ["n0"]);
  assert.ok(
    checkerWarnings(outcome.results).some((w) =>
      /^workload: final read on n0 \(process \d+\) lacks \d+ acknowledged value/.test(w)
    ),
    JSON.stringify(outcome.workload.warnings),
  );
}

/** The nodes of the run's final reads, in the order they were invoked. */
async function finalReadOrder(storePath: string): Promise<unknown[]> {
  const lines = (await Deno.readTextFile(`${storePath}/history.jsonl`)).trim().split("\n");
  return lines.map((line): unknown => JSON.parse(line))
    .filter((op) => isRecord(op) && op.final === true && op.type === "invoke")
    .map((op) => isRecord(op) ? op.node : undefined);
}

Deno.test("runTest() with strict fails a broadcast that never gossips to n0, on every seed", async () => {
  await withStore("e2e-strict-", async (dir) => {
    const outcomes = await Promise.all([1, 2, 3, 4].map((seed) => skipN0(dir, seed, true)));
    for (const outcome of outcomes) {
      assert.equal(outcome.exitCode, 1, JSON.stringify(outcome.workload));
      assert.equal(outcome.workload.valid, false);
      assertN0Flagged(outcome);
    }
  });
});

Deno.test("runTest() without strict keeps Maelstrom's verdict and warns about n0", async () => {
  await withStore("e2e-strict-", async (dir) => {
    const outcomes = await Promise.all([1, 2].map((seed) => skipN0(dir, seed, false)));
    for (const outcome of outcomes) {
      assertN0Flagged(outcome);
      // set-full alone decides, and it sees n0's loss exactly when n0's final read came last.
      const order = await finalReadOrder(outcome.storePath);
      assert.equal(order.length, 3);
      const caught = order.at(-1) === "n0";
      assert.equal(outcome.workload.valid, !caught, `final reads ${order}`);
      assert.equal((outcome.workload["lost-count"] as number) > 0, caught);
      assert.equal(outcome.exitCode, caught ? 1 : 0);
    }
  });
});
