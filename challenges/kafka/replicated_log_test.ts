import { deepEqual, equal, throws } from "node:assert/strict";
import { createRng } from "../../harness/rng.ts";
import type { LogRecord } from "./log_record.ts";
import {
  type OffsetMsg,
  type ReplBody,
  ReplicatedLog,
  type ReplicatedLogOptions,
} from "./replicated_log.ts";

/** A node whose journal records land in `journal`, as JSON read back from a file would. */
function journaled(
  self: string,
  nodes: string[],
  journal: unknown[],
  options: ReplicatedLogOptions = {},
): ReplicatedLog {
  const onRecord = (record: LogRecord) => journal.push(JSON.parse(JSON.stringify(record)));
  return ReplicatedLog.recover(self, nodes, [...journal], { ...options, onRecord });
}

/** Delivers messages both ways until neither node has anything to say. */
function exchange(a: ReplicatedLog, b: ReplicatedLog, ids: [string, string], t0 = 0): number {
  let messages = 0;
  for (let t = t0; t < t0 + 20; t++) {
    const ab = a.outgoing(ids[1], t * 1000);
    const ba = b.outgoing(ids[0], t * 1000);
    if (ab) b.receive(ids[0], ab), messages++;
    if (ba) a.receive(ids[1], ba), messages++;
  }
  return messages;
}

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

Deno.test("ReplicatedLog.recover() replays a previous boot's journal and never reuses an offset", () => {
  const ids = ["n0", "n1"];
  const journal: unknown[] = [];
  const a = journaled("n0", ids, journal);
  const b = new ReplicatedLog("n1", ids);
  equal(a.incarnation, 1);
  deepEqual([a.send("k", "a0"), a.send("k", "a2")], [0, 2]);
  b.send("k", "b1");
  for (let i = 0; i < 7; i++) b.send("j", `b${i}`); // n1's j offsets 1…13: n0 must go above
  exchange(a, b, ["n0", "n1"]);
  a.commit({ k: 1 });
  equal(a.send("k", "a4"), 4); // acknowledged, not yet replicated
  const promised = a.outgoing("n1", 100_000)!.promises; // lost: n0 dies now
  deepEqual(promised, { k: 6 });
  deepEqual(journal.map((r) => (r as unknown[])[0]), ["boot", "e", "e", "p", "c", "e"]);
  const a2 = journaled("n0", ids, journal);
  equal(a2.incarnation, 2);
  deepEqual(journal.at(-1), ["boot", 2, "n0", ids]);
  // Its own entries and commits are back; peers' entries come back by replication.
  deepEqual(a2.committed(["k"]), { k: 1 });
  equal(a2.send("k", "a6"), 6); // above the promise 6 the old boot published
  equal(a2.send("j", "a14"), 14); // above n1's j entries, which it knew and promised past
  deepEqual(a2.poll({ k: 0 }), { k: [[0, "a0"]] }); // n1 not heard yet: its promise is 1
});

Deno.test("ReplicatedLog.recover() refuses another node's journal", () => {
  const journal: unknown[] = [];
  journaled("n0", ["n0", "n1"], journal);
  throws(() => journaled("n1", ["n0", "n1"], journal), /belongs to n0/);
  throws(() => journaled("n0", ["n0", "n1", "n2"], journal), /belongs to n0/);
  throws(() => journaled("n0", ["n0", "n1"], [["x"]]), TypeError);
});

