import { deepEqual, equal, rejects } from "node:assert/strict";
import { KV } from "./kv.ts";
import type { Body } from "./message.ts";
import { RPCError } from "./rpc_error.ts";
import { TSO } from "./tso.ts";
import { startInitialised, stop, type TestNode } from "./_test_util.ts";

/**
 * A fake lin-kv/lin-tso: answers the next `count` requests the node writes, from a map.
 * Returns the request bodies it saw.
 */
async function serve(t: TestNode, count: number, store: Map<string, unknown>): Promise<Body[]> {
  const seen: Body[] = [];
  let ts = 0;
  for (let i = 0; i < count; i++) {
    const msg = await t.transport.nextMessage();
    const body = msg.body;
    seen.push(body);
    const key = String(body.key);
    let reply: Record<string, unknown>;
    if (body.type === "ts") reply = { type: "ts_ok", ts: ts++ };
    else if (body.type === "read") {
      reply = store.has(key)
        ? { type: "read_ok", value: store.get(key) }
        : { type: "error", code: 20, text: "key does not exist" };
    } else if (body.type === "write") {
      store.set(key, body.value);
      reply = { type: "write_ok" };
    } else if (!store.has(key) && !body.create_if_not_exists) {
      reply = { type: "error", code: 20, text: "key does not exist" };
    } else if (store.has(key) && store.get(key) !== body.from) {
      reply = {
        type: "error",
        code: 22,
        text: `current value ${store.get(key)} is not ${body.from}`,
      };
    } else {
      store.set(key, body.to);
      reply = { type: "cas_ok" };
    }
    t.transport.send({
      src: msg.dest,
      dest: msg.src,
      body: { ...reply, in_reply_to: body.msg_id },
    });
  }
  return seen;
}

const hasCode = (code: number) => (e: unknown) => e instanceof RPCError && e.code === code;

Deno.test("KV.read() resolves with the value and KV.write() stores one", async () => {
  const t = await startInitialised();
  const kv = new KV(t.node, "lin-kv");
  const store = new Map<string, unknown>([["a", [1, 2]]]);
  const served = serve(t, 2, store);
  deepEqual(await kv.read<number[]>("a"), [1, 2]);
  await kv.write("b", 7);
  deepEqual(await served, [
    { type: "read", key: "a", msg_id: 1 },
    { type: "write", key: "b", value: 7, msg_id: 2 },
  ]);
  equal(store.get("b"), 7);
  await stop(t);
});

Deno.test("KV.read() rejects with RPCError 20 for a missing key, and readOr() falls back", async () => {
  const t = await startInitialised();
  const kv = new KV(t.node, "seq-kv");
  const served = serve(t, 2, new Map());
  await rejects(kv.read("missing"), hasCode(20));
  equal(await kv.readOr("missing", 0), 0);
  await served;
  equal(
    t.transport.lines[1],
    '{"src":"n1","dest":"seq-kv","body":{"type":"read","key":"missing","msg_id":1}}',
  );
  await stop(t);
});

Deno.test("KV.cas() rejects with 22 on mismatch and 20 when missing without the flag", async () => {
  const t = await startInitialised();
  const kv = new KV(t.node, "lin-kv");
  const store = new Map<string, unknown>([["k", 1]]);
  const served = serve(t, 3, store);
  await rejects(kv.cas("k", { from: 2, to: 3 }), hasCode(22));
  await rejects(kv.cas("none", { from: 0, to: 1 }), hasCode(20));
  await kv.cas("k", { from: 1, to: 5 });
  await served;
  equal(store.get("k"), 5);
  await stop(t);
});

Deno.test("KV.cas() sends createIfNotExists as create_if_not_exists", async () => {
  const t = await startInitialised();
  const kv = new KV(t.node, "lin-kv");
  const store = new Map<string, unknown>();
  const served = serve(t, 1, store);
  await kv.cas("new", { from: 0, to: 1, createIfNotExists: true });
  await served;
  equal(
    t.transport.lines[1],
    '{"src":"n1","dest":"lin-kv","body":{"type":"cas","key":"new","from":0,"to":1,"create_if_not_exists":true,"msg_id":1}}',
  );
  equal(store.get("new"), 1);
  await stop(t);
});

Deno.test("KV calls pass timeoutMs through and reject with 0 on timeout", async () => {
  const t = await startInitialised();
  const kv = new KV(t.node, "lin-kv");
  const failed = rejects(kv.read("k", { timeoutMs: 10 }), hasCode(0));
  await t.clock.advance(10);
  await failed;
  equal(t.node.pendingRpcs, 0);
  await stop(t);
});

Deno.test("KV rejects with 13 when the service answers with an unexpected type", async () => {
  const t = await startInitialised();
  const kv = new KV(t.node, "lin-kv");
  const call = kv.write("k", 1);
  const msg = await t.transport.nextMessage();
  t.transport.send({
    src: "lin-kv",
    dest: "n1",
    body: { type: "read_ok", in_reply_to: msg.body.msg_id },
  });
  await rejects(
    call,
    (e) => e instanceof RPCError && e.code === 13 && e.text === "expected write_ok, got read_ok",
  );
  await stop(t);
});

Deno.test("TSO.ts() returns lin-tso's timestamps", async () => {
  const t = await startInitialised();
  const tso = new TSO(t.node);
  const served = serve(t, 2, new Map());
  equal(await tso.ts(), 0);
  equal(await tso.ts(), 1);
  await served;
  equal(t.transport.lines[1], '{"src":"n1","dest":"lin-tso","body":{"type":"ts","msg_id":1}}');
  await stop(t);
});
