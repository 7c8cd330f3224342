/**
 * End to end: a seed sweep of simulated runs spreads seeds over worker processes, exits 1 naming
 * every failing seed with a replay command that reproduces it exactly, and exits 0 when all pass.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../harness/sim/cli.ts", import.meta.url));
const NO_GOSSIP = fileURLToPath(new URL("./fixtures/broadcast/no_gossip.ts", import.meta.url));
const BROADCAST = fileURLToPath(new URL("../challenges/broadcast.ts", import.meta.url));

async function _sim(args: string[]): Promise<{ code: number; out: string }> {
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "null",
  }).output();
  return { code, out: new TextDecoder().decode(stdout) };
}

Deno.test("sim --seeds: a broken node fails on every seed, each named with a replay that reproduces it", async () => {
  const store = await Deno.makeTempDir({ prefix: "sim-sweep-" });
  try {
    const flags = [
      "-w",
      "broadcast",
      "--node",
      NO_GOSSIP,
      "--node-count",
      "3",
      "--time-limit",
      "3",
    ];
    const sweep = await _sim([
      "test",
      ...flags,
      "--rate",
      "10",
      "--store",
      store,
      "--seeds",
      "1..4",
    ]);
    assert.equal(sweep.code, 1, sweep.out);
    assert.match(sweep.out, /^4 seeds: 0 valid, 4 invalid/m);
    for (const seed of [1, 2, 3, 4]) assert.match(sweep.out, new RegExp(`seed ${seed}: INVALID`));
    const replay = /replay: deno task sim (.*--seed 3)$/m.exec(sweep.out)?.[1];
    assert.ok(replay !== undefined, sweep.out);
    const once = await _sim([...replay.split(" ")]);
    assert.equal(once.code, 1);
    // The kept store of seed 3 and the replay's hold the same history, byte for byte.
    const kept = /seed 3: [\s\S]*?store: (\S+)/.exec(sweep.out)?.[1] as string;
    const replayed = /^store: (\S+)$/m.exec(once.out)?.[1] as string;
    assert.equal(
      await Deno.readTextFile(`${replayed}/history.jsonl`),
      await Deno.readTextFile(`${kept}/history.jsonl`),
    );
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("sim --seeds: every seed valid exits 0 and keeps no store but the summary", async () => {
  const store = await Deno.makeTempDir({ prefix: "sim-sweep-" });
  try {
    const sweep = await _sim([
      "test",
      "-w",
      "broadcast",
      "--node",
      BROADCAST,
      "--node-count",
      "3",
      "--time-limit",
      "3",
      "--rate",
      "10",
      "--nemesis",
      "partition",
      "--store",
      store,
      "--seeds",
      "1..6",
      "--shard",
      "1/2",
    ]);
    assert.equal(sweep.code, 0, sweep.out);
    assert.match(sweep.out, /^3 seeds \(shard 1\/2\): 3 valid/m);
    const summary = /^summary: (\S+)$/m.exec(sweep.out)?.[1] as string;
    const parsed = JSON.parse(await Deno.readTextFile(summary));
    assert.deepEqual(parsed.results.map((r: { seed: number }) => r.seed), [1, 3, 5]);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

const RARE = fileURLToPath(new URL("./fixtures/sim/rare_loss.ts", import.meta.url));

Deno.test("sim --seeds finds a bug that strikes about one run in a hundred, and its replay repeats it exactly", async () => {
  const store = await Deno.makeTempDir({ prefix: "sim-rare-" });
  try {
    const flags = [
      "-w",
      "broadcast",
      "--node",
      RARE,
      "--node-count",
      "5",
      "--time-limit",
      "20",
      "--rate",
      "10",
      "--nemesis",
      "partition",
      "--store",
      store,
    ];
    const sweep = await _sim(["test", ...flags, "--seeds", "1..300"]);
    assert.equal(sweep.code, 1, sweep.out);
    const failing = [...sweep.out.matchAll(/seed (\d+): INVALID \(workload \(lost-count/g)]
      .map((m) => Number(m[1]));
    assert.ok(failing.length >= 1 && failing.length <= 15, `failing seeds: ${failing}`);
    const seed = failing[0] as number;
    const kept = new RegExp(`seed ${seed}: [\\s\\S]*?store: (\\S+)`).exec(sweep.out)?.[1] as string;
    const once = await _sim(["test", ...flags, "--seed", String(seed)]);
    assert.equal(once.code, 1);
    const replayed = /^store: (\S+)$/m.exec(once.out)?.[1] as string;
    assert.equal(
      await Deno.readTextFile(`${replayed}/history.jsonl`),
      await Deno.readTextFile(`${kept}/history.jsonl`),
    );
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