Deno.test("ReplicatedLog: a peer detects a new incarnation, resets its link and both back-fill", () => {
  const ids: [string, string] = ["n0", "n1"];
  const journal: unknown[] = [];
  const a = journaled("n0", ids, journal);
  const b = new ReplicatedLog("n1", ids, { rtoMs: 100 });
  for (let i = 0; i < 5; i++) a.send("k", `a${i}`), b.send("k", `b${i}`);
  exchange(a, b, ids);
  equal(b.pendingChanges, 0); // pruned: a new boot of n0 can only get a snapshot of n1
  a.send("k", "a-late"); // offset 10, acknowledged and journaled, never replicated
  const stale = a.outgoing("n1", 50_000)!; // in flight while n0 dies
  const a2 = journaled("n0", ids, journal, { rtoMs: 100 });
  // The new boot greets n1 at once; n1 resets its link and answers with a snapshot.
  const hello = a2.outgoing("n1", 0)!;
  deepEqual([hello.inc, hello.ack_inc, hello.ack], [2, 0, 0]);
  deepEqual(hello.entries.map(([, offset]) => offset), [0, 2, 4, 6, 8, 10]);
  b.receive("n0", hello);
  const snapshot = b.outgoing("n0", 0)!;
  deepEqual([snapshot.inc, snapshot.ack_inc, snapshot.ack], [1, 2, hello.seq]);
  deepEqual(snapshot.entries.map(([, offset]) => offset), [1, 3, 5, 7, 9]);
  b.receive("n0", stale); // from the dead boot: dropped
  a2.receive("n1", snapshot);
  exchange(a2, b, ids, 1);
  const all = b.poll({ k: 0 }).k!;
  deepEqual(all.map(([offset]) => offset), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  deepEqual(a2.poll({ k: 0 }), { k: all });
  equal(a2.pendingChanges + b.pendingChanges, 0);
});

Deno.test("ReplicatedLog: acks of an earlier incarnation don't count and its promises wait", () => {
  const ids: [string, string] = ["n0", "n1"];
  const journal: unknown[] = [];
  const a = journaled("n0", ids, journal, { rtoMs: 100 });
  const b = new ReplicatedLog("n1", ids, { rtoMs: 100 });
  a.send("k", "a0");
  exchange(a, b, ids);
  const a2 = journaled("n0", ids, journal, { rtoMs: 100 });
  b.send("k", "b1");
  // Built on acks of n0's first boot: n0's new boot takes the entry but not the promise (3)…
  const old = b.outgoing("n0", 0)!;
  deepEqual([old.ack_inc, old.promises], [1, { k: 3 }]);
  a2.receive("n1", old);
  deepEqual(a2.poll({ k: 0 }), { k: [[0, "a0"]] });
  // …doesn't acknowledge it, and answers at once with its incarnation.
  const reply = a2.outgoing("n1", 0)!;
  deepEqual([reply.inc, reply.ack_inc, reply.ack], [2, 1, 0]);
  b.receive("n0", reply);
  const again = b.outgoing("n0", 1)!; // a snapshot built for the new boot
  deepEqual([again.ack_inc, again.promises], [2, { k: 3 }]);
  a2.receive("n1", again);
  deepEqual(a2.poll({ k: 0 }), { k: [[0, "a0"], [1, "b1"]] });
});

/** A randomized network: loss, duplication, reordering; consumers check every poll. */
function simulate(seed: number, n: number, crashes = false): void {
  const rng = createRng(seed);
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  const journals: unknown[][] = ids.map(() => []);
  const boot = (i: number) => journaled(ids[i]!, ids, journals[i]!, { rtoMs: 30 });
  const nodes = ids.map((_, i) => boot(i));
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
    if (crashes && lossy && rng.next() < 0.03) {
      // A crash: a send still waiting for its write is lost with the process (never
      // acknowledged), and a new process starts from the journal; messages in flight stay so.
      const i = rng.int(n);
      const durable = journals[i]!.length;
      nodes[i]!.send(`k${rng.int(4)}`, `lost ${t}`);
      journals[i]!.length = durable;
      nodes[i] = boot(i);
    }
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

Deno.test("ReplicatedLog loses no acknowledged entry and skips none when nodes crash and recover", () => {
  for (let seed = 1; seed <= 10; seed++) {
    simulate(seed, 2, true);
    simulate(seed, 3, true);
  }
});
