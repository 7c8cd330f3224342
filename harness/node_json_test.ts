import assert from "node:assert/strict";
import {
  compareLongs,
  JsonDouble,
  JsonLong,
  mayHoldSpecialNumber,
  parseNodeJson,
} from "./node_json.ts";
import { envelopeProblem } from "./node_output.ts";
import { checkUniqueIds } from "./workloads/unique_ids.ts";
import { history } from "./checkers/_history_test_util.ts";
import { gCounterWorkload } from "./workloads/g_counter.ts";
import { type Connection, MalformedReplyError } from "./workloads/contract.ts";
import type { TestOptions } from "./options.ts";
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

Deno.test("mayHoldSpecialNumber() lets clocks through and never misses an integral double", () => {
  // Non-integral decimals, as a node stamping its messages writes them: JSON.parse is exact.
  for (
    const clock of ["7862.087475", "137.22029900000052", "0.1", "-3.25", "0.30000000000000004"]
  ) {
    assert.equal(mayHoldSpecialNumber(`{"at":${clock},"v":[1,2]}`), false, clock);
  }
  for (const special of ["1.0", "2e3", "1.5E1", "12345678901234567", "0.99999999999999999"]) {
    assert.equal(mayHoldSpecialNumber(`{"x":${special}}`), true, special);
  }
  // Every decimal that JSON.parse makes an integer, or that holds 16 integer digits, is caught:
  // random whole parts of 1–17 digits, fractions of 1–20 digits, often near 0 or 1.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const digits = (n: number, pick: () => string) => Array.from({ length: n }, pick).join("");
  const anyDigit = () => String(Math.floor(next() * 10));
  for (let i = 0; i < 50_000; i++) {
    const whole = String(Number(digits(1 + Math.floor(next() * 17), anyDigit)) || 0);
    const run = next() < 0.5 ? "0" : "9";
    const fraction = digits(1 + Math.floor(next() * 20), () => next() < 0.8 ? run : anyDigit());
    const text = `${whole}.${fraction}`;
    if (Number.isInteger(JSON.parse(text)) || whole.length >= 15) {
      assert.equal(mayHoldSpecialNumber(`[${text}]`), true, text);
    }
  }
});

Deno.test("a reply whose in_reply_to is written 1.0 answers nothing, as under Maelstrom", () => {
  const line = '{"src":"n0","dest":"c1","body":{"type":"echo_ok","echo":"x","in_reply_to":1.0}}';
  assert.equal(envelopeProblem(parseNodeJson(line)), "in_reply_to is not an integer");
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

Deno.test("parseNodeJson() keeps integers beyond 2^53 exact, and prints them back digit for digit", () => {
  const value = parseNodeJson(
    '{"a":9007199254740993,"b":-18446744073709551617,"c":9007199254740991}',
  );
  const { a, b, c } = value as { a: unknown; b: unknown; c: unknown };
  assert.ok(a instanceof JsonLong && a.value === 9007199254740993n);
  assert.ok(b instanceof JsonLong && b.value === -18446744073709551617n);
  assert.equal(c, 9007199254740991);
  assert.equal(
    JSON.stringify(value),
    '{"a":9007199254740993,"b":-18446744073709551617,"c":9007199254740991}',
  );
  assert.equal(compareLongs(a as JsonLong, 9007199254740992), 1);
});

Deno.test("checkUniqueIds() sees 64-bit ids exactly: neighbours differ, a repeat is a duplicate", () => {
  const ops = (ids: unknown[]) =>
    history(...ids.flatMap((id, process) => [
      { type: "invoke" as const, process, f: "generate", value: null },
      { type: "ok" as const, process, f: "generate", value: id },
    ]));
  const ids = ["4611686018427387904", "4611686018427387905", "4611686018427387906"];
  const distinct = checkUniqueIds(ops(ids.map((id) => parseNodeJson(id))));
  assert.equal(distinct.valid, true);
  assert.equal(JSON.stringify(distinct.range), `[${ids[0]},${ids[2]}]`);
  const repeated = checkUniqueIds(ops([parseNodeJson(ids[0]!), parseNodeJson(ids[0]!)]));
  assert.equal(repeated.valid, false);
});

Deno.test("services answer a long msg_id exactly, and the envelope takes it", () => {
  const kv = new LinKv();
  const request = parseNodeJson('{"type":"read","key":"k","msg_id":9007199254740993}') as never;
  assert.equal(
    JSON.stringify(kv.handle("n0", request)),
    '{"type":"error","code":20,"text":"key does not exist","in_reply_to":9007199254740993}',
  );
  const line =
    '{"src":"n0","dest":"lin-kv","body":{"type":"read","key":"k","msg_id":9007199254740993}}';
  assert.equal(envelopeProblem(parseNodeJson(line)), undefined);
});
