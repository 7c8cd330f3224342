import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runTest } from "../run.ts";
import { parseSimCli } from "./cli.ts";
import { flagValue, shrink, smallerSteps, withFlagValue } from "./shrink.ts";

const NO_GOSSIP = fileURLToPath(
  new URL("../../tests/fixtures/broadcast/no_gossip.ts", import.meta.url),
);

/** A sim command line for the never-gossiping broadcast fixture, with `flags` and a store. */
function _noGossipArgv(flags: string, store: string): string[] {
  return ["test", "-w", "broadcast", "--node", NO_GOSSIP, ...flags.split(" "), "--store", store];
}

Deno.test("flagValue() and withFlagValue() read, replace, add and remove a flag", () => {
  const argv = ["test", "--rate", "10", "--seed=4"];
  assert.equal(flagValue(argv, "--rate"), "10");
  assert.equal(flagValue(argv, "--seed"), "4");
  assert.equal(flagValue(argv, "--nemesis"), undefined);
  assert.deepEqual(withFlagValue(argv, "--rate", "5"), ["test", "--seed=4", "--rate", "5"]);
  assert.deepEqual(withFlagValue(argv, "--seed", undefined), ["test", "--rate", "10"]);
});

Deno.test("smallerSteps() tries the choice-keeping steps first, then redraws, down to the floor", () => {
  const defaults = { timeLimit: 60, nodeCount: 5, rate: 5, nemesisInterval: 10 };
  const steps = smallerSteps(["test", "--nemesis", "partition,kill", "--rate", "9"], defaults);
  assert.deepEqual(steps.map((s) => s.what), [
    "--time-limit 30",
    "--time-limit 45",
    "without partition",
    "without kill",
    "--node-count 4",
    "--rate 4",
    "--nemesis-interval 20",
  ]);
  assert.deepEqual(steps[2]?.argv, ["test", "--rate", "9", "--nemesis", "kill"]);
  assert.deepEqual(steps[3]?.argv, ["test", "--rate", "9", "--nemesis", "partition"]);
  // Two seconds: half and a quarter off are both 1 s, tried once.
  const short = smallerSteps(["test", "--time-limit", "2", "--node-count", "1", "--rate", "1"], {
    ...defaults,
  });
  assert.deepEqual(short.map((s) => s.what), ["--time-limit 1"]);
  const floor = ["test", "--time-limit", "1", "--node-count", "1", "--rate", "1"];
  assert.deepEqual(smallerSteps(floor, defaults), []);
  // No nemesis interval step without faults, nor one as long as the run.
  const longFaults = ["test", "--time-limit", "15", "--nemesis", "kill", "--nemesis-interval", "8"];
  assert.equal(
    smallerSteps(longFaults, defaults).some((s) => s.what.startsWith("--nemesis-interval")),
    false,
  );
});

Deno.test("a shorter --time-limit keeps the seed's choices: the history up to it is the same", async () => {
  const histories: string[][] = [];
  for (const timeLimit of [4, 8]) {
    const store = await Deno.makeTempDir({ prefix: "shrink-prefix-" });
    try {
      const argv = _noGossipArgv(
        `--node-count 3 --time-limit ${timeLimit} --rate 20 --nemesis partition,kill ` +
          "--nemesis-interval 1 --seed 7",
        store,
      );
      const run = await runTest({ ...await parseSimCli(argv, () => 1), quiet: true });
      const lines = (await Deno.readTextFile(`${run.storePath}/history.jsonl`)).split("\n");
      // Up to 3.5 s: the main phase of both runs, before the shorter one heals and stops.
      histories.push(lines.filter((line) => line !== "" && JSON.parse(line).time < 3.5e9));
    } finally {
      await Deno.remove(store, { recursive: true });
    }
  }
  const [short, long] = histories as [string[], string[]];
  assert.ok(short.length > 50, `only ${short.length} events`);
  assert.ok(short.some((line) => line.includes('"nemesis"')), "no fault in the prefix");
  assert.deepEqual(short, long);
});

Deno.test("shrink() finds a smaller command that still fails, and the smallest replays as failing", async () => {
  const store = await Deno.makeTempDir({ prefix: "shrink-" });
  try {
    const argv = _noGossipArgv(
      "--node-count 4 --time-limit 8 --rate 8 --nemesis partition --seed 3",
      store,
    );
    const found = await shrink(argv, 30_000);
    assert.ok(found.steps.length > 0, "nothing shrank");
    assert.ok(Number(flagValue(found.argv, "--time-limit")) < 8);
    assert.equal(found.stoppedEarly, false);
    // Whatever the steps, the smallest command is one that was run and failed: its store says so.
    const results = JSON.parse(await Deno.readTextFile(`${found.storePath}/results.json`));
    assert.equal(results.valid, false);
    await assert.rejects(
      shrink(_noGossipArgv("--node-count 1 --time-limit 1 --seed 1", store), 5_000),
      /does not fail/,
    );
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
