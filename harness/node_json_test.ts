import assert from "node:assert/strict";
import { JsonDouble, parseNodeJson } from "./node_json.ts";
import { envelopeProblem } from "./node_process.ts";
import { checkUniqueIds } from "./workloads/unique_ids.ts";
import { history } from "./workloads/_history_test_util.ts";
import { gCounterWorkload } from "./workloads/g_counter.ts";
import { type Connection, MalformedReplyError, type TestOptions } from "./types.ts";
import { LinKv } from "./services/lin_kv.ts";

Deno.test("parseNodeJson() keeps integers written as doubles apart, and nothing else", () => {
  const value = parseNodeJson('{"a":1.0,"b":[2e3,3,1.5,"4.0"],"c":-0.0E1}') as {
    a: unknown;
    b: unknown[];
    c: unknown;
  };
  assert.ok(value.a instanceof JsonDouble);
  assert.equal((value.a as JsonDouble).value, 1);
  assert.ok(value.b[0] instanceof JsonDouble);
  assert.deepEqual(value.b.slice(1), [3, 1.5, "4.0"]);
  assert.ok(value.c instanceof JsonDouble);
  // Serialised as Maelstrom prints a double.
  assert.equal(JSON.stringify(value), '{"a":1.0,"b":[2000.0,3,1.5,"4.0"],"c":0.0}');
  assert.deepEqual(parseNodeJson('{"a":1,"s":"1.0"}'), { a: 1, s: "1.0" });
  assert.throws(() => parseNodeJson("{1.0"), SyntaxError);
});

Deno.test("a reply whose in_reply_to is written 1.0 answers nothing, as under Maelstrom", () => {
  const line = '{"src":"n0","dest":"c1","body":{"type":"echo_ok","echo":"x","in_reply_to":1.0}}';
  assert.match(envelopeProblem(parseNodeJson(line)) ?? "", /body/);
  const fine = '{"src":"n0","dest":"c1","body":{"type":"echo_ok","echo":1.0,"in_reply_to":1}}';
  assert.equal(envelopeProblem(parseNodeJson(fine)), undefined);
});

Deno.test("an s/Int field rejects an integer written as a double", async () => {
  const client = gCounterWorkload.client(0, {} as TestOptions);
  const body = parseNodeJson('{"type":"read_ok","value":3.0,"in_reply_to":1}');
  const conn = { clientId: "c1", node: "n0", rpc: () => Promise.resolve(body) };
  await assert.rejects(
    client.invoke({ f: "read", value: null }, conn as unknown as Connection),
    MalformedReplyError,
  );
});

Deno.test("checkUniqueIds() counts ids 1 and 1.0 as different, and 1.0 twice as a duplicate", () => {
  const one = parseNodeJson("1");
  const double = () => parseNodeJson("1.0");
  const ops = (ids: unknown[]) =>
    history(...ids.flatMap((id, process) => [
      { type: "invoke" as const, process, f: "generate", value: null },
      { type: "ok" as const, process, f: "generate", value: id },
    ]));
  assert.equal(checkUniqueIds(ops([one, double()])).valid, true);
  assert.equal(checkUniqueIds(ops([double(), parseNodeJson("1.00")])).valid, false);
});

Deno.test("lin-kv keeps a double apart from the long: cas from 1 fails on a stored 1.0", () => {
  const kv = new LinKv();
  const write = parseNodeJson('{"type":"write","key":"k","value":1.0,"msg_id":1}') as never;
  assert.deepEqual(kv.handle("n0", write), { type: "write_ok", in_reply_to: 1 });
  const cas = kv.handle("n0", { type: "cas", key: "k", from: 1, to: 2, msg_id: 2 });
  assert.equal(cas?.type, "error");
  assert.equal(cas?.code, 22);
  const read = kv.handle("n0", { type: "read", key: "k", msg_id: 3 });
  assert.equal(JSON.stringify(read), '{"type":"read_ok","value":1.0,"in_reply_to":3}');
});
