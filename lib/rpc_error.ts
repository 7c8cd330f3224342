/**
 * Maelstrom's error codes and the typed error that carries them.
 *
 * @module
 */

import type { ErrorBody } from "./message.ts";

/** Maelstrom's error codes by name (see Maelstrom's `doc/protocol.md`). Custom codes are ≥ 1000. */
export const ErrorCode = {
  Timeout: 0,
  NodeNotFound: 1,
  NotSupported: 10,
  TemporarilyUnavailable: 11,
  MalformedRequest: 12,
  Crash: 13,
  Abort: 14,
  KeyDoesNotExist: 20,
  KeyAlreadyExists: 21,
  PreconditionFailed: 22,
  TxnConflict: 30,
} as const;

/** One of Maelstrom's named error codes. */
export type ErrorCodeValue = typeof ErrorCode[keyof typeof ErrorCode];

const DEFINITE_CODES: ReadonlySet<number> = new Set([1, 10, 11, 12, 14, 20, 21, 22, 30]);

const CODE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "timeout"],
  [1, "node-not-found"],
  [10, "not-supported"],
  [11, "temporarily-unavailable"],
  [12, "malformed-request"],
  [13, "crash"],
  [14, "abort"],
  [20, "key-does-not-exist"],
  [21, "key-already-exists"],
  [22, "precondition-failed"],
  [30, "txn-conflict"],
]);

/**
 * Returns whether an error code is definite: the operation certainly did not happen.
 * Unknown and custom codes are indefinite, as in Maelstrom.
 */
export function isDefiniteCode(code: number): boolean {
  return DEFINITE_CODES.has(code);
}

/** Returns Maelstrom's name for a code (`"key-does-not-exist"`), or `"unknown"`. */
export function codeName(code: number): string {
  return CODE_NAMES.get(code) ?? "unknown";
}

/**
 * An error with a Maelstrom error code. Handlers throw it to reply with that code; rpc calls
 * reject with it when the peer replies with an error, times out (code 0) or is aborted (code 0).
 *
 * @example
 * ```ts
 * import { ErrorCode, MemoryTransport, Node, RPCError } from "../mod.ts";
 * const store = new Map<string, unknown>();
 * const node = new Node({ ...new MemoryTransport().streams });
 * // The node replies {"type":"error","code":20,"text":"no such key"} to a read of a missing key.
 * node.handle("read", (msg) => {
 *   const key = String(msg.body.key);
 *   if (!store.has(key)) throw new RPCError(ErrorCode.KeyDoesNotExist, "no such key");
 *   return { type: "read_ok", value: store.get(key) };
 * });
 * ```
 */
export class RPCError extends Error {
  /** Maelstrom's numeric error code. */
  readonly code: number;
  /** The human-readable text sent on the wire. */
  readonly text: string;

  /**
   * Creates an error carrying a Maelstrom code.
   *
   * @param code Maelstrom's numeric code (see {@linkcode ErrorCode}).
   * @param text A human-readable explanation; defaults to the code's name.
   * @param options Standard error options (`cause`).
   */
  constructor(code: number, text?: string, options?: ErrorOptions) {
    const message = text ?? codeName(code);
    super(message, options);
    this.name = "RPCError";
    this.code = code;
    this.text = message;
  }

  /** Whether the failed operation certainly did not take effect. */
  get definite(): boolean {
    return isDefiniteCode(this.code);
  }

  /** Builds an error from an `error` reply body. */
  static fromBody(body: ErrorBody): RPCError {
    return new RPCError(body.code, body.text);
  }

  /** The body of an error reply carrying this code and text. */
  toBody(inReplyTo: number | undefined): ErrorBody {
    const body: ErrorBody = { type: "error", code: this.code, text: this.text };
    if (inReplyTo !== undefined) body.in_reply_to = inReplyTo;
    return body;
  }
}
