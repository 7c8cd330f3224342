/**
 * End-to-end runs of the pause nemesis: a paused node's whole process group is frozen (its
 * requests wait until it continues), nothing is lost, and a `--bin` that does not exec is frozen
 * too (stopping only the wrapper shell would leave the node answering).
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { Op } from "../harness/history.ts";
import { nodeIds } from "../harness/options.ts";
import { type RunOptions, runTest } from "../harness/run.ts";
import { runOptions } from "./_harness_run.ts";

const WRAPPER = fileURLToPath(new URL("./fixtures/engine/wrapper.sh", import.meta.url));
const BROADCAST = fileURLToPath(new URL("../challenges/broadcast.ts", import.meta.url));

interface PauseRun {
  exitCode: number;
  results: Record<string, unknown>;
  nemesis: { pauses: number; resumes: number; paused: string[] };
  history: Op[];
}

async function _run(options: (store: string) => RunOptions): Promise<PauseRun> {
  const store = await Deno.makeTempDir({ prefix: "pause-nemesis-" });
  try {
    const run = await runTest(options(store));
    const text = await Deno.readTextFile(`${run.storePath}/history.jsonl`);
    const history = text.trim().split("\n").map((line) => JSON.parse(line) as Op);
    return {
      exitCode: run.exitCode,
      results: run.results,
      nemesis: run.results.nemesis as PauseRun["nemesis"],
      history,
    };
  } finally {
    await Deno.remove(store, { recursive: true });
  }
}

/**
 * The longest latency (ms) of an ok op sent to a node while the nemesis held it paused: a frozen
 * node answers only when it continues, so this is a large part of the pause.
 */
function _longestWaitWhilePaused(history: readonly Op[]): number {
  const windows: { node: string; from: number; to: number }[] = [];
  const open = new Map<string, number>();
  for (const op of history) {
    if (op.process !== "nemesis" || typeof op.value !== "string") continue;
    if (op.f === "pause") open.set(op.value, op.time);
    if (op.f === "resume") {
      windows.push({ node: op.value, from: open.get(op.value) ?? 0, to: op.time });
      open.delete(op.value);
    }
  }
  const invoked = new Map<number, Op>();
  let longest = 0;
  for (const op of history) {
    if (typeof op.process !== "number") continue;
    if (op.type === "invoke") {
      invoked.set(op.process, op);
      continue;
    }
    const start = invoked.get(op.process);
    if (start === undefined || op.type !== "ok") continue;
    const held = windows.some((w) =>
      w.node === start.node && start.time >= w.from && start.time < w.to - 50e6
    );
    if (held) longest = Math.max(longest, (op.time - start.time) / 1e6);
  }
  return longest;
}

Deno.test("runTest() --nemesis pause freezes a node, which answers after it continues: broadcast stays valid", async () => {
  const run = await _run((store) =>
    runOptions("broadcast", BROADCAST, store, {
      nodes: nodeIds(3),
      timeLimit: 6,
      rate: 30,
      nemesis: ["pause"],
      nemesisInterval: 1,
      finalPauseS: 5,
      env: { BROADCAST_MODE: "" },
    })
  );
  assert.equal(run.exitCode, 0, JSON.stringify(run.results.workload));
  assert.ok(run.nemesis.pauses >= 1, JSON.stringify(run.nemesis));
  assert.equal(run.nemesis.resumes, run.nemesis.pauses);
  // Spans last at least 0.5 s: an op sent at the start of one waits for most of it.
  assert.ok(_longestWaitWhilePaused(run.history) > 200, "no op waited on a paused node");
});

Deno.test("runTest() --nemesis pause with a --bin that does not exec freezes the node itself", async () => {
  const run = await _run((store) =>
    runOptions("unique-ids", WRAPPER, store, {
      nodes: nodeIds(2),
      timeLimit: 5,
      rate: 40,
      nemesis: ["pause"],
      nemesisInterval: 1,
      binArgs: ["boot"],
      env: { FIXTURE_DENO: Deno.execPath() },
    })
  );
  assert.equal(run.exitCode, 0, JSON.stringify(run.results));
  assert.ok(run.nemesis.pauses >= 1, JSON.stringify(run.nemesis));
  assert.ok(_longestWaitWhilePaused(run.history) > 200, "the wrapper's child kept answering");
});
