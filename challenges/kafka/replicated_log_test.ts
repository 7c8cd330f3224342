import { deepEqual, equal, throws } from "node:assert/strict";
import { createRng } from "../../harness/rng.ts";
import { type OffsetMsg, type ReplBody, ReplicatedLog } from "./replicated_log.ts";

Deno.test("ReplicatedLog on one node assigns dense offsets per key and polls up to the end", () => {
  const log = new ReplicatedLog("n0", ["n0"]);
  deepEqual([log.send("a", 10), log.send("a", 11), log.send("b", 20), log.send("a", 12)], [
    0,
    1,
    0,
    2,
  ]);
  deepEqual(log.poll({ a: 1, b: 0, c: 0 }), { a: [[1, 11], [2, 12]], b: [[0, 20]] });
  deepEqual(log.poll({ a: 3 }), {});
  equal(log.pendingChanges, 0);
});

Deno.test("ReplicatedLog.commit() only raises offsets and committed() omits unknown keys", () => {
  const log = new ReplicatedLog("n0", ["n0"]);
  log.commit({ a: 3, b: 1 });
  log.commit({ a: 2 });
  deepEqual(log.committed(["a", "b", "c"]), { a: 3, b: 1 });
});

Deno.test("ReplicatedLog rejects a node that is not in the list", () => {
  throws(() => new ReplicatedLog("n9", ["n0", "n1"]), RangeError);
});

Deno.test("ReplicatedLog on two nodes interleaves offsets and hides them until replicated", () => {
  const [a, b] = [new ReplicatedLog("n0", ["n0", "n1"]), new ReplicatedLog("n1", ["n0", "n1"])];
  deepEqual([a.send("k", "a0"), a.send("k", "a1"), b.send("k", "b0")], [0, 2, 1]);
  // n0 may show offset 0 (n1 never assigns it) but not 2: n1 might still assign 1.
  deepEqual(a.poll({ k: 0 }), { k: [[0, "a0"]] });
  deepEqual(b.poll({ k: 0 }), {});
  const ab = a.outgoing("n1", 0)!;
  const ba = b.outgoing("n0", 0)!;
  b.receive("n0", ab);
  a.receive("n1", ba);
  // Each message carried the sender's entries and its promise (n0: 4, n1: 3): frontier 3.
  const all: OffsetMsg[] = [[0, "a0"], [1, "b0"], [2, "a1"]];
  deepEqual(a.poll({ k: 0 }), { k: all });
  deepEqual(b.poll({ k: 0 }), { k: all });
  equal(b.send("k", "b1"), 3); // above everything n1 knows
  deepEqual(b.poll({ k: 3 }), { k: [[3, "b1"]] }); // n0 promised 4: nothing can land below
  deepEqual(a.poll({ k: 3 }), {}); // n0 hasn't got it yet
  a.receive("n1", b.outgoing("n0", 1)!);
  deepEqual(a.poll({ k: 2 }), { k: [[2, "a1"], [3, "b1"]] });
});

Deno.test("ReplicatedLog.outgoing() goes quiet after a change is delivered and acknowledged", () => {
  const [a, b] = [new ReplicatedLog("n0", ["n0", "n1"]), new ReplicatedLog("n1", ["n0", "n1"])];
  a.send("k", 1);
  a.send("k", 2);
  a.commit({ k: 0 });
  let messages = 0;
  for (let t = 0; t < 10; t++) {
    const ab = a.outgoing("n1", t * 10);
    const ba = b.outgoing("n0", t * 10);
    if (ab) b.receive("n0", ab), messages++;
    if (ba) a.receive("n1", ba), messages++;
  }
  equal(messages, 3); // entries; ack + n1's new promise; ack of that promise
  deepEqual(b.committed(["k"]), { k: 0 });
  equal(a.pendingChanges + b.pendingChanges, 0);
});

Deno.test("ReplicatedLog.outgoing() resends unacknowledged changes after rtoMs", () => {
  const a = new ReplicatedLog("n0", ["n0", "n1"], { rtoMs: 100 });
  a.send("k", 1);
  const first = a.outgoing("n1", 0)!; // lost
  equal(a.outgoing("n1", 50), undefined);
  const again = a.outgoing("n1", 100)!;
  deepEqual([again.seq, again.entries], [2, first.entries]);
});

/** A randomized network: loss, duplication, reordering; consumers check every poll. */
function simulate(seed: number, n: number): void {
  const rng = createRng(seed);
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  const nodes = ids.map((id) => new ReplicatedLog(id, ids, { rtoMs: 30 }));
  const inflight: { to: number; from: string; body: ReplBody }[] = [];
  const acked = new Map<string, Map<number, unknown>>(); // key → offset → msg (every ack'd send)
  const seen: { key: string; offsets: number[] }[] = []; // what each poll (from 0) returned
  const deliver = (lossy: boolean) => {
    const picks = rng.shuffle(inflight.splice(0));
    for (const m of picks) {
      if (lossy && rng.next() < 0.3) continue;
      if (rng.next() < 0.5 && lossy) inflight.push(m); // delayed: reordered behind later ones
      else nodes[m.to]!.receive(m.from, m.body);
      if (rng.next() < 0.1) nodes[m.to]!.receive(m.from, m.body); // duplicate
    }
  };
  for (let t = 0; t < 400; t++) {
    const lossy = t < 300;
    if (lossy) {
      for (let s = 0; s < 3; s++) {
        const node = rng.int(n), key = `k${rng.int(4)}`, msg = `${t}.${s}`;
        const offset = nodes[node]!.send(key, msg);
        const log = acked.get(key) ?? new Map<number, unknown>();
        equal(log.has(offset), false, `offset ${key}/${offset} assigned twice`);
        log.set(offset, msg);
        acked.set(key, log);
      }
    }
    for (const node of nodes) {
      const polled = node.poll({ k0: 0, k1: 0, k2: 0, k3: 0 });
      for (const [key, pairs] of Object.entries(polled)) {
        seen.push({ key, offsets: pairs.map(([offset]) => offset) });
        for (const [offset, msg] of pairs) equal(acked.get(key)?.get(offset), msg);
      }
    }
    for (const [i, node] of nodes.entries()) {
      for (const peer of ids) {
        const body = node.outgoing(peer, t * 10);
        if (body) inflight.push({ to: ids.indexOf(peer), from: ids[i]!, body });
      }
    }
    deliver(lossy);
  }
  // No poll skipped anything: every offset ever assigned below a poll's highest was in it.
  for (const { key, offsets } of seen) {
    const max = offsets.at(-1)!;
    const expected = [...acked.get(key)!.keys()].filter((o) => o <= max).sort((x, y) => x - y);
    deepEqual(offsets, expected, `seed ${seed}: a poll of ${key} skipped an offset`);
  }
  for (const node of nodes) {
    const all = node.poll({ k0: 0, k1: 0, k2: 0, k3: 0 });
    for (const [key, log] of acked) {
      deepEqual(all[key], [...log.entries()].sort((x, y) => x[0] - y[0]), `seed ${seed} ${key}`);
    }
    equal(node.pendingChanges, 0);
  }
  equal(seen.length > 0, true);
}

Deno.test("ReplicatedLog converges under loss, duplication and reordering (2 and 3 nodes)", () => {
  for (let seed = 1; seed <= 10; seed++) {
    simulate(seed, 2);
    simulate(seed, 3);
  }
});
