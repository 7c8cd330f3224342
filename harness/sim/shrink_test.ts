import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { flagValue, shrink, smallerSteps, withFlagValue } from "./shrink.ts";

const NO_GOSSIP = fileURLToPath(new URL("../../tests/fixtures/sim/no_gossip.ts", import.meta.url));

Deno.test("flagValue() and withFlagValue() read, replace, add and remove a flag", () => {
  const argv = ["test", "--rate", "10", "--seed=4"];
  assert.equal(flagValue(argv, "--rate"), "10");
  assert.equal(flagValue(argv, "--seed"), "4");
  assert.equal(flagValue(argv, "--nemesis"), undefined);
  assert.deepEqual(withFlagValue(argv, "--rate", "5"), ["test", "--seed=4", "--rate", "5"]);
  assert.deepEqual(withFlagValue(argv, "--seed", undefined), ["test", "--rate", "10"]);
});

Deno.test("smallerSteps() halves time and rate, drops a node and each fault, down to the floor", () => {
  const defaults = { timeLimit: 60, nodeCount: 5, rate: 5 };
  const steps = smallerSteps(["test", "--nemesis", "partition,kill", "--rate", "9"], defaults);
  assert.deepEqual(steps.map((s) => s.what), [
    "--time-limit 30",
    "--node-count 4",
    "--rate 4",
    "without partition",
    "without kill",
  ]);
  assert.deepEqual(steps[3]?.argv, ["test", "--rate", "9", "--nemesis", "kill"]);
  assert.deepEqual(steps[4]?.argv, ["test", "--rate", "9", "--nemesis", "partition"]);
  const floor = ["test", "--time-limit", "1", "--node-count", "1", "--rate", "1"];
  assert.deepEqual(smallerSteps(floor, defaults), []);
});

Deno.test("shrink() finds a smaller command that still fails, and the smallest replays as failing", async () => {
  const store = await Deno.makeTempDir({ prefix: "shrink-" });
  try {
    const argv = [
      "test",
      "-w",
      "broadcast",
      "--node",
      NO_GOSSIP,
      "--node-count",
      "4",
      "--time-limit",
      "8",
      "--rate",
      "8",
      "--nemesis",
      "partition",
      "--seed",
      "3",
      "--store",
      store,
    ];
    const found = await shrink(argv, 30_000);
    assert.ok(found.steps.length > 0, "nothing shrank");
    assert.ok(Number(flagValue(found.argv, "--time-limit")) < 8);
    assert.equal(found.stoppedEarly, false);
    // Whatever the steps, the smallest command is one that was run and failed: its store says so.
    const results = JSON.parse(await Deno.readTextFile(`${found.storePath}/results.json`));
    assert.equal(results.valid, false);
    await assert.rejects(
      shrink([
        ...argv.slice(0, 5),
        "--node-count",
        "1",
        "--time-limit",
        "1",
        "--seed",
        "1",
        "--store",
        store,
      ], 5_000),
      /does not fail/,
    );
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
