import assert from "node:assert/strict";
import type { Body } from "../../lib/message.ts";
import { MalformedReplyError } from "./contract.ts";
import { expectReply, isAny, isInt, isSeqOf, seqOrEmpty } from "./closed_reply.ts";

Deno.test("isSeqOf() accepts null and arrays of passing items, as a Plumatic vector schema", () => {
  const ints = isSeqOf(isInt);
  assert.equal(ints(null), true);
  assert.equal(ints([]), true);
  assert.equal(ints([1, 2]), true);
  assert.equal(ints([1, "2"]), false);
  assert.equal(ints([null]), false);
  assert.equal(ints({}), false);
  assert.equal(ints("12"), false);
  assert.equal(ints(undefined), false);
  assert.equal(isSeqOf()([null, "a", {}]), true);
});

Deno.test("seqOrEmpty() reads null as the empty list and returns arrays as they are", () => {
  assert.deepEqual(seqOrEmpty(null), []);
  const list = [1, 2];
  assert.equal(seqOrEmpty(list), list);
  assert.throws(() => seqOrEmpty({}), TypeError);
});

Deno.test("expectReply() takes null for a required s/Any field but not a missing one", () => {
  const body = { type: "echo_ok", echo: null, in_reply_to: 1 };
  assert.equal(expectReply(body, "echo_ok", { echo: isAny }), body);
  assert.throws(
    () => expectReply({ type: "echo_ok", in_reply_to: 1 }, "echo_ok", { echo: isAny }),
    MalformedReplyError,
  );
});

Deno.test("expectReply() rejects extra keys, a null msg_id and a non-integer in_reply_to", () => {
  const fields = { value: isInt };
  assert.throws(
    () => expectReply({ type: "read_ok", value: 1, in_reply_to: 1, x: null }, "read_ok", fields),
    MalformedReplyError,
  );
  assert.throws(
    () =>
      expectReply(
        JSON.parse('{"type": "read_ok", "value": 1, "in_reply_to": 1, "msg_id": null}') as Body,
        "read_ok",
        fields,
      ),
    MalformedReplyError,
  );
  assert.throws(
    () => expectReply({ type: "read_ok", value: 1, in_reply_to: 1.5 }, "read_ok", fields),
    MalformedReplyError,
  );
  assert.throws(
    () => expectReply({ type: "read_ok", value: null, in_reply_to: 1 }, "read_ok", fields),
    MalformedReplyError,
  );
});
