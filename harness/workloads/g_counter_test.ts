import assert from "node:assert/strict";
import { acceptableSums, checkCounter, mergeIntervals } from "../checkers/counter.ts";
import { gCounterWorkload } from "./g_counter.ts";
import { history, type OpSpec } from "../checkers/_history_test_util.ts";
import { createRng } from "../rng.ts";
import { parseNodeJson } from "../node_json.ts";
import { type Connection, MalformedReplyError } from "./contract.ts";
import type { TestOptions } from "../options.ts";
import type { Body } from "../../lib/message.ts";

function add(type: "ok" | "info" | "fail", delta: number): OpSpec {
  return { type, process: 0, f: "add", value: delta };
}

function finalRead(value: number): OpSpec {
  return { type: "ok", process: 1, f: "read", value, final: true };
}

Deno.test("checkCounter() accepts only 0 on an empty history (pn_counter_test empty)", () => {
  assert.deepEqual(checkCounter([]), {
    valid: true,
    errors: null,
    "final-reads": [],
    acceptable: [[0, 0]],
  });
});

Deno.test("checkCounter() rejects a wrong read of definite adds (pn_counter_test definite)", () => {
  const h = history(add("ok", 2), add("ok", 3), finalRead(5), finalRead(4));
  assert.deepEqual(checkCounter(h), {
    valid: false,
    errors: [h[3]],
    "final-reads": [5, 4],
    acceptable: [[5, 5]],
  });
});

Deno.test("checkCounter() allows any subset of info adds (pn_counter_test indefinite)", () => {
  const h = history(
    add("ok", 10),
    add("info", 5),
    add("info", -1),
    add("info", -1),
    finalRead(11),
    finalRead(15),
  );
  assert.deepEqual(checkCounter(h), {
    valid: false,
    errors: [h[4]],
    "final-reads": [11, 15],
    acceptable: [[8, 10], [13, 15]],
  });
});

Deno.test("checkCounter() finds a lost increment invalid and ignores non-final reads", () => {
  const h = history(
    { type: "invoke", process: 0, f: "add", value: 3 },
    add("ok", 3),
    { type: "invoke", process: 1, f: "add", value: 4 },
    { type: "ok", process: 1, f: "add", value: 4 },
    { type: "ok", process: 2, f: "read", value: 99 },
    { type: "invoke", process: 0, f: "add", value: 2 },
    { type: "fail", process: 0, f: "add", value: 2 },
    finalRead(7),
    finalRead(4),
  );
  assert.deepEqual(checkCounter(h), {
    valid: false,
    errors: [h[8]],
    "final-reads": [7, 4],
    acceptable: [[7, 7]],
  });
});

Deno.test("acceptableSums() merges subset sums of small deltas into intervals", () => {
  assert.deepEqual(acceptableSums(0, [1, 1, 1]), [[0, 3]]);
  assert.deepEqual(acceptableSums(4, [3, 0, 3]), [[4, 4], [7, 7], [10, 10]]);
  assert.deepEqual(acceptableSums(0, [-5, 4]), [[-5, -5], [-1, 0], [4, 4]]);
  // 2000 info deltas stay a single interval instead of 2^2000 subsets.
  assert.deepEqual(acceptableSums(0, Array.from({ length: 2000 }, (_, i) => i % 5)), [[0, 4000]]);
});

Deno.test("mergeIntervals() joins adjacent and overlapping intervals only", () => {
  assert.deepEqual(mergeIntervals([[5, 6], [1, 3], [4, 4], [8, 9]]), [[1, 6], [8, 9]]);
});

Deno.test("gCounterWorkload.generator() emits deltas 0..4 and reads", () => {
  const gen = gCounterWorkload.generator({} as TestOptions, createRng(7));
  const deltas = new Set<unknown>();
  let reads = 0;
  for (let i = 0; i < 600; i++) {
    const op = gen.next(0);
    if (op?.f === "read") reads++;
    else deltas.add(op?.value);
  }
  assert.deepEqual([...deltas].sort(), [0, 1, 2, 3, 4]);
  // Filtering negative adds leaves reads at about two thirds of the ops.
  assert.ok(reads > 340 && reads < 460, `reads ${reads}`);
});

function replyingConn(reply: Body): Connection {
  return { clientId: "c1", node: "n0", rpc: () => Promise.resolve(reply) };
}

Deno.test("gCounterWorkload client reads an integer value and rejects null (s/Int has no nil)", async () => {
  const client = gCounterWorkload.client(0, {} as TestOptions);
  const read = { f: "read", value: null };
  const ok = replyingConn({ type: "read_ok", value: 3, in_reply_to: 1 });
  assert.deepEqual(await client.invoke(read, ok), { type: "ok", value: 3 });
  for (const value of [null, 1.5, "3", [3]]) {
    const bad = replyingConn({ type: "read_ok", value, in_reply_to: 1 });
    await assert.rejects(client.invoke(read, bad), MalformedReplyError);
  }
  const extra = replyingConn({ type: "add_ok", in_reply_to: 1, value: null });
  await assert.rejects(client.invoke({ f: "add", value: 1 }, extra), MalformedReplyError);
});

Deno.test("checkCounter() finds a final read beyond 2^53 wrong, exactly as read", () => {
  const long = parseNodeJson("9007199254740993");
  const result = checkCounter(history(
    { type: "invoke", process: 0, f: "add", value: 1 },
    { type: "ok", process: 0, f: "add", value: 1 },
    { type: "invoke", process: 0, f: "read", value: null, final: true },
    { type: "ok", process: 0, f: "read", value: long, final: true },
  ));
  assert.equal(result.valid, false);
  assert.equal(JSON.stringify(result["final-reads"]), "[9007199254740993]");
});
