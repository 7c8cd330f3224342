import assert from "node:assert/strict";
import type { Body } from "../../lib/message.ts";
import { createRng, type Rng } from "../rng.ts";
import { LinKv } from "./lin_kv.ts";
import { SeqKv } from "./seq_kv.ts";

function _client(kv: { handle(src: string, body: Body): Body | undefined }, src: string) {
  let msgId = 0;
  return (body: Body): Body => {
    const reply = kv.handle(src, { ...body, msg_id: ++msgId });
    if (reply === undefined) throw new Error("no reply");
    return reply;
  };
}

/** The value a read saw, or -1 when the key was missing. */
function _seen(reply: Body): number {
  if (reply.type === "error") return -1;
  assert.equal(typeof reply.value, "number");
  return reply.value as number;
}

Deno.test("SeqKv.handle() serves a read-only node states in [c, L], the newest included", () => {
  const kv = new SeqKv(createRng(7));
  const n0 = _client(kv, "n0");
  const n1 = _client(kv, "n1");
  assert.deepEqual(n0({ type: "write", key: "x", value: 1 }), { type: "write_ok", in_reply_to: 1 });
  // n1 never wrote: it picks uniformly from [0, 1], so it may see the empty initial state (20)
  // until it first reads state 1, and from then on always state 1 (its reads are monotonic).
  const seen = Array.from({ length: 40 }, () => _seen(n1({ type: "read", key: "x" })));
  const first = seen.indexOf(1);
  assert.ok(first >= 0, `a pure reader must reach the newest state: ${seen}`);
  assert.ok(seen.slice(0, first).every((v) => v === -1));
  assert.ok(seen.slice(first).every((v) => v === 1));
  assert.equal(kv.lastVersion, 1);
});

Deno.test("SeqKv.handle() draws a pure reader's state uniformly over [c, L]", () => {
  // Ten writes by n0 make states 0…10; a fresh reader's first read picks one of the 11.
  const counts = new Array<number>(11).fill(0);
  for (let trial = 0; trial < 11_000; trial++) {
    const kv = new SeqKv(createRng(trial));
    const n0 = _client(kv, "n0");
    for (let v = 1; v <= 10; v++) n0({ type: "write", key: "x", value: v });
    const seen = _seen(_client(kv, "reader")({ type: "read", key: "x" }));
    counts[seen === -1 ? 0 : seen]! += 1;
  }
  // Each state expects 1000; 5 standard deviations is about ±150.
  for (const [state, n] of counts.entries()) {
    assert.ok(n > 850 && n < 1150, `state ${state} served ${n} times of 11000: ${counts}`);
  }
});

Deno.test("SeqKv.handle() never serves a node a state older than its own last write", () => {
  const kv = new SeqKv(createRng(3));
  const n0 = _client(kv, "n0");
  const n1 = _client(kv, "n1");
  for (let v = 1; v <= 20; v++) {
    n0({ type: "write", key: "x", value: v });
    n1({ type: "write", key: "y", value: v });
    // n0 wrote x = v at some state; every later read of its own is at or after that state.
    assert.ok(_seen(n0({ type: "read", key: "x" })) >= v);
    assert.equal(_seen(n1({ type: "read", key: "y" })), v);
  }
});

Deno.test("SeqKv.handle() shows a node the latest state right after its own write", () => {
  const kv = new SeqKv(createRng(7));
  const n0 = _client(kv, "n0");
  const n1 = _client(kv, "n1");
  n0({ type: "write", key: "x", value: 1 });
  n0({ type: "write", key: "x", value: 2 });
  n1({ type: "write", key: "y", value: 0 });
  for (let i = 0; i < 10; i++) {
    assert.deepEqual(n1({ type: "read", key: "x" }), {
      type: "read_ok",
      value: 2,
      in_reply_to: i + 2,
    });
  }
});

Deno.test("SeqKv.handle() can fail a cas with 22 against a stale state", () => {
  // Every draw picks the oldest state the node may see.
  const kv = new SeqKv(_scriptedRng([]));
  const n0 = _client(kv, "n0");
  const n1 = _client(kv, "n1");
  n0({ type: "write", key: "x", value: 1 }); // state 1
  n1({ type: "write", key: "y", value: 0 }); // state 2, n1 at 2
  assert.deepEqual(n0({ type: "cas", key: "x", from: 1, to: 2 }), {
    type: "cas_ok",
    in_reply_to: 2,
  }); // state 3: x = 2
  // n1 picks from [2, 3] and draws state 2, where x is still 1.
  assert.deepEqual(n1({ type: "cas", key: "x", from: 2, to: 3 }), {
    type: "error",
    code: 22,
    text: "current value 1 is not 2",
    in_reply_to: 2,
  });
  assert.equal(kv.lastVersion, 3);
});

