import { deepEqual, rejects } from "node:assert/strict";
import type { KVClient } from "../../lib/kv.ts";
import { RPCError } from "../../lib/rpc_error.ts";
import { createRng } from "../../harness/rng.ts";
import { SeqKv } from "../../harness/services/seq_kv.ts";
import { serviceKv as kvFor } from "./_service_kv_test_util.ts";
import { countKey, KvCounter } from "./kv_counter.ts";

const NODES = ["n0", "n1", "n2"];

Deno.test("KvCounter.read() sees every completed add on seq-kv, for 200 seeds", async () => {
  for (let seed = 1; seed <= 200; seed++) {
    const kv = new SeqKv(createRng(seed), { compat: true });
    let nonce = 0;
    const counters = NODES.map((id) =>
      new KvCounter(kvFor(kv, id), id, NODES, { nonce: () => `${id}-${nonce++}` })
    );
    let total = 0;
    for (let i = 0; i < 30; i++) {
      const delta = i % 5;
      total += delta;
      await counters[i % 3]!.add(delta);
      if (i % 4 === 0) await counters[(i + 1) % 3]!.read(); // intermediate reads move indexes
    }
    for (const c of counters) deepEqual(await c.read(), total, `seed ${seed}`);
  }
});

Deno.test("KvCounter.read() without the nonce would be stale: seq-kv alone doesn't give freshness", async () => {
  const kv = new SeqKv(createRng(7), { compat: true });
  const writer = new KvCounter(kvFor(kv, "n0"), "n0", NODES);
  await writer.read(); // n1 below has index 0; the writer moves the store on
  for (let i = 0; i < 5; i++) await writer.add(1);
  const reader = kvFor(kv, "n1");
  await rejects(() => reader.read(countKey("n0")), { name: "RPCError", code: 20 }); // still state 0: key missing
  const fresh = new KvCounter(reader, "n1", NODES);
  deepEqual(await fresh.read(), 5);
});

Deno.test("KvCounter.add() on a restarted node keeps the stored total", async () => {
  const kv = new SeqKv(createRng(3));
  const before = new KvCounter(kvFor(kv, "n0"), "n0", NODES);
  await before.add(4);
  await before.add(3);
  const calls: string[] = [];
  const after = new KvCounter(kvFor(kv, "n0", calls), "n0", NODES); // empty cache, same node id
  await after.add(2);
  deepEqual(calls, ["read", "cas"]);
  deepEqual(await after.read(), 9);
});

Deno.test("KvCounter.add() group-commits concurrent adds into one cas and skips zero", async () => {
  const kv = new SeqKv(createRng(5));
  const calls: string[] = [];
  const c = new KvCounter(kvFor(kv, "n0", calls), "n0", NODES);
  await Promise.all([c.add(1), c.add(2), c.add(0), c.add(3)]);
  // first batch [1] (read + cas), then [2, 3] in one cas; the 0 sent nothing
  deepEqual(calls, ["read", "cas", "cas"]);
  deepEqual(await c.read(), 6);
});

Deno.test("KvCounter.add() rejects an indefinite cas without retrying it", async () => {
  const kv = new SeqKv(createRng(5));
  const inner = kvFor(kv, "n0");
  let casCalls = 0;
  const flaky: KVClient = {
    ...inner,
    cas: (key, cas) => {
      casCalls++;
      return casCalls === 1 ? Promise.reject(new RPCError(0, "timeout")) : inner.cas(key, cas);
    },
  };
  const c = new KvCounter(flaky, "n0", NODES);
  await rejects(() => c.add(5), { name: "RPCError", message: "timeout" });
  await c.add(1);
  deepEqual([casCalls, await c.read()], [2, 1]);
});

Deno.test("KvCounter.read() with maxStaleMs answers from a recent refresh, and refreshes after", async () => {
  const kv = new SeqKv(createRng(9));
  let now = 0;
  const calls: string[] = [];
  const reader = new KvCounter(kvFor(kv, "n0", calls), "n0", NODES, {
    maxStaleMs: 1000,
    now: () => now,
  });
  const writer = new KvCounter(kvFor(kv, "n1"), "n1", NODES);
  await writer.add(2);
  deepEqual(await reader.read(), 2);
  deepEqual(calls, ["write", "read", "read", "read"]); // nonce, n1, n2, then its own key
  calls.length = 0;
  await writer.add(3);
  now = 999; // within the window: the last refresh answers, without a message
  deepEqual(await reader.read(), 2);
  deepEqual(calls, ["read"]); // its own key: no cas yet to cache it
  now = 1000; // a refresh sent at least maxStaleMs ago is too old: it sees the add
  deepEqual(await reader.read(), 5);
  await reader.add(1);
  calls.length = 0;
  now = 1500;
  deepEqual(await reader.read(), 6); // its own adds count at once
  deepEqual(calls, []);
});

Deno.test("KvCounter.read() with maxStaleMs 0 refreshes for every read", async () => {
  const kv = new SeqKv(createRng(9));
  const calls: string[] = [];
  const reader = new KvCounter(kvFor(kv, "n0", calls), "n0", NODES, { now: () => 0 });
  await reader.add(1);
  calls.length = 0;
  await Promise.all([reader.read(), reader.read()]);
  deepEqual(calls.filter((c) => c === "write").length, 2);
});
