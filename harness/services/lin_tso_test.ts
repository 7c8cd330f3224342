import assert from "node:assert/strict";
import { LinTso } from "./lin_tso.ts";

Deno.test("LinTso.handle() hands out 0, 1, 2 in order", () => {
  const tso = new LinTso();
  assert.deepEqual(tso.handle("n0", { type: "ts", msg_id: 4 }), {
    type: "ts_ok",
    ts: 0,
    in_reply_to: 4,
  });
  assert.deepEqual(tso.handle("n1", { type: "ts", msg_id: 1 }), {
    type: "ts_ok",
    ts: 1,
    in_reply_to: 1,
  });
  assert.deepEqual(tso.handle("n0", { type: "ts" }), { type: "ts_ok", ts: 2, in_reply_to: null });
});

Deno.test("LinTso.handle() returns undefined for an unknown type", () => {
  const tso = new LinTso();
  assert.equal(tso.handle("n0", { type: "read", msg_id: 1 }), undefined);
  assert.deepEqual(tso.handle("n0", { type: "ts", msg_id: 2 }), {
    type: "ts_ok",
    ts: 0,
    in_reply_to: 2,
  });
});
