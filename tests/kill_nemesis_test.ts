/**
 * End-to-end runs of the kill nemesis: killed nodes come back and get `init` again, runs complete,
 * restart-safe challenges stay valid, a naive node is caught, and an unexpected exit is still a
 * harness failure.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type RunOptions, type RunResult, runTest } from "../harness/run.ts";
import { nodeIds } from "../harness/options.ts";
import type { Op } from "../harness/history.ts";
import { runOptions } from "./_harness_run.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/engine/node.ts", import.meta.url));

function _challenge(name: string): string {
  return fileURLToPath(new URL(`../challenges/${name}.ts`, import.meta.url));
}

function _options(store: string, extra: Partial<RunOptions> = {}): RunOptions {
  return runOptions("unique-ids", FIXTURE, store, {
    nodes: nodeIds(3),
    timeLimit: 4,
    rate: 20,
    nemesis: ["kill"],
    nemesisInterval: 1,
    binArgs: ["boot"],
    finalPauseS: 1,
    ...extra,
  });
}

interface KillRun {
  run: RunResult;
  nemesis: { kills: number; restarts: number; killed: string[]; "dropped-to-dead": number };
  history: Op[];
}

async function _run(extra: Partial<RunOptions>, keep?: (dir: string) => Promise<void>) {
  const store = await Deno.makeTempDir({ prefix: "kill-nemesis-" });
  try {
    const run = await runTest(_options(store, extra));
    const text = run.storePath === ""
      ? ""
      : await Deno.readTextFile(`${run.storePath}/history.jsonl`);
    const history = text.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Op);
    await keep?.(run.storePath);
    const result: KillRun = {
      run,
      nemesis: run.results.nemesis as KillRun["nemesis"],
      history,
    };
    return result;
  } finally {
    await Deno.remove(store, { recursive: true });
  }
}

function _assertKillsRestarted(nemesis: KillRun["nemesis"], history: readonly Op[]): void {
  assert.ok(nemesis.kills >= 1, `no kill: ${JSON.stringify(nemesis)}`);
  assert.equal(nemesis.restarts, nemesis.kills);
  assert.equal(nemesis.killed.length, nemesis.kills);
  const ops = history.filter((op) => op.f === "kill" || op.f === "restart");
  assert.deepEqual(
    ops.map((op) => [op.process, op.type, op.f, op.value]),
    nemesis.killed.flatMap((
      n,
    ) => [["nemesis", "info", "kill", n], ["nemesis", "info", "restart", n]]),
  );
}

Deno.test("runTest() --nemesis kill: a restarted node gets init again and the run completes", async () => {
  const inits = new Map<string, string[]>();
  const { run, nemesis, history } = await _run(
    { workload: "echo", nodes: ["n0", "n1"], rate: 10 },
    async (dir) => {
      for (const node of ["n0", "n1"]) {
        const log = await Deno.readTextFile(`${dir}/node-logs/${node}.log`);
        inits.set(node, log.split("\n").filter((l) => l.startsWith("fixture: init ")));
      }
    },
  );
  assert.equal(run.results["harness-error"], undefined);
  _assertKillsRestarted(nemesis, history);
  for (const node of ["n0", "n1"]) {
    const lines = inits.get(node) ?? [];
    const kills = nemesis.killed.filter((n) => n === node).length;
    // One init per boot, each boot with its own id.
    assert.equal(lines.length, kills + 1, `${node}: ${lines.join(" | ")}`);
    assert.equal(new Set(lines).size, lines.length);
  }
  // echo demands every op ok; the only non-ok ops allowed are timeouts at a killed node.
  const bad = history.filter((op) => op.f === "echo" && op.type !== "invoke" && op.type !== "ok");
  for (const op of bad) {
    assert.deepEqual([op.type, op.error], ["info", "net-timeout"]);
    assert.ok(nemesis.killed.includes(op.node ?? ""), `timeout at ${op.node}`);
  }
  assert.equal(run.exitCode, bad.length === 0 ? 0 : 1);
  // Each timed-out request was dropped at its dead node: sent, never received.
  const all = (run.results.net as { all: Record<string, number> }).all;
  const dropped = nemesis["dropped-to-dead"];
  assert.ok(dropped >= bad.length, `${dropped} dropped, ${bad.length} timeouts`);
  assert.ok((all["send-count"] ?? 0) - (all["recv-count"] ?? 0) >= dropped);
  const oks = history.filter((op) => op.f === "echo" && op.type === "ok").length;
  assert.ok(oks >= 10, `only ${oks} ok echos`);
});

Deno.test("runTest() --nemesis kill: a node's working directory is kept across its restarts", async () => {
  const boots = new Map<string, string[]>();
  const { nemesis } = await _run(
    { workload: "echo", nodes: ["n0", "n1"], rate: 10 },
    async (dir) => {
      for (const node of ["n0", "n1"]) {
        const text = await Deno.readTextFile(`${dir}/node-dirs/${node}/boots.txt`);
        boots.set(node, text.trim().split("\n"));
      }
    },
  );
  for (const node of ["n0", "n1"]) {
    const lines = boots.get(node) ?? [];
    assert.equal(
      lines.length,
      nemesis.killed.filter((n) => n === node).length + 1,
      `${node}: ${lines}`,
    );
    assert.ok(lines.every((line) => line.startsWith(`${node} `)));
  }
});

Deno.test("runTest() --nemesis kill: unique-ids with restart-safe fixture ids is valid", async () => {
  const { run, nemesis, history } = await _run({ rate: 100 });
  _assertKillsRestarted(nemesis, history);
  assert.equal(run.exitCode, 0);
  const workload = run.results.workload as Record<string, unknown>;
  assert.equal(workload["duplicated-count"], 0);
});

Deno.test("runTest() --nemesis kill catches ids that restart from 0 after a reboot", async () => {
  // Seed 1 kills n2 at ≈0.7 s, after it served ids, and restarts it at ≈1.6 s. Ops sent to a dead
  // node wait out their 5 s timeout, so 20 workers per node leave some free to reach the new boot.
  const { run, nemesis } = await _run({
    binArgs: ["ok"],
    rate: 30,
    concurrency: 60,
    timeLimit: 4,
    seed: 1,
  });
  assert.equal(nemesis.killed[0], "n2");
  assert.equal(run.exitCode, 1);
  const workload = run.results.workload as Record<string, unknown>;
  assert.ok((workload["duplicated-count"] as number) > 0);
});

Deno.test("runTest() --nemesis kill: challenges/unique-ids.ts has no duplicates across restarts", async () => {
  const { run, nemesis, history } = await _run({
    bin: _challenge("unique-ids"),
    binArgs: [],
    rate: 200,
  });
  _assertKillsRestarted(nemesis, history);
  const workload = run.results.workload as Record<string, unknown>;
  assert.equal(workload["duplicated-count"], 0);
  assert.ok((workload["acknowledged-count"] as number) >= 300, JSON.stringify(workload));
  assert.equal(run.exitCode, 0);
});

Deno.test("runTest() --nemesis partition,kill: challenges/g-counter.ts (seq-kv) stays valid", async () => {
  const { run, nemesis, history } = await _run({
    workload: "g-counter",
    bin: _challenge("g-counter"),
    binArgs: [],
    rate: 100,
    nemesis: ["partition", "kill"],
    finalPauseS: 2,
  });
  _assertKillsRestarted(nemesis, history);
  assert.ok(history.some((op) => op.f === "start-partition"));
  const finals = history.filter((op) => op.final === true && op.type === "ok");
  assert.equal(finals.length, 3);
  assert.equal(run.exitCode, 0, JSON.stringify(run.results.workload));
});

Deno.test("runTest() --nemesis kill still fails the run when a node exits on its own", async () => {
  const { run } = await _run({ binArgs: ["exit"], timeLimit: 3 });
  assert.equal(run.exitCode, 2);
  assert.match(String(run.results["harness-error"]), /exited early with status 3/);
});

Deno.test("runTest() --nemesis kill makes the same kill choices for the same seed", async () => {
  // No client ops: nothing waits out a timeout, and the kill schedule alone is compared.
  const options = { timeLimit: 2.5, rate: 0, nemesisInterval: 0.3, seed: 9 };
  const a = (await _run(options)).nemesis.killed;
  const b = (await _run(options)).nemesis.killed;
  const n = Math.min(a.length, b.length);
  assert.ok(n >= 2, `only ${n} kills`);
  assert.deepEqual(a.slice(0, n), b.slice(0, n));
});

const WRAPPER = fileURLToPath(new URL("./fixtures/engine/wrapper.sh", import.meta.url));

/** Processes whose command line holds `marker`. */
async function _processesWith(marker: string): Promise<string[]> {
  const { stdout } = await new Deno.Command("pgrep", { args: ["-f", marker], stdout: "piped" })
    .output();
  return new TextDecoder().decode(stdout).split("\n").filter((l) => l !== "");
}

