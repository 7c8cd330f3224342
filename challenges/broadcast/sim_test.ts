import assert from "node:assert/strict";
import { createRng } from "../../harness/rng.ts";
import { type Mode, MODES } from "./core.ts";
import { Sim } from "./_sim.ts";

/** Schedules `count` broadcasts of 0, 1, … at random nodes, spread evenly over [from, to) ms. */
function load(sim: Sim, count: number, from: number, to: number, seed = 1): number[] {
  const rng = createRng(seed);
  const origins: number[] = [];
  for (let v = 0; v < count; v++) {
    const node = rng.int(sim.ids.length);
    origins.push(node);
    sim.at(from + (to - from) * v / count, () => sim.broadcast(node, v));
  }
  return origins;
}

for (const mode of ["latency", "balanced", "efficient"] as Mode[]) {
  Deno.test(`Sim in ${mode} mode delivers everything once, without repairs, then goes quiet`, () => {
    const sim = new Sim(25, MODES[mode]);
    const origins = load(sim, 400, 0, 8000);
    sim.runUntil(25_000);
    assert.equal(sim.converged(400), true);
    assert.equal(sim.duplicates, 0);
    const data = sim.sent.filter((m) => m.body.items.length > 0);
    if (mode === "latency") assert.equal(data.length, 400 * 24);
    else {
      const spokeValues = origins.filter((o) => o !== 0).length;
      assert.equal(data.filter((m) => m.body.via === "up").length, spokeValues);
      // One fan-out per hub tick and spoke at most (none when a tick has nothing new).
      const ticks = Math.ceil(8000 / MODES[mode].tickMs) + 1;
      assert.ok(data.filter((m) => m.body.via === "down").length <= ticks * 24);
    }
    // Settling takes one spoke heartbeat plus at most one hub heartbeat after the load.
    assert.deepEqual(sim.sent.filter((m) => m.time > 16_000), []);
    assert.equal(sim.ids.every((id) => sim.cores[0]!.inSync(id) || id === "n0"), true);
  });
}

for (const mode of ["latency", "balanced", "efficient"] as Mode[]) {
  Deno.test(`Sim in ${mode} mode recovers every value after the hub was isolated`, () => {
    const sim = new Sim(25, MODES[mode]);
    load(sim, 300, 0, 6000, 2);
    sim.at(1000, () => sim.partition([0]));
    sim.at(6000, () => sim.heal());
    sim.runUntil(6000);
    assert.equal(sim.converged(300), false);
    sim.runUntil(10_000);
    assert.equal(sim.converged(300), true);
    sim.runUntil(30_000);
    assert.deepEqual(sim.sent.filter((m) => m.time > 20_000), []);
  });
}

Deno.test("Sim in latency mode recovers from alternating majority splits", () => {
  const sim = new Sim(25, MODES.latency);
  const rng = createRng(3);
  load(sim, 500, 0, 10_000, 3);
  for (let t = 0; t < 10_000; t += 2000) {
    const side = rng.shuffle([...sim.ids.keys()]).slice(0, 12);
    sim.at(t, () => sim.partition(side));
    sim.at(t + 1000, () => sim.heal());
  }
  sim.runUntil(15_000);
  assert.equal(sim.converged(500), true);
});

Deno.test("Sim resends at a bounded rate while a spoke stays cut off", () => {
  const sim = new Sim(25, MODES.efficient);
  load(sim, 100, 0, 2000, 4);
  sim.partition([5]);
  sim.runUntil(32_000);
  // After the load, the hub and n5 each send at most one sync per heartbeat period.
  const link = sim.sent.filter((m) =>
    m.time >= 2000 && (m.src === "n5" || m.dest === "n5") && m.body.via !== "direct"
  );
  const perSide = Math.ceil(30_000 / MODES.efficient.heartbeatMs) + 1;
  assert.ok(link.length <= 2 * perSide, `${link.length} messages on the cut link`);
  assert.ok(link.length >= perSide, `${link.length} messages on the cut link`);
  // Nothing else talks: the other spokes are in sync with the hub.
  assert.deepEqual(
    sim.sent.filter((m) => m.time >= 10_000 && m.src !== "n5" && m.dest !== "n5"),
    [],
  );
  sim.heal();
  sim.runUntil(36_000);
  assert.equal(sim.converged(100), true);
});
