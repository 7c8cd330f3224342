import assert from "node:assert/strict";
import type { Body } from "../../lib/message.ts";
import { createRng } from "../rng.ts";
import type { Service } from "./service.ts";
import { LinKv } from "./lin_kv.ts";
import { LwwKv } from "./lww_kv.ts";
import { SeqKv } from "./seq_kv.ts";

/** Services that behave as one linearizable map when a single src talks to them. */
const SINGLE_SRC: { name: string; make: () => Service; casCreates: boolean; fromStr: boolean }[] = [
  { name: "LinKv", make: () => new LinKv(), casCreates: true, fromStr: false },
  { name: "SeqKv", make: () => new SeqKv(createRng(1)), casCreates: true, fromStr: false },
  {
    name: "LwwKv",
    make: () => new LwwKv(createRng(1), { replicas: 1 }),
    casCreates: false,
    fromStr: true,
  },
];

for (const { name, make, casCreates, fromStr } of SINGLE_SRC) {
  Deno.test(`${name}.handle() answers read, write and cas with exact bodies`, () => {
    const kv = make();
    const h = (body: Body) => kv.handle("n0", body);
    assert.deepEqual(h({ type: "read", msg_id: 1, key: "x" }), {
      type: "error",
      code: 20,
      text: "key does not exist",
      in_reply_to: 1,
    });
    assert.deepEqual(h({ type: "write", msg_id: 2, key: "x", value: 3 }), {
      type: "write_ok",
      in_reply_to: 2,
    });
    assert.deepEqual(h({ type: "read", msg_id: 3, key: "x" }), {
      type: "read_ok",
      value: 3,
      in_reply_to: 3,
    });
    assert.deepEqual(h({ type: "cas", msg_id: 4, key: "x", from: 1, to: 5 }), {
      type: "error",
      code: 22,
      text: "current value 3 is not 1",
      in_reply_to: 4,
    });
    assert.deepEqual(h({ type: "cas", msg_id: 5, key: "x", from: 3, to: 5 }), {
      type: "cas_ok",
      in_reply_to: 5,
    });
    assert.deepEqual(h({ type: "read", msg_id: 6, key: "x" }), {
      type: "read_ok",
      value: 5,
      in_reply_to: 6,
    });
    assert.deepEqual(h({ type: "cas", msg_id: 7, key: "y", from: 1, to: 2 }), {
      type: "error",
      code: 20,
      text: "key does not exist",
      in_reply_to: 7,
    });
  });

  Deno.test(`${name}.handle() ${casCreates ? "honours" : "ignores"} create_if_not_exists`, () => {
    const kv = make();
    const reply = kv.handle("n0", {
      type: "cas",
      msg_id: 1,
      key: "k",
      from: "whatever",
      to: 9,
      create_if_not_exists: true,
    });
    const read = kv.handle("n0", { type: "read", msg_id: 2, key: "k" });
    if (casCreates) {
      assert.deepEqual(reply, { type: "cas_ok", in_reply_to: 1 });
      assert.deepEqual(read, { type: "read_ok", value: 9, in_reply_to: 2 });
    } else {
      assert.deepEqual(reply, {
        type: "error",
        code: 20,
        text: "key does not exist",
        in_reply_to: 1,
      });
      assert.deepEqual(read, {
        type: "error",
        code: 20,
        text: "key does not exist",
        in_reply_to: 2,
      });
    }
  });

  Deno.test(`${name}.handle() returns undefined for an unknown type`, () => {
    const kv = make();
    assert.equal(kv.handle("n0", { type: "append", msg_id: 1, key: "x", value: 1 }), undefined);
    assert.equal(kv.handle("n0", { type: "read_ok", in_reply_to: 1, value: 1 }), undefined);
  });

  Deno.test(`${name}.handle() replies in_reply_to null to a request without msg_id`, () => {
    const kv = make();
    assert.deepEqual(kv.handle("n0", { type: "write", key: "x", value: 1 }), {
      type: "write_ok",
      in_reply_to: null,
    });
  });

  Deno.test(`${name}.handle() keys by JSON value and compares values structurally`, () => {
    const kv = make();
    const h = (body: Body) => kv.handle("n0", body);
    h({ type: "write", msg_id: 1, key: { a: 1, b: [2] }, value: { p: [1, { q: null }] } });
    h({ type: "write", msg_id: 2, key: 1, value: "int" });
    h({ type: "write", msg_id: 3, key: "1", value: "string" });
    assert.deepEqual(h({ type: "read", msg_id: 4, key: { b: [2], a: 1 } }), {
      type: "read_ok",
      value: { p: [1, { q: null }] },
      in_reply_to: 4,
    });
    assert.deepEqual(h({ type: "read", msg_id: 5, key: 1 }), {
      type: "read_ok",
      value: "int",
      in_reply_to: 5,
    });
    assert.deepEqual(h({ type: "read", msg_id: 6, key: "1" }), {
      type: "read_ok",
      value: "string",
      in_reply_to: 6,
    });
    assert.deepEqual(
      h({ type: "cas", msg_id: 7, key: { a: 1, b: [2] }, from: { p: [1, { q: null }] }, to: 0 }),
      { type: "cas_ok", in_reply_to: 7 },
    );
    h({ type: "write", msg_id: 8, key: "s", value: "cur" });
    assert.deepEqual(h({ type: "cas", msg_id: 9, key: "s", from: "old", to: "new" }), {
      type: "error",
      code: 22,
      text: fromStr ? 'current value "cur" is not old' : 'current value "cur" is not "old"',
      in_reply_to: 9,
    });
  });
}
