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

Deno.test("SeqKv.handle() serves a read-only node a state older than another node's completed write", () => {
  const kv = new SeqKv(createRng(7));
  const n0 = _client(kv, "n0");
  const n1 = _client(kv, "n1");
  assert.deepEqual(n0({ type: "write", key: "x", value: 1 }), { type: "write_ok", in_reply_to: 1 });
  // n1 never wrote: it picks from [0, 1), the empty initial state, however often it asks.
  for (let i = 1; i <= 20; i++) {
    assert.deepEqual(n1({ type: "read", key: "x" }), {
      type: "error",
      code: 20,
      text: "key does not exist",
      in_reply_to: i,
    });
  }
  assert.equal(kv.lastVersion, 1);
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
  const kv = new SeqKv(createRng(7));
  const n0 = _client(kv, "n0");
  const n1 = _client(kv, "n1");
  n0({ type: "write", key: "x", value: 1 }); // state 1
  n1({ type: "write", key: "y", value: 0 }); // state 2, n1 at 2
  assert.deepEqual(n0({ type: "cas", key: "x", from: 1, to: 2 }), {
    type: "cas_ok",
    in_reply_to: 2,
  }); // state 3: x = 2
  // n1 picks from [2, 3): state 2, where x is still 1.
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

/** An Rng whose `int(n)` answers come from a script (`int(0)` is always 0). */
function _scriptedRng(ints: number[]): Rng {
  const queue = [...ints];
  const rng: Rng = {
    next: () => 0,
    int: (n) => (n === 0 ? 0 : queue.shift() ?? 0),
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
  // k0 was last written at 10000; before that at 9900, outside the kept window's start (9969).
  for (let i = 0; i < 20; i++) {
    assert.deepEqual(reader({ type: "read", key: "k0" }), {
      type: "read_ok",
      value: 9_900,
      in_reply_to: i + 1,
    });
  }
  // k80 was written at 9980: a reader in [9969, 10000) sees 9880 before it and 9980 after.
  const seen = new Set<number>();
  for (let i = 0; i < 50; i++) seen.add(_seen(reader({ type: "read", key: "k80" })));
  for (const v of seen) assert.ok(v === 9_880 || v === 9_980, `saw ${v}`);
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
