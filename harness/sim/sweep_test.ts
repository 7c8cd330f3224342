import assert from "node:assert/strict";
import { dealSeeds, formatSweep, mergeSweeps, splitSweepArgs } from "./sweep.ts";

Deno.test("splitSweepArgs() reads the range, the shard and the workers, and leaves the rest", () => {
  assert.equal(splitSweepArgs(["test", "-w", "echo", "--seed", "3"]), undefined);
  const all = splitSweepArgs(["test", "--seeds", "1..10", "-w", "echo"], 2);
  assert.deepEqual(all, {
    seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    shard: [1, 1],
    workers: 2,
    rest: ["test", "-w", "echo"],
  });
  const shards = [1, 2, 3].map((i) =>
    splitSweepArgs(["--seeds=1..10", "--shard", `${i}/3`])?.seeds
  );
  assert.deepEqual(shards, [[1, 4, 7, 10], [2, 5, 8], [3, 6, 9]]);
  assert.deepEqual(splitSweepArgs(["--seeds", "7", "--workers", "4"])?.seeds, [7]);
  assert.throws(() => splitSweepArgs(["--seeds", "5..1"]), /A <= B/);
  assert.throws(() => splitSweepArgs(["--seeds", "1..5", "--shard", "4/3"]), /1 <= i <= n/);
  assert.throws(() => splitSweepArgs(["--seeds", "1..5", "--seed", "2"]), /exclude each other/);
  assert.throws(() => splitSweepArgs(["--shard", "1/2"]), /go with --seeds/);
});

Deno.test("dealSeeds() deals round robin, never to more workers than seeds", () => {
  assert.deepEqual(dealSeeds([1, 2, 3, 4, 5], 2), [[1, 3, 5], [2, 4]]);
  assert.deepEqual(dealSeeds([9], 4), [[9]]);
});

Deno.test("formatSweep() counts verdicts and names each failing seed with its replay", () => {
  const text = formatSweep({
    argv: ["test", "-w", "echo", "--node", "n.ts"],
    shard: [2, 3],
    results: [
      { seed: 4, valid: false, exitCode: 1, reason: "workload", storePath: "s/4" },
      { seed: 1, valid: true, exitCode: 0 },
      { seed: 7, valid: "unknown", exitCode: 2 },
    ],
  });
  assert.equal(
    text,
    [
      "3 seeds (shard 2/3): 1 valid, 1 invalid, 1 unknown, 0 not run",
      "  seed 4: INVALID (workload)",
      "    replay: deno task sim test -w echo --node n.ts --seed 4",
      "    store: s/4",
      "  seed 7: UNKNOWN",
      "    replay: deno task sim test -w echo --node n.ts --seed 7",
    ].join("\n"),
  );
});

Deno.test("mergeSweeps() joins shards of one command line and refuses others", () => {
  const argv = ["test", "-w", "echo"];
  const merged = mergeSweeps([
    { argv, shard: [2, 2], results: [{ seed: 2, valid: true, exitCode: 0 }] },
    { argv, shard: [1, 2], results: [{ seed: 1, valid: false, exitCode: 1 }] },
  ]);
  assert.deepEqual(merged.results.map((r) => r.seed), [1, 2]);
  assert.deepEqual(merged.shard, [1, 1]);
  assert.throws(
    () =>
      mergeSweeps([{ argv, shard: [1, 1], results: [] }, {
        argv: ["x"],
        shard: [1, 1],
        results: [],
      }]),
    /different command lines/,
  );
});