Deno.test("runTest() --nemesis kill with a --bin that does not exec: completes, no orphans", async () => {
  const marker = `wrapper-kill-${crypto.randomUUID()}`;
  const { run, nemesis, history } = await _run({
    bin: WRAPPER,
    binArgs: ["boot", marker],
    env: { FIXTURE_DENO: Deno.execPath() },
    rate: 50,
  });
  assert.equal(run.results["harness-error"], undefined);
  _assertKillsRestarted(nemesis, history);
  assert.equal(run.exitCode, 0);
  assert.deepEqual(await _processesWith(marker), []);
});

Deno.test("cli.ts on SIGTERM ends the run with exit 143, writes results, and leaves no node running", async () => {
  const store = await Deno.makeTempDir({ prefix: "sigterm-" });
  const marker = `wrapper-term-${crypto.randomUUID()}`;
  try {
    const cli = fileURLToPath(new URL("../harness/cli.ts", import.meta.url));
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        cli,
        "test",
        "-w",
        "echo",
        "--bin",
        WRAPPER,
        "--node-count",
        "2",
        "--time-limit",
        "30",
        "--store",
        store,
        "--",
        "ok",
        marker,
      ],
      env: { FIXTURE_DENO: Deno.execPath() },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Wait until the harness and both nodes (each a shell and its child) run, then stop it.
    for (let i = 0; i < 100 && (await _processesWith(marker)).length < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill("SIGTERM");
    const [status, stderr] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
    ]);
    assert.equal(status.code, 143, stderr);
    const results = JSON.parse(await Deno.readTextFile(`${store}/latest/results.json`));
    assert.equal(results["harness-error"], "interrupted by SIGTERM");
    assert.equal(results.interrupted, "SIGTERM");
    assert.deepEqual(await _processesWith(marker), []);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
