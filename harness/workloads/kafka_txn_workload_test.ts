import { deepStrictEqual as assertEquals, ok as assert, rejects } from "node:assert/strict";
import type { Body } from "../../lib/message.ts";
import { defaultTestOptions } from "../options.ts";
import { createRng } from "../rng.ts";
import {
  type Connection,
  type Invocation,
  MalformedReplyError,
  RpcErrorReply,
} from "./contract.ts";
import type { TestOptions } from "../options.ts";
import { kafkaWorkload } from "./kafka.ts";
import { txnRwRegisterWorkload } from "./txn_rw_register.ts";

const OPTIONS: TestOptions = {
  ...defaultTestOptions("kafka", 1),
  timeLimit: 1,
  rate: 10,
  concurrency: 2,
  consistencyModels: ["read-committed"],
};

/** A connection answering each request with `reply(body)` and remembering the requests. */
function fakeConn(reply: (body: Body) => Body): Connection & { sent: Body[] } {
  const sent: Body[] = [];
  return {
    clientId: "c1",
    node: "n0",
    sent,
    rpc(body: Body) {
      sent.push(body);
      try {
        return Promise.resolve({ in_reply_to: sent.length, ...reply(body) });
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

Deno.test("kafkaWorkload client polls its offsets, commits the max polled offset, then moves on", async () => {
  const client = kafkaWorkload.client(0, OPTIONS);
  const conn = fakeConn((body) => {
    if (body.type === "list_committed_offsets") {
      return { type: "list_committed_offsets_ok", offsets: { "1": 4 } };
    }
    if (body.type === "poll") return { type: "poll_ok", msgs: { "1": [[4, 10], [6, 11]] } };
    return { type: "commit_offsets_ok" };
  });
  assertEquals((await client.invoke({ f: "assign", value: ["1"] }, conn)).type, "ok");
  const polled = await client.invoke({ f: "poll", value: [["poll"]] }, conn);
  assertEquals(polled, { type: "ok", value: [["poll", { "1": [[4, 10], [6, 11]] }]] });
  await client.invoke({ f: "poll", value: [["poll"]] }, conn);
  assertEquals(conn.sent.map((b) => [b.type, b.keys ?? b.offsets]), [
    ["list_committed_offsets", ["1"]],
    ["poll", { "1": 4 }],
    ["commit_offsets", { "1": 6 }],
    ["poll", { "1": 7 }],
    ["commit_offsets", { "1": 6 }],
  ]);
  // The final phase's assign seeks to the beginning without asking the node.
  await client.invoke({ f: "assign", value: ["1", "2"], final: true }, conn);
  await client.invoke({ f: "poll", value: [["poll"]] }, conn);
  assertEquals(conn.sent.at(-2)?.offsets, { "1": 0, "2": 0 });
});

Deno.test("kafkaWorkload client records send offsets and maps a crash to info", async () => {
  const client = kafkaWorkload.client(0, OPTIONS);
  const conn = fakeConn(() => ({ type: "send_ok", offset: 3 }));
  assertEquals(await client.invoke({ f: "send", value: [["send", "2", 5]] }, conn), {
    type: "ok",
    value: [["send", "2", [3, 5]]],
  });
  assertEquals(await client.invoke({ f: "crash", value: null }, conn), {
    type: "info",
    value: null,
  });
  const bad = fakeConn(() => ({ type: "send_ok", offset: 3, extra: true }));
  await rejects(client.invoke({ f: "send", value: [["send", "2", 6]] }, bad), MalformedReplyError);
});

Deno.test("kafkaWorkload client reads a null message list as no messages, as Maelstrom does", async () => {
  // `msgs: {Key [OffsetMessage]}`: each key's vector schema accepts nil (a Go nil slice).
  const client = kafkaWorkload.client(0, OPTIONS);
  const conn = fakeConn((body) => {
    if (body.type === "list_committed_offsets") {
      return { type: "list_committed_offsets_ok", offsets: { "1": 4 } };
    }
    if (body.type === "poll") return { type: "poll_ok", msgs: { "1": null, "2": [[0, 7]] } };
    return { type: "commit_offsets_ok" };
  });
  await client.invoke({ f: "assign", value: ["1", "2"] }, conn);
  assertEquals(await client.invoke({ f: "poll", value: [["poll"]] }, conn), {
    type: "ok",
    value: [["poll", { "1": [], "2": [[0, 7]] }]],
  });
  await client.invoke({ f: "poll", value: [["poll"]] }, conn);
  assertEquals(conn.sent.map((b) => [b.type, b.offsets]).slice(1), [
    ["poll", { "1": 4, "2": 0 }],
    ["commit_offsets", { "2": 0 }],
    ["poll", { "1": 4, "2": 1 }],
    ["commit_offsets", { "2": 0 }],
  ]);
});

Deno.test("kafkaWorkload client rejects null where Maelstrom's map and pair schemas do", async () => {
  const client = kafkaWorkload.client(0, OPTIONS);
  const poll = { f: "poll", value: [["poll"]] };
  const malformed = async (op: Invocation, reply: Body) =>
    await rejects(client.invoke(op, fakeConn(() => reply)), MalformedReplyError);
  // Map schemas (`{Key …}`) don't accept nil; neither do s/Int offsets nor two-element pairs.
  await malformed(poll, { type: "poll_ok", msgs: null });
  await malformed(poll, { type: "poll_ok", msgs: { "1": [null] } });
  await malformed(poll, { type: "poll_ok", msgs: { "1": [[null, 5]] } });
  await malformed(poll, { type: "poll_ok", msgs: { "1": [[0, 5, 6]] } });
  await malformed(poll, { type: "poll_ok", msgs: { "1": [[0.5, 5]] } });
  const assign = { f: "assign", value: ["1"] };
  await malformed(assign, { type: "list_committed_offsets_ok", offsets: null });
  await malformed(assign, { type: "list_committed_offsets_ok", offsets: { "1": null } });
  await malformed({ f: "send", value: [["send", "1", 2]] }, { type: "send_ok", offset: null });
  // A null message inside a pair is fine: Message is s/Any.
  const nullMsg = fakeConn((body) =>
    body.type === "poll"
      ? { type: "poll_ok", msgs: { "1": [[0, null]] } }
      : { type: "commit_offsets_ok" }
  );
  assertEquals(await client.invoke(poll, nullMsg), {
    type: "ok",
    value: [["poll", { "1": [[0, null]] }]],
  });
});

Deno.test("kafkaWorkload generator sends 1…16 per key, polls, and slips in assigns", () => {
  const gen = kafkaWorkload.generator(OPTIONS, createRng(9));
  const values = new Map<string, number[]>();
  const fs = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const op = gen.next(0) as Invocation;
    fs.add(op.f);
    if (op.f !== "send") continue;
    const [[, key, value]] = op.value as [[string, string, number]];
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  assertEquals([...fs].sort(), ["assign", "poll", "send"]);
  for (const list of values.values()) {
    assertEquals(list, list.map((_, i) => i + 1));
    assert(list.length <= 16);
  }
  assert(values.size > 10, "keys retire and fresh ones take their slots");
});

Deno.test("txnRwRegisterWorkload generator writes unique values per key in 1…4-op txns", () => {
  const gen = txnRwRegisterWorkload.generator(OPTIONS, createRng(5));
  const written = new Map<number, number[]>();
  for (let i = 0; i < 2000; i++) {
    const txn = (gen.next(0) as Invocation).value as [string, number, number | null][];
    assert(txn.length >= 1 && txn.length <= 4);
    for (const [f, k, v] of txn) {
      if (f === "r") assertEquals(v, null);
      else written.set(k, [...(written.get(k) ?? []), v as number]);
    }
  }
  for (const list of written.values()) assertEquals(list, list.map((_, i) => i + 1));
});

Deno.test("txnRwRegisterWorkload client maps error 30 to fail and 13 to info", async () => {
  const client = txnRwRegisterWorkload.client(0, OPTIONS);
  const op = { f: "txn", value: [["w", 1, 1]] };
  const ok = fakeConn(() => ({ type: "txn_ok", txn: [["w", 1, 1]] }));
  assertEquals(await client.invoke(op, ok), { type: "ok", value: [["w", 1, 1]] });
  const conflict = fakeConn(() => {
    throw new RpcErrorReply(30, "conflict");
  });
  assertEquals((await client.invoke(op, conflict)).type, "fail");
  const crash = fakeConn(() => {
    throw new RpcErrorReply(13, "crash");
  });
  assertEquals((await client.invoke(op, crash)).type, "info");
});

Deno.test("txnRwRegisterWorkload client takes a null txn as an ok empty txn, as Maelstrom does", async () => {
  // `txn: [(s/either ReadRes Write)]` accepts nil, and Maelstrom's str->kw (mapv) makes it [].
  const client = txnRwRegisterWorkload.client(0, OPTIONS);
  const op = { f: "txn", value: [["r", 1, null], ["w", 2, 3]] };
  const txn = (reply: unknown) =>
    client.invoke(op, fakeConn(() => ({ type: "txn_ok", txn: reply })));
  assertEquals(await txn(null), { type: "ok", value: [] });
  assertEquals(await txn([["r", 1, null], ["w", 2, 3]]), {
    type: "ok",
    value: [["r", 1, null], ["w", 2, 3]],
  });
  // Each micro-op is exactly [f, k, v] with f "r" or "w": never null, short, long or another f.
  for (const bad of [[null], [["r", 1]], [["r", 1, 2, 3]], [["append", 1, 2]], { "1": 2 }]) {
    await rejects(txn(bad), MalformedReplyError);
  }
});

Deno.test("txnRwRegisterWorkload validate() rejects unknown consistency models", () => {
  const validate = txnRwRegisterWorkload.validate as (o: TestOptions) => void;
  validate({ ...OPTIONS, consistencyModels: ["read-committed,serializable"] });
  let message = "";
  try {
    validate({ ...OPTIONS, consistencyModels: ["snapshot"] });
  } catch (error) {
    message = error instanceof RangeError ? error.message : "";
  }
  assert(message.startsWith('--consistency-models: unknown model "snapshot"'), message);
});

Deno.test("kafkaWorkload generator puts keys sent but not yet polled into assigns, via observe", () => {
  const assignsWith = (observe: boolean) => {
    const gen = kafkaWorkload.generator(OPTIONS, createRng(4));
    if (observe) {
      gen.observe?.({
        index: 1,
        time: 0,
        type: "ok",
        process: 0,
        f: "send",
        value: [["send", "unseen-key", [3, 1]]],
      });
    }
    let count = 0;
    for (let i = 0; i < 5000; i++) {
      const op = gen.next(0) as Invocation;
      if (op.f === "assign" && (op.value as string[]).includes("unseen-key")) count++;
    }
    return count;
  };
  assertEquals(assignsWith(false), 0);
  assert(assignsWith(true) > 0, "an observed send's key joins some assigns");
});
