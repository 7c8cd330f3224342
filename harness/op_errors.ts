/**
 * Maps RPC outcomes to history completions the way Maelstrom's `with-errors` does.
 *
 * @module
 */

import { codeName, isDefiniteCode } from "../lib/rpc_error.ts";
import { type Completion, type Invocation, RpcErrorReply, RpcTimeoutError } from "./types.ts";

/**
 * Runs `perform` and turns a timeout into `fail` when `op.f` is idempotent, else `info`
 * (`error: "net-timeout"`), and an error reply into `fail` when its code is definite or `op.f`
 * is idempotent, else `info` (`error: [code, name, text]`). Other exceptions propagate.
 */
export async function withErrors(
  op: Invocation,
  idempotent: ReadonlySet<string>,
  perform: () => Promise<Completion>,
): Promise<Completion> {
  try {
    return await perform();
  } catch (error) {
    if (error instanceof RpcTimeoutError) {
      return {
        type: idempotent.has(op.f) ? "fail" : "info",
        value: op.value,
        error: "net-timeout",
      };
    }
    if (error instanceof RpcErrorReply) {
      const definite = isDefiniteCode(error.code) || idempotent.has(op.f);
      return {
        type: definite ? "fail" : "info",
        value: op.value,
        error: [error.code, codeName(error.code), error.text],
      };
    }
    throw error;
  }
}

/**
 * Turns every timeout or error reply into `info`, as g-set and the counters do (they don't use
 * `with-errors`).
 */
export async function allErrorsIndeterminate(
  op: Invocation,
  perform: () => Promise<Completion>,
): Promise<Completion> {
  try {
    return await perform();
  } catch (error) {
    if (error instanceof RpcTimeoutError) {
      return { type: "info", value: op.value, error: "net-timeout" };
    }
    if (error instanceof RpcErrorReply) {
      return {
        type: "info",
        value: op.value,
        error: [error.code, codeName(error.code), error.text],
      };
    }
    throw error;
  }
}
