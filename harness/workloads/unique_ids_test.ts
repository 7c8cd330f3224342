import assert from "node:assert/strict";
import { checkUniqueIds, uniqueIdsWorkload } from "./unique_ids.ts";
import { history, type OpSpec } from "../checkers/_history_test_util.ts";
import { type Connection, MalformedReplyError } from "./contract.ts";
import type { TestOptions } from "../options.ts";
import type { Body } from "../../lib/message.ts";

function generate(process: number, id: unknown): OpSpec[] {
  return [
    { type: "invoke", process, f: "generate", value: null },
    { type: "ok", process, f: "generate", value: id },
  ];
}

Deno.test("checkUniqueIds() accepts distinct ids and reports the range", () => {
  const result = checkUniqueIds(history(...generate(0, 3), ...generate(1, 1), ...generate(2, 2)));
  assert.deepEqual(result, {
    valid: true,
    "attempted-count": 3,
    "acknowledged-count": 3,
    "duplicated-count": 0,
    duplicated: {},
    range: [1, 3],
  });
});

Deno.test("checkUniqueIds() detects ids duplicated across nodes", () => {
  const result = checkUniqueIds(history(
    ...generate(0, 0), // node n0's counter
    ...generate(1, 0), // node n1's counter collides
    ...generate(2, 0),
    ...generate(0, 1),
    ...generate(1, 1),
    { type: "invoke", process: 2, f: "generate", value: null },
    { type: "info", process: 2, f: "generate", value: null, error: "net-timeout" },
  ));
  assert.deepEqual(result, {
    valid: false,
    "attempted-count": 6,
    "acknowledged-count": 5,
    "duplicated-count": 2,
    duplicated: { "0": 3, "1": 2 },
    range: [0, 1],
  });
});

Deno.test('checkUniqueIds() treats 1 and "1" as different ids', () => {
  const result = checkUniqueIds(history(...generate(0, "1"), ...generate(1, "2")));
  assert.equal(result.valid, true);
  const mixed = checkUniqueIds(history(...generate(0, 1), ...generate(1, "1")));
  // Distinct, but a string and a number can't be ordered for the range: unknown, like Maelstrom.
  assert.equal(mixed.valid, "unknown");
  assert.match(String(mixed.error), /Cannot compare/);
});

Deno.test("checkUniqueIds() gives unknown for object ids", () => {
  const result = checkUniqueIds(history(
    ...generate(0, { node: "n0", seq: 1 }),
    ...generate(1, { node: "n1", seq: 1 }),
  ));
  assert.equal(result.valid, "unknown");
  assert.match(String(result.error), /objects are unordered/);
});

Deno.test("checkUniqueIds() orders array ids by length, then elements", () => {
  const result = checkUniqueIds(history(
    ...generate(0, ["n1", 5]),
    ...generate(1, ["n0", 9]),
    ...generate(2, ["n0", 9, 1]),
    ...generate(3, ["n1", 5]),
  ));
  assert.deepEqual(result, {
    valid: false,
    "attempted-count": 4,
    "acknowledged-count": 4,
    "duplicated-count": 1,
    duplicated: { '["n1",5]': 2 },
    range: [["n0", 9], ["n0", 9, 1]],
  });
});

Deno.test("uniqueIdsWorkload is reusable with no idempotent ops", () => {
  assert.equal(uniqueIdsWorkload.reusableClient, true);
  assert.equal(uniqueIdsWorkload.idempotent.size, 0);
  assert.equal(uniqueIdsWorkload.hasFinalPhase, false);
  assert.equal(uniqueIdsWorkload.timeoutMs({} as TestOptions), 5000);
});

function replyingConn(reply: Body): Connection {
  return { clientId: "c1", node: "n0", rpc: () => Promise.resolve(reply) };
}

Deno.test("uniqueIdsWorkload client takes a null id (s/Any) but not a missing one or extra keys", async () => {
  const client = uniqueIdsWorkload.client(0, {} as TestOptions);
  const op = { f: "generate", value: null };
  const nulled = replyingConn({ type: "generate_ok", id: null, in_reply_to: 1 });
  assert.deepEqual(await client.invoke(op, nulled), { type: "ok", value: null });
  const missing = replyingConn({ type: "generate_ok", in_reply_to: 1 });
  await assert.rejects(client.invoke(op, missing), MalformedReplyError);
  const extra = replyingConn({ type: "generate_ok", id: 1, in_reply_to: 1, node: "n0" });
  await assert.rejects(client.invoke(op, extra), MalformedReplyError);
});
