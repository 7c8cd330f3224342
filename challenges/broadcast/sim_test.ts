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

/** Asserts no name `(origin, seq)` on the wire ever stood for two values. */
function assertNamesUnique(sim: Sim): void {
  const names = new Map<string, number>();
  for (const { body } of sim.sent) {
    for (const [origin, seq, value] of body.items) {
      const key = `${origin},${seq}`;
      assert.equal(names.get(key) ?? value, value, `name (${key}) reused`);
      names.set(key, value);
    }
  }
}

/** Whether every node holds every value of `acked`. */
function holdAll(sim: Sim, acked: readonly number[]): boolean {
  return sim.cores.every((core) => {
    const held = new Set(core.read());
    return acked.every((v) => held.has(v));
  });
}

for (const mode of ["latency", "balanced", "efficient"] as Mode[]) {
  Deno.test(`Sim in ${mode} mode keeps every acknowledged value while nodes crash one at a time`, () => {
    const sim = new Sim(25, MODES[mode]);
    const rng = createRng(5);
    const acked: number[] = [];
    for (let v = 0; v < 600; v++) {
      const node = rng.int(25);
      sim.at(v * 20, () => {
        if (sim.broadcast(node, v)) acked.push(v);
      });
    }
    // Kill a node (the hub twice) every 2 s, for 1–2 s, one at a time.
    const victims = [0, ...rng.shuffle([...sim.ids.keys()].slice(1)).slice(0, 3), 0];
    victims.forEach((node, k) => {
      const at = 500 + k * 2300 + rng.int(200);
      sim.at(at, () => sim.kill(node));
      sim.at(at + 1000 + rng.int(1000), () => sim.restart(node));
    });
    sim.runUntil(12_000);
    assert.ok(acked.length > 500, `${acked.length} acked`);
    sim.runUntil(20_000);
    assert.equal(holdAll(sim, acked), true);
    assert.equal(sim.cores.every((core) => core.caughtUp(sim.now)), true);
    assertNamesUnique(sim);
    // And the cluster goes quiet again.
    sim.runUntil(40_000);
    assert.deepEqual(sim.sent.filter((m) => m.time > 30_000), []);
  });
}

Deno.test("Sim: a restarted hub recovers its unsent own value and the spokes' values", () => {
  const sim = new Sim(5, MODES.efficient);
  for (let v = 0; v < 20; v++) sim.at(100 * v, () => sim.broadcast(1 + v % 4, v));
  // The hub's own value waits for its next fan-out; it dies first.
  sim.at(2000, () => sim.broadcast(0, 100));
  sim.at(2001, () => sim.kill(0));
  // Sent up to a dead hub: only n2 and its journal hold it.
  sim.at(2500, () => sim.broadcast(2, 101));
  sim.at(3500, () => sim.restart(0));
  sim.at(3600, () => sim.broadcast(0, 102));
  sim.runUntil(3600);
  assert.equal(sim.cores[0]!.caughtUp(sim.now), false);
  sim.runUntil(8000);
  const all = [...Array.from({ length: 20 }, (_, v) => v), 100, 101, 102];
  assert.equal(holdAll(sim, all), true);
  assert.equal(sim.cores[0]!.incarnation, 2);
  assertNamesUnique(sim);
});

Deno.test("Sim in balanced mode keeps every acknowledged value when the hub and a spoke die together", () => {
  const sim = new Sim(25, MODES.balanced);
  const rng = createRng(7);
  const acked: number[] = [];
  for (let v = 0; v < 300; v++) {
    const node = rng.int(25);
    sim.at(v * 20, () => {
      if (sim.broadcast(node, v)) acked.push(v);
    });
  }
  sim.at(2000, () => [0, 9].forEach((node) => sim.kill(node)));
  sim.at(3000, () => sim.restart(9));
  sim.at(3200, () => sim.restart(0));
  sim.runUntil(12_000);
  assert.equal(holdAll(sim, acked), true);
  assertNamesUnique(sim);
});

Deno.test("Sim: a restarted spoke is caught up, back-filled, within a second", () => {
  const sim = new Sim(25, MODES.balanced);
  const rng = createRng(6);
  const acked: number[] = [];
  for (let v = 0; v < 300; v++) {
    const node = rng.int(25);
    sim.at(v * 20, () => {
      if (sim.broadcast(node, v)) acked.push(v);
    });
  }
  sim.at(2000, () => sim.kill(7));
  sim.at(3500, () => sim.restart(7));
  let readyAt = Infinity;
  for (let t = 3500; t < 8000; t += 10) {
    sim.at(t, () => {
      if (readyAt === Infinity && sim.cores[7]!.caughtUp(sim.now)) {
        readyAt = sim.now;
        // Everything acknowledged long enough ago to have reached the hub is there.
        const held = new Set(sim.cores[7]!.read());
        const old = acked.filter((v) => v * 20 < sim.now - 500);
        assert.deepEqual(old.filter((v) => !held.has(v)), []);
      }
    });
  }
  sim.runUntil(8000);
  assert.ok(readyAt - 3500 < 1000, `ready ${readyAt - 3500} ms after the restart`);
  assert.equal(holdAll(sim, acked), true);
});
