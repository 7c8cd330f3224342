/**
 * Maps RPC outcomes to history completions the way Maelstrom's `with-errors` does.
 *
 * @module
 */

import { codeName, isDefiniteCode } from "../lib/rpc_error.ts";
import {
  type Completion,
  type Invocation,
  RpcErrorReply,
  RpcTimeoutError,
} from "./workloads/contract.ts";

/** Decides whether a failed op certainly did not happen, given its error reply code (or none). */
type Definite = (op: Invocation, code: number | undefined) => boolean;

async function _mapErrors(
  op: Invocation,
  definite: Definite,
  perform: () => Promise<Completion>,
): Promise<Completion> {
  try {
    return await perform();
  } catch (error) {
    if (error instanceof RpcTimeoutError) {
      return {
        type: definite(op, undefined) ? "fail" : "info",
        value: op.value,
        error: "net-timeout",
      };
    }
    if (error instanceof RpcErrorReply) {
      return {
        type: definite(op, error.code) ? "fail" : "info",
        value: op.value,
        error: [error.code, codeName(error.code), error.text],
      };
    }
    throw error;
  }
}

/**
 * Runs `perform` and turns a timeout into `fail` when `op.f` is idempotent, else `info`
 * (`error: "net-timeout"`), and an error reply into `fail` when its code is definite or `op.f`
 * is idempotent, else `info` (`error: [code, name, text]`). Other exceptions propagate.
 */
export function withErrors(
  op: Invocation,
  idempotent: ReadonlySet<string>,
  perform: () => Promise<Completion>,
): Promise<Completion> {
  return _mapErrors(
    op,
    (o, code) => idempotent.has(o.f) || (code !== undefined && isDefiniteCode(code)),
    perform,
  );
}

/**
 * Turns every timeout or error reply into `info`, as g-set and the counters do (they don't use
 * `with-errors`).
 */
export function allErrorsIndeterminate(
  op: Invocation,
  perform: () => Promise<Completion>,
): Promise<Completion> {
  return _mapErrors(op, () => false, perform);
}
