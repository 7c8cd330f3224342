import assert from "node:assert/strict";
import { createRng, type Rng } from "../../harness/rng.ts";
import { type Outgoing, Replica } from "./replica.ts";
import { isNewer, type Key, type Mop, type WriteSet } from "./store.ts";

const IDS = ["n0", "n1", "n2", "n3"];
const KEYS: Key[] = [0, 1, 2, 3];

interface _InFlight extends Outgoing {
  src: string;
  at: number;
}

/** One node's disk: what its write-ahead log holds (write sets in order, the last trim). */
interface _Disk {
  writeSets: WriteSet[];
  trimmed: number;
  incarnation: number;
}

/**
 * A seeded run: random txns, ticks, delays, reordering, partitions and, with `crashes`, nodes
 * killed and restarted from their logs (writes not yet logged are lost with the process); then
 * a heal. Logs are written at random moments, as a group commit lags its commits; a txn counts
 * as acknowledged once its write set is logged.
 */
function simulate(seed: number, crashes: boolean) {
  const rng: Rng = createRng(seed);
  const disks = new Map<string, _Disk>(
    IDS.map((id) => [id, { writeSets: [], trimmed: 0, incarnation: 1 }]),
  );
  const nodes = new Map<string, Replica>();
  const applied = new Map(IDS.map((id) => [id, new Set<string>()]));
  const past = new Map<string, string[]>(); // write set id -> what its node had applied
  const violations: string[] = [];
  const acked: WriteSet[] = [];
  const start = (id: string) => {
    const disk = disks.get(id) as _Disk;
    const recovery = { ...disk, writeSets: [...disk.writeSets] };
    const replica = new Replica(id, IDS, { resendMs: 500, recovery });
    const seen = new Set(disk.writeSets.map((ws) => `${ws.origin}@${ws.ts}`));
    applied.set(id, seen);
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
    nodes.set(id, replica);
  };
  const persist = (id: string) => {
    const replica = nodes.get(id) as Replica;
    const disk = disks.get(id) as _Disk;
    const { writeSets, trimmed } = replica.drain();
    disk.writeSets.push(...writeSets);
    if (trimmed !== undefined) disk.trimmed = trimmed;
    replica.markDurable();
    acked.push(...writeSets.filter((ws) => ws.origin === id));
  };
  for (const id of IDS) start(id);
  let net: _InFlight[] = [];
  let cut = new Set<string>();
  let value = 0;
  let kills = 0;
  for (let now = 0; now < 10_000; now += 10) {
    if (now % 2000 === 0) {
      cut = rng.next() < 0.5 ? new Set(rng.shuffle(IDS).slice(0, 2)) : new Set();
    }
    if (crashes && now % 700 === 350) {
      const id = rng.pick(IDS);
      (disks.get(id) as _Disk).incarnation++;
      start(id); // Whatever it had not logged is gone.
      kills++;
    }
    for (let i = 0; i < 3; i++) {
      const txn: Mop[] = Array.from(
        { length: 1 + rng.int(4) },
        () => rng.next() < 0.5 ? ["r", rng.pick(KEYS), null] : ["w", rng.pick(KEYS), ++value],
      );
      nodes.get(rng.pick(IDS))?.commit(txn);
    }
    for (const id of IDS) if (rng.next() < 0.5) persist(id);
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
  // Heal: ticks and deliveries (late messages of dead incarnations too) until all caught up.
  for (let now = 10_000; now < 15_000; now += 100) {
    for (const id of IDS) persist(id);
    for (const m of net) nodes.get(m.dest)?.receive(m.src, m.body, now);
    net = [];
    for (const [src, replica] of nodes) {
      for (const { dest, body } of replica.tick(now)) nodes.get(dest)?.receive(src, body, now);
    }
  }
  return { nodes, violations, acked, kills };
}

for (const seed of [1, 2, 3]) {
  Deno.test(`Replica converges causally under loss, delay and reordering (seed ${seed})`, () => {
    const { nodes, violations } = simulate(seed, false);
    assert.deepEqual(violations, []);
    const states = [...nodes.values()].map((r) => KEYS.map((k) => r.store.read(k)));
    for (const state of states) assert.deepEqual(state, states[0]);
    assert.equal(states[0]?.every((v) => typeof v === "number"), true);
  });

  Deno.test(`Replica keeps every acknowledged write across kills and restarts (seed ${seed})`, () => {
    const { nodes, violations, acked, kills } = simulate(seed, true);
    assert.ok(kills >= 10);
    assert.deepEqual(violations, []);
    const states = [...nodes.values()].map((r) => KEYS.map((k) => r.store.read(k)));
    for (const state of states) assert.deepEqual(state, states[0]);
    // Each key holds the newest acknowledged write to it, or a newer one (values are unique).
    const versionOf = new Map<unknown, WriteSet>();
    for (const ws of acked) for (const [, v] of ws.writes) versionOf.set(v, ws);
    for (const [i, key] of KEYS.entries()) {
      const newest = acked.filter((ws) => ws.writes.some(([k]) => k === key)).reduce<
        WriteSet | undefined
      >((a, b) => a === undefined || isNewer(b.ts, b.origin, a) ? b : a, undefined);
      if (newest === undefined) continue;
      const held = versionOf.get(states[0]?.[i]);
      assert.ok(held !== undefined, `key ${key}: ${states[0]?.[i]} is no acknowledged write`);
      assert.ok(
        held === newest || isNewer(held.ts, held.origin, newest),
        `key ${key}: holds ${held.origin}@${held.ts}, acknowledged ${newest.origin}@${newest.ts}`,
      );
    }
  });
}
