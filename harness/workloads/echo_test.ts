import assert from "node:assert/strict";
import { checkEcho, echoWorkload } from "./echo.ts";
import { history } from "../checkers/_history_test_util.ts";
import { createRng } from "../rng.ts";
import { type Connection, MalformedReplyError, RpcTimeoutError } from "./contract.ts";
import type { TestOptions } from "../options.ts";
import type { Body } from "../../lib/message.ts";

const OPTIONS = {} as TestOptions;

function replyingConn(reply: (req: Body) => Body): Connection {
  return { clientId: "c1", node: "n0", rpc: (body) => Promise.resolve(reply(body)) };
}

Deno.test("checkEcho() accepts matching echoes", () => {
  const result = checkEcho(history(
    { type: "invoke", process: 0, f: "echo", value: "Please echo 7" },
    {
      type: "ok",
      process: 0,
      f: "echo",
      value: { type: "echo_ok", echo: "Please echo 7", in_reply_to: 1 },
    },
  ));
  assert.deepEqual(result, { valid: true, errors: [] });
});

Deno.test("checkEcho() reports a mismatched echo as invalid", () => {
  const reply = { type: "echo_ok", echo: "Please echo 7x", in_reply_to: 1 };
  const result = checkEcho(history(
    { type: "invoke", process: 0, f: "echo", value: "Please echo 7" },
    { type: "ok", process: 0, f: "echo", value: reply },
  ));
  assert.deepEqual(result, {
    valid: false,
    errors: [["Expected a message with echo", "Please echo 7", "But received", reply]],
  });
});

Deno.test("checkEcho() counts a timed-out echo as an error and says it timed out", () => {
  const result = checkEcho(history(
    { type: "invoke", process: 0, f: "echo", value: "Please echo 1" },
    { type: "info", process: 0, f: "echo", value: "Please echo 1", error: "net-timeout" },
    { type: "invoke", process: 1, f: "echo", value: "Please echo 2" },
  ));
  assert.deepEqual(result, {
    valid: false,
    errors: [
      ["Expected a message with echo", "Please echo 1", "But the op ended info", "net-timeout"],
      ["Expected a message with echo", "Please echo 2", "But the op never completed", null],
    ],
  });
});

Deno.test("echoWorkload.generator() emits Please echo 0..127", () => {
  const gen = echoWorkload.generator(OPTIONS, createRng(1));
  for (let i = 0; i < 50; i++) {
    const op = gen.next(0);
    assert.equal(op?.f, "echo");
    assert.match(String(op?.value), /^Please echo (\d|[1-9]\d|1[01]\d|12[0-7])$/);
  }
});

Deno.test("echoWorkload client returns the reply body on echo_ok", async () => {
  const client = echoWorkload.client(0, OPTIONS);
  const conn = replyingConn((req) => ({ type: "echo_ok", echo: req.echo, in_reply_to: 1 }));
  const done = await client.invoke({ f: "echo", value: "hi" }, conn);
  assert.deepEqual(done, { type: "ok", value: { type: "echo_ok", echo: "hi", in_reply_to: 1 } });
});

Deno.test("echoWorkload client throws MalformedReplyError on an extra key", async () => {
  const client = echoWorkload.client(0, OPTIONS);
  const conn = replyingConn((req) => ({
    type: "echo_ok",
    echo: req.echo,
    in_reply_to: 1,
    extra: true,
  }));
  await assert.rejects(client.invoke({ f: "echo", value: "hi" }, conn), MalformedReplyError);
});

Deno.test("echoWorkload client takes a null echo (s/Any) but not a missing one", async () => {
  const client = echoWorkload.client(0, OPTIONS);
  const nulled = replyingConn(() => ({ type: "echo_ok", echo: null, in_reply_to: 1 }));
  const done = await client.invoke({ f: "echo", value: "hi" }, nulled);
  assert.deepEqual(done, { type: "ok", value: { type: "echo_ok", echo: null, in_reply_to: 1 } });
  const missing = replyingConn(() => ({ type: "echo_ok", in_reply_to: 1 }));
  await assert.rejects(client.invoke({ f: "echo", value: "hi" }, missing), MalformedReplyError);
});

Deno.test("echoWorkload client maps a timeout to info", async () => {
  const client = echoWorkload.client(0, OPTIONS);
  const conn: Connection = {
    clientId: "c1",
    node: "n0",
    rpc: () => Promise.reject(new RpcTimeoutError()),
  };
  const done = await client.invoke({ f: "echo", value: "hi" }, conn);
  assert.deepEqual(done, { type: "info", value: "hi", error: "net-timeout" });
});