Deno.test("SeqKv.handle() appends no state for a write of the current value", () => {
  const kv = new SeqKv(createRng(7));
  const n0 = _client(kv, "n0");
  n0({ type: "write", key: "x", value: [1, { a: 2 }] });
  n0({ type: "write", key: "x", value: [1, { a: 2 }] });
  n0({ type: "cas", key: "x", from: [1, { a: 2 }], to: [1, { a: 2 }] });
  assert.equal(kv.lastVersion, 1);
});

Deno.test("SeqKv.handle() keeps each node's reads monotonic by default, even far behind", () => {
  const rng = createRng(42);
  const kv = new SeqKv(createRng(43));
  const writers = ["n0", "n1", "n2"].map((src) => _client(kv, src));
  const readers = ["n3", "n4"].map((src) => _client(kv, src));
  const lastSeen = [-1, -1];
  let value = 0;
  let staleReads = 0;
  for (let step = 0; step < 3000; step++) {
    if (rng.next() < 0.5) {
      rng.pick(writers)({ type: "write", key: "x", value: ++value });
    } else {
      const r = rng.int(readers.length);
      const seen = _seen((readers[r] as (b: Body) => Body)({ type: "read", key: "x" }));
      assert.ok(
        seen >= (lastSeen[r] as number),
        `reader ${r} went back from ${lastSeen[r]} to ${seen}`,
      );
      if (seen < value) staleReads++;
      lastSeen[r] = seen;
    }
  }
  assert.ok(staleReads > 0);
  assert.equal(kv.retainedVersions, 32);
});

/** An Rng whose `int(n)` answers come from a script (`int(0)` and `int(1)` are always 0). */
function _scriptedRng(ints: number[]): Rng {
  const queue = [...ints];
  const rng: Rng = {
    next: () => 0,
    int: (n) => (n <= 1 ? 0 : queue.shift() ?? 0),
    uniform: (lo) => lo,
    pick: <T>(items: readonly T[]) => items[0] as T,
    shuffle: <T>(items: readonly T[]) => [...items],
    fork: () => rng,
  };
  return rng;
}

Deno.test("SeqKv.handle() with compat wraps modulo 32 and can go back in time", () => {
  const kv = new SeqKv(_scriptedRng([8, 1]), { compat: true });
  const writer = _client(kv, "n0");
  const reader = _client(kv, "n1");
  for (let v = 1; v <= 40; v++) writer({ type: "write", key: "x", value: v });
  // i = 8 is 32 states behind 40: the ring lookup wraps to state 40 itself.
  assert.equal(_seen(reader({ type: "read", key: "x" })), 40);
  // i = 9 is 31 behind: state 9, older than what this reader already saw.
  assert.equal(_seen(reader({ type: "read", key: "x" })), 9);
});

Deno.test("SeqKv.handle() without compat clamps a far-behind node to the oldest kept state", () => {
  const kv = new SeqKv(_scriptedRng([8, 1]));
  const writer = _client(kv, "n0");
  const reader = _client(kv, "n1");
  for (let v = 1; v <= 40; v++) writer({ type: "write", key: "x", value: v });
  assert.equal(kv.oldestVersion, 9);
  assert.equal(_seen(reader({ type: "read", key: "x" })), 17);
  assert.equal(_seen(reader({ type: "read", key: "x" })), 18);
});

Deno.test("SeqKv keeps at most 32 states after 10k writes and reads within them", () => {
  const kv = new SeqKv(createRng(9));
  const writer = _client(kv, "n0");
  for (let v = 1; v <= 10_000; v++) writer({ type: "write", key: `k${v % 100}`, value: v });
  assert.equal(kv.lastVersion, 10_000);
  assert.equal(kv.retainedVersions, 32);
  assert.equal(kv.oldestVersion, 9_969);
  assert.equal(kv.undoRecords, 32);
  const reader = _client(kv, "n1");
  // k0 was last written at 10000 and before that at 9900: a reader clamped to [9969, 10000] sees
  // 9900 until it draws state 10000, then 10000 for good.
  const k0 = Array.from({ length: 60 }, () => _seen(reader({ type: "read", key: "k0" })));
  for (const v of k0) assert.ok(v === 9_900 || v === 10_000, `saw ${v}`);
  assert.deepEqual([...k0].sort((a, b) => a - b), k0, "reads stay monotonic");
  // k80 was written at 9980: the reader, now at state 10000, sees 9980.
  assert.equal(_seen(reader({ type: "read", key: "k80" })), 9_980);
});

Deno.test("LinKv.handle() never serves a stale read", () => {
  const rng = createRng(11);
  const kv = new LinKv();
  const clients = ["n0", "n1", "n2"].map((src) => _client(kv, src));
  let value = 0;
  for (let step = 0; step < 1000; step++) {
    const c = rng.pick(clients);
    if (rng.next() < 0.5) c({ type: "write", key: "x", value: ++value });
    else assert.equal(_seen(c({ type: "read", key: "x" })), value === 0 ? -1 : value);
  }
});
