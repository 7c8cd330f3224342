import assert from "node:assert/strict";
import { History } from "../history.ts";
import { runPartitionNemesis } from "./partition_schedule.ts";
import { Network } from "../net/network.ts";
import { createRng } from "../rng.ts";
import { sleepUnless } from "../real_time.ts";

const NODES = ["n0", "n1", "n2", "n3", "n4"];

async function _run(seed: number): Promise<History> {
  const network = new Network({
    nodes: NODES,
    latency: 0,
    latencyDist: "constant",
    rng: createRng(1),
  });
  const history = new History();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 150);
  await runPartitionNemesis({
    nodes: NODES,
    intervalS: 0.005,
    rng: createRng(seed),
    links: { cut: (grudge) => network.setGrudge(grudge), heal: () => network.heal() },
    time: { sleep: sleepUnless },
    history,
    signal: controller.signal,
  });
  clearTimeout(timer);
  network.close();
  return history;
}

Deno.test("runPartitionNemesis() starts at once, then alternates stop and start", async () => {
  const history = await _run(3);
  const fs = history.ops.map((op) => op.f);
  assert.ok(fs.length >= 4, `only ${fs.length} ops`);
  fs.forEach((f, i) => assert.equal(f, i % 2 === 0 ? "start-partition" : "stop-partition"));
  assert.ok((history.ops[0]?.time ?? Infinity) < 50e6);
  for (const op of history.ops) assert.deepEqual([op.type, op.process], ["info", "nemesis"]);
  assert.equal(history.ops[1]?.value, "network-healed");
});

Deno.test("runPartitionNemesis() makes the same choices for the same seed", async () => {
  const a = (await _run(11)).ops.filter((op) => op.f === "start-partition").map((op) => op.value);
  const b = (await _run(11)).ops.filter((op) => op.f === "start-partition").map((op) => op.value);
  const n = Math.min(a.length, b.length);
  assert.ok(n >= 2);
  assert.deepEqual(a.slice(0, n), b.slice(0, n));
});
