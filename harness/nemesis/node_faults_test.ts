import assert from "node:assert/strict";
import type { EngineNodes } from "../engine.ts";
import { History } from "../history.ts";
import {
  killFault,
  type NodeFault,
  type NodeFaultStats,
  pauseFault,
  runNodeFaults,
} from "./node_faults.ts";
import { createRng, type Rng } from "../rng.ts";

const NODES = ["n0", "n1", "n2", "n3", "n4"];

/** Engine nodes stand-in: records every call and tracks which nodes are dead or paused. */
function _fakeNodes(alwaysDead: readonly string[] = []): EngineNodes & { log: string[] } {
  const dead = new Set<string>(alwaysDead);
  const paused = new Set<string>();
  const log: string[] = [];
  const step = (what: string, node: string, ok: boolean, set: Set<string>, add: boolean) => {
    assert.ok(ok, `${what} ${node} out of turn`);
    if (add) set.add(node);
    else set.delete(node);
    log.push(`${what} ${node}`);
    return Promise.resolve();
  };
  return {
    log,
    isAlive: (node) => !dead.has(node),
    kill: (node) => step("kill", node, !dead.has(node), dead, true),
    restart: (node) => step("restart", node, dead.has(node), dead, false),
    pause: (node) => step("pause", node, !paused.has(node) && !dead.has(node), paused, true),
    resume: (node) => step("resume", node, paused.has(node), paused, false),
  };
}

/**
 * Runs a schedule on virtual time: each sleep moves the clock by exactly its length, and the
 * main phase ends (the signal aborts) at `runMs`.
 */
async function _run(
  seed: number,
  o: { intervalS: number; runMs: number; fault: NodeFault; rng?: Rng; stats?: NodeFaultStats },
): Promise<{ history: History; stats: NodeFaultStats; endedAtMs: number }> {
  let now = 0;
  const end = new AbortController();
  const sleep = (ms: number, signal: AbortSignal) => {
    if (signal.aborted) return Promise.resolve(false);
    now = Math.min(now + ms, o.runMs);
    if (now >= o.runMs) end.abort();
    return Promise.resolve(!signal.aborted);
  };
  const history = new History(0, () => now);
  const stats = await runNodeFaults({
    nodes: NODES,
    intervalS: o.intervalS,
    rng: o.rng ?? createRng(seed),
    fault: o.fault,
    time: { sleep },
    history,
    signal: end.signal,
    ...(o.stats === undefined ? {} : { stats: o.stats }),
  });
  return { history, stats, endedAtMs: now };
}

Deno.test("runNodeFaults() kills soon, alternates kill and restart, ends restarted", async () => {
  const nodes = _fakeNodes();
  const { history, stats } = await _run(3, {
    intervalS: 4,
    runMs: 150_000,
    fault: killFault(nodes),
  });
  assert.ok(stats.starts >= 10, `only ${stats.starts} kills in 150 s at a 4 s interval`);
  assert.equal(stats.ends, stats.starts);
  assert.equal(stats.nodes.length, stats.starts);
  assert.ok((history.ops[0]?.time ?? Infinity) < 4e9, "the first kill within one interval");
  const expected = stats.nodes.flatMap((node) => [`kill ${node}`, `restart ${node}`]);
  assert.deepEqual(nodes.log, expected);
  assert.deepEqual(
    history.ops.map((op) => [op.type, op.process, op.f, op.value]),
    expected.map((line) => ["info", "nemesis", ...line.split(" ")]),
  );
  // Each node stays out for [0.5, 1.5)·interval.
  for (let i = 0; i + 1 < history.ops.length; i += 2) {
    const spanS = ((history.ops[i + 1]?.time ?? 0) - (history.ops[i]?.time ?? 0)) / 1e9;
    if (i + 2 < history.ops.length) assert.ok(spanS >= 2 && spanS < 6, `span ${spanS} s`);
  }
});

Deno.test("runNodeFaults() makes the same choices for the same seed", async () => {
  const run = async (seed: number) =>
    (await _run(seed, { intervalS: 3, runMs: 120_000, fault: killFault(_fakeNodes()) })).stats
      .nodes;
  const [a, b, c] = [await run(11), await run(11), await run(12)];
  assert.ok(a.length >= 4, `only ${a.length} kills`);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("runNodeFaults() cuts the span short and ends the fault when the phase ends", async () => {
  // Every draw at its low end: the first kill at once, then a span of 0.5 · 30 s.
  const rng: Rng = { ...createRng(5), uniform: (lo) => lo };
  const nodes = _fakeNodes();
  const { stats, endedAtMs } = await _run(5, {
    intervalS: 30,
    runMs: 40,
    rng,
    fault: killFault(nodes),
  });
  assert.deepEqual([stats.starts, stats.ends], [1, 1]);
  assert.deepEqual(nodes.log, [`kill ${stats.nodes[0]}`, `restart ${stats.nodes[0]}`]);
  assert.equal(endedAtMs, 40);
});

Deno.test("runNodeFaults() kills only live nodes", async () => {
  const nodes = _fakeNodes(["n0", "n1", "n2", "n3"]);
  const { stats } = await _run(7, { intervalS: 3, runMs: 60_000, fault: killFault(nodes) });
  assert.ok(stats.starts >= 2);
  assert.deepEqual(new Set(stats.nodes), new Set(["n4"]));
});

Deno.test("runNodeFaults() pauses and resumes, never a dead node", async () => {
  const nodes = _fakeNodes(["n0"]);
  const { history, stats } = await _run(9, {
    intervalS: 2,
    runMs: 60_000,
    fault: pauseFault(nodes),
  });
  assert.ok(stats.starts >= 5, `only ${stats.starts} pauses`);
  assert.equal(stats.ends, stats.starts);
  assert.ok(!stats.nodes.includes("n0"), "n0 is dead");
  assert.deepEqual(
    history.ops.map((op) => op.f),
    stats.nodes.flatMap(() => ["pause", "resume"]),
  );
});

Deno.test("runNodeFaults() rejects when a restart fails, with the counts so far", async () => {
  const nodes = _fakeNodes();
  nodes.restart = () => Promise.reject(new Error("no init_ok"));
  const stats: NodeFaultStats = { starts: 0, ends: 0, nodes: [] };
  await assert.rejects(
    _run(1, { intervalS: 1, runMs: 60_000, fault: killFault(nodes), stats }),
    /no init_ok/,
  );
  assert.deepEqual([stats.starts, stats.ends, stats.nodes.length], [1, 0, 1]);
});
