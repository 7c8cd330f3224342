import assert from "node:assert/strict";
import { createBroadcastNode } from "../../challenges/broadcast.ts";
import { createWallClockGossipNode } from "../../tests/fixtures/sim/wall_clock_gossip.ts";
import { defaultTestOptions } from "../options.ts";
import { runTest } from "../run.ts";
import { compareRuns, firstDifference, formatDivergence } from "./determinism.ts";
import { type NodeFactory, simEngine } from "./engine.ts";

Deno.test("firstDifference() names the first differing line, or nothing for equal texts", () => {
  assert.equal(firstDifference("f", "a\nb\n", "a\nb\n"), undefined);
  assert.deepEqual(firstDifference("f", "a\nb\nc", "a\nx\nc"), {
    file: "f",
    line: 2,
    first: "b",
    second: "x",
  });
  assert.deepEqual(firstDifference("f", "a", "a\nb"), {
    file: "f",
    line: 2,
    first: "(end of file)",
    second: "b",
  });
});

/** Two simulated runs of seed 1 into one temporary store; their first divergence. */
async function _twice(factory: NodeFactory) {
  const storeDir = await Deno.makeTempDir({ prefix: "determinism-" });
  try {
    const options = {
      ...defaultTestOptions("broadcast", 3),
      timeLimit: 3,
      rate: 10,
      latency: 10,
      nemesis: ["partition", "kill", "pause"],
      nemesisInterval: 1,
      bin: "sim",
      binArgs: [],
      storeDir,
      quiet: true,
      engine: simEngine(factory),
    };
    const a = await runTest(options);
    const b = await runTest(options);
    return await compareRuns(a.storePath, b.storePath);
  } finally {
    await Deno.remove(storeDir, { recursive: true });
  }
}

Deno.test("compareRuns(): broadcast.ts replays exactly; a node on Math.random and the wall clock does not", async () => {
  assert.equal(await _twice(createBroadcastNode), undefined);
  const divergence = await _twice(createWallClockGossipNode);
  assert.ok(divergence !== undefined, "the hazard went unnoticed");
  assert.equal(divergence.file, "messages.jsonl");
  assert.match(
    formatDivergence(divergence, 1),
    /NOT deterministic: two runs of seed 1 differ first/,
  );
});
