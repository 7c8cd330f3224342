import assert from "node:assert/strict";
import { checkSetFull } from "../checkers/set_full.ts";
import { broadcastWorkload } from "./broadcast.ts";
import { history, type OpSpec } from "../checkers/_history_test_util.ts";
import { createRng } from "../rng.ts";
import { type Connection, MalformedReplyError, RpcTimeoutError } from "./contract.ts";
import type { TestOptions } from "../options.ts";
import type { Body } from "../../lib/message.ts";

const check = (h: ReturnType<typeof history>) => checkSetFull(h, { addF: "broadcast" });

function bcast(type: "invoke" | "ok" | "info", process: number, value: number, ms: number): OpSpec {
  return { type, process, f: "broadcast", value, ms };
}

function read(process: number, ms: number, value?: unknown[]): OpSpec {
  return value === undefined
    ? { type: "invoke", process, f: "read", value: null, ms }
    : { type: "ok", process, f: "read", value, ms };
}

Deno.test("checkSetFull() finds an element missing from the last read lost", () => {
  const result = check(history(
    bcast("invoke", 0, 0, 0),
    bcast("ok", 0, 0, 1),
    read(1, 2),
    read(1, 3, [0]),
    read(1, 10),
    read(1, 11, []),
  ));
  assert.deepEqual(result, {
    valid: false,
    "attempt-count": 1,
    "stable-count": 0,
    "lost-count": 1,
    lost: [0],
    "never-read-count": 0,
    "never-read": [],
    "stale-count": 0,
    stale: [],
    "worst-stale": [],
    // Lost at the last present read's invocation (2 ms + 1 ns) after known at 1 ms.
    "lost-latencies": { "0": 1, "0.5": 1, "0.95": 1, "0.99": 1, "1": 1 },
    "duplicated-count": 0,
    duplicated: {},
  });
});

Deno.test("checkSetFull() computes stale latencies, never-read and duplicates", () => {
  const h = history(
    bcast("invoke", 0, 0, 0),
    bcast("ok", 0, 0, 5), // 0 known at 5 ms
    read(1, 20),
    read(1, 21, []), // 0 absent from a read invoked at 20 ms
    bcast("invoke", 0, 1, 30),
    read(1, 40),
    read(1, 41, [0, 99]), // 99 was never added: ignored
    { type: "info", process: 0, f: "broadcast", value: 1, ms: 45, error: "net-timeout" },
    bcast("invoke", 3, 2, 50),
    bcast("ok", 3, 2, 52),
    { type: "invoke", process: 2, f: "read", value: null, ms: 100, final: true },
    { type: "ok", process: 2, f: "read", value: [0, 2, 0], ms: 101, final: true },
  );
  assert.deepEqual(check(h), {
    valid: true,
    "attempt-count": 3,
    "stable-count": 2,
    "lost-count": 0,
    lost: [],
    "never-read-count": 1,
    "never-read": [1],
    "stale-count": 1,
    stale: [0],
    "worst-stale": [{
      element: 0,
      outcome: "stable",
      // (20 ms + 1 ns) − 5 ms, truncated to whole ms.
      "stable-latency": 15,
      "lost-latency": null,
      known: h[1],
      "last-absent": h[2],
    }],
    // Latencies 0 (element 2) and 15: sorted[min(n−1, ⌊n·q⌋)].
    "stable-latencies": { "0": 0, "0.5": 15, "0.95": 15, "0.99": 15, "1": 15 },
    // Reported but, unlike a correct set-full, not invalidating (Maelstrom never flags them).
    "duplicated-count": 1,
    duplicated: { "0": 2 },
  });
});

Deno.test("checkSetFull() lets a later-invoked final read excuse a concurrent one", () => {
  const final = (type: "invoke" | "ok", process: number, ms: number, value: unknown): OpSpec => ({
    type,
    process,
    f: "read",
    value,
    ms,
    final: true,
  });
  const excused = check(history(
    bcast("invoke", 0, 0, 0),
    bcast("ok", 0, 0, 1),
    final("invoke", 1, 10, null), // lacks 0...
    final("invoke", 2, 11, null), // ...but this one, invoked later, has it
    final("ok", 1, 12, []),
    final("ok", 2, 13, [0]),
  ));
  assert.equal(excused.valid, true);
  assert.equal(excused["stable-count"], 1);
  assert.deepEqual(excused["stable-latencies"], { "0": 9, "0.5": 9, "0.95": 9, "0.99": 9, "1": 9 });
  const swapped = check(history(
    bcast("invoke", 0, 0, 0),
    bcast("ok", 0, 0, 1),
    final("invoke", 2, 10, null),
    final("invoke", 1, 11, null),
    final("ok", 1, 12, []),
    final("ok", 2, 13, [0]),
  ));
  assert.equal(swapped.valid, false);
  assert.deepEqual(swapped.lost, [0]);
});

