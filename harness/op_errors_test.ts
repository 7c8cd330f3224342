import { deepStrictEqual, rejects } from "node:assert/strict";
import { allErrorsIndeterminate, withErrors } from "./op_errors.ts";
import { MalformedReplyError, RpcErrorReply, RpcTimeoutError } from "./workloads/contract.ts";

const failing = (error: Error) => () => Promise.reject(error);
const idempotent = new Set(["read"]);

Deno.test("withErrors() makes a timeout fail only for idempotent ops", async () => {
  deepStrictEqual(
    await withErrors({ f: "read", value: null }, idempotent, failing(new RpcTimeoutError())),
    {
      type: "fail",
      value: null,
      error: "net-timeout",
    },
  );
  deepStrictEqual(
    await withErrors({ f: "write", value: 3 }, idempotent, failing(new RpcTimeoutError())),
    {
      type: "info",
      value: 3,
      error: "net-timeout",
    },
  );
});

Deno.test("withErrors() fails definite codes and idempotent ops, else info", async () => {
  const write = { f: "write", value: 1 };
  deepStrictEqual(await withErrors(write, idempotent, failing(new RpcErrorReply(22, "no"))), {
    type: "fail",
    value: 1,
    error: [22, "precondition-failed", "no"],
  });
  deepStrictEqual(
    (await withErrors(write, idempotent, failing(new RpcErrorReply(13, "x")))).type,
    "info",
  );
  deepStrictEqual(
    (await withErrors(write, idempotent, failing(new RpcErrorReply(1000, "x")))).type,
    "info",
  );
  const read = { f: "read", value: null };
  deepStrictEqual(
    (await withErrors(read, idempotent, failing(new RpcErrorReply(13, "x")))).type,
    "fail",
  );
});

Deno.test("allErrorsIndeterminate() makes every timeout and error reply info", async () => {
  const add = { f: "add", value: 2 };
  deepStrictEqual(await allErrorsIndeterminate(add, failing(new RpcErrorReply(22, "no"))), {
    type: "info",
    value: 2,
    error: [22, "precondition-failed", "no"],
  });
  deepStrictEqual((await allErrorsIndeterminate(add, failing(new RpcTimeoutError()))).type, "info");
});

Deno.test("withErrors() passes ok completions through and lets malformed replies escape", async () => {
  const ok = { type: "ok" as const, value: 5 };
  deepStrictEqual(
    await withErrors({ f: "read", value: null }, idempotent, () => Promise.resolve(ok)),
    ok,
  );
  await rejects(
    withErrors(
      { f: "read", value: null },
      idempotent,
      failing(new MalformedReplyError("extra key")),
    ),
    MalformedReplyError,
  );
});
