import assert from "node:assert/strict";
import { createRng } from "../rng.ts";
import { LwwKv } from "./lww_kv.ts";

/** What a read of `key` returned: the value, or the error code. */
function _read(kv: LwwKv, msgId: number): unknown {
  const reply = kv.handle("n1", { type: "read", msg_id: msgId, key: "k" });
  assert.ok(reply !== undefined);
  return reply.type === "error" ? reply.code : reply.value;
}

Deno.test("LwwKv.handle() keeps serving each replica's own value and never converges", () => {
  const kv = new LwwKv(createRng(3));
  kv.handle("n0", { type: "write", msg_id: 1, key: "k", value: "A" });
  kv.handle("n0", { type: "write", msg_id: 2, key: "k", value: "B" });
  assert.deepEqual(kv.replicaValues("k"), ["B", "A"]);
  const seen = new Map<unknown, number>();
  for (let i = 0; i < 400; i++) {
    const v = _read(kv, i + 3);
    seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()].sort(), ["A", "B"]);
  assert.ok((seen.get("A") ?? 0) > 100 && (seen.get("B") ?? 0) > 100);
  // Hundreds of requests later the replicas still disagree.
  assert.deepEqual(kv.replicaValues("k"), ["B", "A"]);
});

Deno.test("LwwKv.handle() answers 20 from a replica that never saw the write", () => {
  const kv = new LwwKv(createRng(1));
  kv.handle("n0", { type: "write", msg_id: 1, key: "k", value: "A" });
  const values = kv.replicaValues("k");
  assert.equal(values.filter((v) => v === "A").length, 1);
  const seen = new Set<unknown>();
  for (let i = 0; i < 100; i++) seen.add(_read(kv, i + 2));
  assert.deepEqual([...seen].sort(), [20, "A"]);
});

Deno.test("LwwKv.handle() with merge converges the replicas", () => {
  const kv = new LwwKv(createRng(3), { merge: true });
  kv.handle("n0", { type: "write", msg_id: 1, key: "k", value: "A" });
  kv.handle("n0", { type: "write", msg_id: 2, key: "k", value: "B" });
  for (let i = 0; i < 100; i++) _read(kv, i + 3);
  const [first, second] = kv.replicaValues("k");
  assert.equal(first, second);
  assert.ok(first === "A" || first === "B");
});

Deno.test("LwwKv rejects a non-positive replica count", () => {
  assert.throws(() => new LwwKv(createRng(1), { replicas: 0 }), RangeError);
});
