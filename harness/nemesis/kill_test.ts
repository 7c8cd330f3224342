import assert from "node:assert/strict";
import { History } from "../history.ts";
import { type KillStats, type KillTarget, runKillNemesis } from "./kill.ts";
import { createRng, type Rng } from "../rng.ts";
import { sleepUnless } from "../real_time.ts";

const NODES = ["n0", "n1", "n2", "n3", "n4"];

/** A cluster stand-in: records kill/restart calls and tracks which nodes are dead. */
function _fakeTarget(alwaysDead: readonly string[] = []): KillTarget & { log: string[] } {
  const dead = new Set<string>(alwaysDead);
  const log: string[] = [];
  return {
    log,
    isAlive: (node) => !dead.has(node),
    kill(node) {
      assert.equal(dead.has(node), false, `${node} killed while dead`);
      dead.add(node);
      log.push(`kill ${node}`);
      return Promise.resolve();
    },
    restart(node) {
      assert.equal(dead.has(node), true, `${node} restarted while alive`);
      dead.delete(node);
      log.push(`restart ${node}`);
      return Promise.resolve();
    },
  };
}

async function _run(
  seed: number,
  o: { intervalS: number; runMs: number; target?: KillTarget & { log: string[] }; rng?: Rng },
): Promise<{ history: History; stats: KillStats; log: string[]; elapsedMs: number }> {
  const target = o.target ?? _fakeTarget();
  const history = new History();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), o.runMs);
  const started = performance.now();
  try {
    const stats = await runKillNemesis({
      nodes: NODES,
      intervalS: o.intervalS,
      rng: o.rng ?? createRng(seed),
      target,
      time: { sleep: sleepUnless },
      history,
      signal: controller.signal,
    });
    return { history, stats, log: target.log, elapsedMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("runKillNemesis() kills soon, alternates kill and restart, ends restarted", async () => {
  const { history, stats, log } = await _run(3, { intervalS: 0.004, runMs: 150 });
  assert.ok(stats.kills >= 3, `only ${stats.kills} kills`);
  assert.equal(stats.restarts, stats.kills);
  assert.equal(stats.killed.length, stats.kills);
  assert.ok((history.ops[0]?.time ?? Infinity) < 4e6 + 30e6);
  const expected = stats.killed.flatMap((node) => [`kill ${node}`, `restart ${node}`]);
  assert.deepEqual(log, expected);
  assert.deepEqual(
    history.ops.map((op) => [op.type, op.process, op.f, op.value]),
    expected.map((line) => ["info", "nemesis", ...line.split(" ")]),
  );
});

Deno.test("runKillNemesis() makes the same kill choices for the same seed", async () => {
  const a = (await _run(11, { intervalS: 0.003, runMs: 120 })).stats.killed;
  const b = (await _run(11, { intervalS: 0.003, runMs: 120 })).stats.killed;
  const c = (await _run(12, { intervalS: 0.003, runMs: 120 })).stats.killed;
  const n = Math.min(a.length, b.length, c.length);
  assert.ok(n >= 4, `only ${n} kills`);
  assert.deepEqual(a.slice(0, n), b.slice(0, n));
  assert.notDeepEqual(a.slice(0, n), c.slice(0, n));
});

Deno.test("runKillNemesis() cuts the pause short and restarts when the phase ends", async () => {
  // Every draw at its low end: the first kill at once, then a pause of 0.5 · 30 s.
  const rng: Rng = { ...createRng(5), uniform: (lo) => lo };
  const { stats, log, elapsedMs } = await _run(5, { intervalS: 30, runMs: 40, rng });
  assert.deepEqual([stats.kills, stats.restarts], [1, 1]);
  assert.deepEqual(log, [`kill ${stats.killed[0]}`, `restart ${stats.killed[0]}`]);
  assert.ok(elapsedMs < 1000, `took ${elapsedMs} ms`);
});

Deno.test("runKillNemesis() picks only live nodes", async () => {
  const target = _fakeTarget(["n0", "n1", "n2", "n3"]);
  const { stats } = await _run(7, { intervalS: 0.003, runMs: 60, target });
  assert.ok(stats.kills >= 2);
  assert.deepEqual(new Set(stats.killed), new Set(["n4"]));
});

Deno.test("runKillNemesis() rejects when a restart fails", async () => {
  const target = _fakeTarget();
  target.restart = () => Promise.reject(new Error("no init_ok"));
  const stats: KillStats = { kills: 0, restarts: 0, killed: [] };
  const controller = new AbortController();
  await assert.rejects(
    runKillNemesis({
      nodes: NODES,
      intervalS: 0.001,
      rng: createRng(1),
      target,
      time: { sleep: sleepUnless },
      history: new History(),
      signal: controller.signal,
      stats,
    }),
    /no init_ok/,
  );
  assert.deepEqual([stats.kills, stats.restarts, stats.killed.length], [1, 0, 1]);
});
