import { equal, notEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { createBroadcastNode } from "../../challenges/broadcast.ts";
import { createEchoNode } from "../../challenges/echo.ts";
import { createNoGossipNode } from "../../tests/fixtures/broadcast/no_gossip.ts";
import { defaultTestOptions } from "../options.ts";
import { type RunOptions, type RunResult, runTest } from "../run.ts";
import { type NodeFactory, simEngine } from "./engine.ts";

/** A simulated run into a temporary store, removed afterwards; returns its result and files. */
async function _simulate(
  factory: NodeFactory,
  workload: string,
  nodeCount: number,
  options: Partial<RunOptions> = {},
): Promise<{ result: RunResult; history: string; messages: string }> {
  const storeDir = await Deno.makeTempDir({ prefix: "sim_test_" });
  try {
    const result = await runTest({
      ...defaultTestOptions(workload, nodeCount),
      timeLimit: 5,
      rate: 10,
      latency: 100,
      nemesis: ["partition"],
      seed: 1,
      bin: "sim",
      binArgs: [],
      storeDir,
      quiet: true,
      engine: simEngine(factory),
      ...options,
    });
    const hash = async (file: string) =>
      createHash("sha256").update(await Deno.readFile(`${result.storePath}/${file}`))
        .digest("hex");
    return { result, history: await hash("history.jsonl"), messages: await hash("messages.jsonl") };
  } finally {
    await Deno.remove(storeDir, { recursive: true });
  }
}

Deno.test("SimEngine: echo, 5 nodes, partitions, is valid and recorded as simulated", async () => {
  const { result } = await _simulate(createEchoNode, "echo", 5);
  equal(result.results.valid, true);
  equal(result.results.engine, "simulated");
  equal(result.exitCode, 0);
});

Deno.test("SimEngine: broadcast, 5 nodes, 100 ms links, partitions, is valid", async () => {
  const { result } = await _simulate(createBroadcastNode, "broadcast", 5);
  equal(result.results.valid, true);
});

Deno.test("SimEngine: the same seed gives byte-identical history and messages", async () => {
  const a = await _simulate(createBroadcastNode, "broadcast", 5, {
    nemesis: ["partition", "kill"],
  });
  const b = await _simulate(createBroadcastNode, "broadcast", 5, {
    nemesis: ["partition", "kill"],
  });
  equal(a.history, b.history);
  equal(a.messages, b.messages);
  const c = await _simulate(createBroadcastNode, "broadcast", 5, {
    nemesis: ["partition", "kill"],
    seed: 2,
  });
  notEqual(c.history, a.history);
  notEqual(c.messages, a.messages);
});

Deno.test("SimEngine: a broadcast node that never gossips is invalid", async () => {
  const { result } = await _simulate(createNoGossipNode, "broadcast", 5, { nemesis: [] });
  equal(result.results.valid, false);
  equal(result.exitCode, 1);
});

Deno.test("SimEngine: broadcast survives the kill nemesis (journal in node.dir)", async () => {
  const { result } = await _simulate(createBroadcastNode, "broadcast", 5, {
    nemesis: ["kill"],
    nemesisInterval: 1,
  });
  const nemesis = result.results.nemesis as { kills: number; restarts: number };
  equal(nemesis.kills > 0, true);
  equal(nemesis.restarts, nemesis.kills);
  equal(result.results.valid, true);
});

Deno.test("SimEngine: a paused node's deliveries and timers wait for the resume; broadcast stays valid", async () => {
  const { result, history } = await _simulate(createBroadcastNode, "broadcast", 5, {
    nemesis: ["pause"],
    nemesisInterval: 1,
  });
  const nemesis = result.results.nemesis as { pauses: number; resumes: number };
  equal(nemesis.pauses > 0, true);
  equal(nemesis.resumes, nemesis.pauses);
  equal(result.results.valid, true);
  // Spans last at least 0.5 s: a request that reached a paused node waited for its resume.
  const slowest = (result.results["op-latencies"] as Record<string, number>)["1"] ?? 0;
  equal(slowest > 200, true, `slowest op ${slowest} ms`);
  const again = await _simulate(createBroadcastNode, "broadcast", 5, {
    nemesis: ["pause"],
    nemesisInterval: 1,
  });
  equal(again.history, history, "pauses are deterministic too");
});

Deno.test("SimEngine: simulated 3d (25 nodes, rate 100, latency 100, 20 s) prints its wall time", async () => {
  const start = performance.now();
  const { result } = await _simulate(
    (options) => createBroadcastNode({ ...options, mode: "latency" }),
    "broadcast",
    25,
    { timeLimit: 20, rate: 100, nemesis: [] },
  );
  const wallMs = performance.now() - start;
  equal(result.results.valid, true);
  const harness = result.results.harness as Record<string, number>;
  console.log(
    `simulated 3d: ${Math.round(wallMs)} ms wall for the whole run (target ≤ 1000), ` +
      `${harness["post-processing-ms"]} ms of it analysis and store`,
  );
});