Deno.test("checkSetFull() gives unknown when nothing is stable", () => {
  const result = check(history(
    read(1, 0),
    bcast("invoke", 0, 0, 1),
    bcast("ok", 0, 0, 2),
    read(1, 3, []), // invoked before the add: its absence proves nothing
    bcast("invoke", 0, 1, 4),
    { type: "fail", process: 0, f: "broadcast", value: 1, ms: 5 },
  ));
  assert.equal(result.valid, "unknown");
  assert.equal(result["lost-count"], 0);
  assert.deepEqual(result["never-read"], [0, 1]);
  assert.equal(result["stable-latencies"], undefined);
});

Deno.test("checkSetFull() accepts a read that repeats a value", () => {
  const result = check(history(
    bcast("invoke", 0, 0, 0),
    bcast("ok", 0, 0, 1),
    read(1, 2),
    read(1, 3, [0, 0]),
  ));
  assert.equal(result.valid, true);
  assert.equal(result["duplicated-count"], 1);
});

Deno.test("broadcastWorkload.generator() numbers broadcasts 0, 1, 2 across threads", () => {
  const gen = broadcastWorkload.generator({} as TestOptions, createRng(3));
  const values: unknown[] = [];
  let reads = 0;
  for (let i = 0; i < 40; i++) {
    const op = gen.next(i % 4);
    if (op?.f === "read") reads++;
    else values.push(op?.value);
  }
  assert.deepEqual(values, values.map((_, i) => i));
  assert.equal(reads + values.length, 40);
  assert.ok(reads > 0 && values.length > 0);
});

function conn(reply: (req: Body) => Body): Connection {
  return { clientId: "c1", node: "n0", rpc: (body) => Promise.resolve(reply(body)) };
}

Deno.test("broadcastWorkload client reads messages and rejects a non-array", async () => {
  const client = broadcastWorkload.client(0, {} as TestOptions);
  const ok = await client.invoke(
    { f: "read", value: null },
    conn(() => ({ type: "read_ok", messages: [1, 2], in_reply_to: 1, msg_id: 4 })),
  );
  assert.deepEqual(ok, { type: "ok", value: [1, 2] });
  await assert.rejects(
    client.invoke(
      { f: "read", value: null },
      conn(() => ({ type: "read_ok", messages: { a: 1 }, in_reply_to: 1 })),
    ),
    MalformedReplyError,
  );
});

Deno.test("broadcastWorkload client reads messages: null as an ok read of nothing", async () => {
  // Maelstrom's `messages: [s/Any]` accepts nil (a Go nil slice), and set-full reads it as empty.
  const client = broadcastWorkload.client(0, {} as TestOptions);
  const read = (messages: unknown) =>
    client.invoke(
      { f: "read", value: null },
      conn(() => ({ type: "read_ok", messages, in_reply_to: 1 })),
    );
  assert.deepEqual(await read(null), { type: "ok", value: [] });
  assert.deepEqual(await read([null, "a"]), { type: "ok", value: [null, "a"] });
  const missing = conn(() => ({ type: "read_ok", in_reply_to: 1 }));
  await assert.rejects(client.invoke({ f: "read", value: null }, missing), MalformedReplyError);
  await assert.rejects(read("1,2"), MalformedReplyError);
});

Deno.test("broadcastWorkload client fails timed-out reads and infos broadcasts", async () => {
  const client = broadcastWorkload.client(0, {} as TestOptions);
  const timeout: Connection = {
    clientId: "c1",
    node: "n0",
    rpc: () => Promise.reject(new RpcTimeoutError()),
  };
  assert.deepEqual(await client.invoke({ f: "read", value: null }, timeout), {
    type: "fail",
    value: null,
    error: "net-timeout",
  });
  assert.deepEqual(await client.invoke({ f: "broadcast", value: 3 }, timeout), {
    type: "info",
    value: 3,
    error: "net-timeout",
  });
});

Deno.test("broadcastWorkload.setup() sends each node the topology", async () => {
  const sent: [string, Body][] = [];
  const options = { nodes: ["n0", "n1", "n2"], topology: "line" } as unknown as TestOptions;
  await broadcastWorkload.setup?.({
    options,
    rng: createRng(1),
    connect: (node) => ({
      clientId: `c${node}`,
      node,
      rpc: (body) => {
        sent.push([node, body]);
        return Promise.resolve({ type: "topology_ok", in_reply_to: 1 });
      },
    }),
  });
  const topology = { n0: ["n1"], n1: ["n0", "n2"], n2: ["n1"] };
  assert.deepEqual(sent, [
    ["n0", { type: "topology", topology }],
    ["n1", { type: "topology", topology }],
    ["n2", { type: "topology", topology }],
  ]);
});

Deno.test("broadcastWorkload.setup() throws when a node doesn't answer", async () => {
  const options = { nodes: ["n0"], topology: "grid" } as unknown as TestOptions;
  const setup = broadcastWorkload.setup;
  assert.ok(setup !== undefined);
  await assert.rejects(
    setup({
      options,
      rng: createRng(1),
      connect: (node) => ({
        clientId: "c0",
        node,
        rpc: () => Promise.reject(new RpcTimeoutError()),
      }),
    }),
    /Topology setup of n0 failed/,
  );
});
