import assert from "node:assert/strict";
import { createRng, type Rng } from "../../harness/rng.ts";
import { type Outgoing, Replica } from "./replica.ts";
import type { Key, Mop, WriteSet } from "./store.ts";

const IDS = ["n0", "n1", "n2", "n3"];
const KEYS: Key[] = [0, 1, 2, 3];

interface _InFlight extends Outgoing {
  src: string;
  at: number;
}

/** A seeded run: random txns, ticks, delays, reordering and partitions, then a heal. */
function simulate(seed: number) {
  const rng: Rng = createRng(seed);
  const nodes = new Map(IDS.map((id) => [id, new Replica(id, IDS, { resendMs: 500 })]));
  const applied = new Map(IDS.map((id) => [id, new Set<string>()]));
  const past = new Map<string, string[]>(); // write set id -> what its node had applied
  const violations: string[] = [];
  for (const [id, replica] of nodes) {
    const seen = applied.get(id) ?? new Set<string>();
    const apply = replica.store.apply.bind(replica.store);
    replica.store.apply = (ws: WriteSet) => {
      const wsId = `${ws.origin}@${ws.ts}`;
      if (ws.origin === id) past.set(wsId, [...seen]);
      for (const dep of past.get(wsId) ?? []) {
        if (!seen.has(dep) && violations.length < 3) {
          violations.push(`${id}: ${wsId} before ${dep}`);
        }
      }
      seen.add(wsId);
      return apply(ws);
    };
  }
  let net: _InFlight[] = [];
  let cut = new Set<string>();
  let value = 0;
  for (let now = 0; now < 10_000; now += 10) {
    if (now % 2000 === 0) {
      cut = rng.next() < 0.5 ? new Set(rng.shuffle(IDS).slice(0, 2)) : new Set();
    }
    for (let i = 0; i < 3; i++) {
      const txn: Mop[] = Array.from(
        { length: 1 + rng.int(4) },
        () => rng.next() < 0.5 ? ["r", rng.pick(KEYS), null] : ["w", rng.pick(KEYS), ++value],
      );
      nodes.get(rng.pick(IDS))?.commit(txn);
    }
    if (now % 100 === 0) {
      for (const [src, replica] of nodes) {
        for (const out of replica.tick(now)) net.push({ ...out, src, at: now + rng.int(150) });
      }
    }
    const due = rng.shuffle(net.filter((m) => m.at <= now));
    net = net.filter((m) => m.at > now);
    for (const m of due) {
      if (cut.has(m.src) !== cut.has(m.dest)) continue; // partitioned: lost
      nodes.get(m.dest)?.receive(m.src, m.body, now);
    }
  }
  // Heal: ticks and deliveries until every peer has caught up.
  for (let now = 10_000; now < 15_000; now += 100) {
    for (const [src, replica] of nodes) {
      for (const { dest, body } of replica.tick(now)) nodes.get(dest)?.receive(src, body, now);
    }
  }
  return { nodes, violations };
}

for (const seed of [1, 2, 3]) {
  Deno.test(`Replica converges causally under loss, delay and reordering (seed ${seed})`, () => {
    const { nodes, violations } = simulate(seed);
    assert.deepEqual(violations, []);
    const states = [...nodes.values()].map((r) => KEYS.map((k) => r.store.read(k)));
    for (const state of states) assert.deepEqual(state, states[0]);
    assert.equal(states[0]?.every((v) => typeof v === "number"), true);
  });
}
