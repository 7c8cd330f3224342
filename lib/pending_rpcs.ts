/**
 * The table of rpcs waiting for replies: each entry owns at most one timer and one abort
 * listener, and both are released whichever way the entry ends (reply, timeout, abort, shutdown).
 *
 * @module
 */

import type { Cancel, Clock } from "./clock.ts";
import { type Body, isErrorBody } from "./message.ts";
import { ErrorCode, RPCError } from "./rpc_error.ts";

/** Options of {@linkcode Node.rpc} (and of the KV and TSO clients). */
export interface RpcOptions {
  /** Reject with `RPCError(0)` after this many ms on the node's clock. */
  timeoutMs?: number;
  /** Reject with `RPCError(0)` when this signal aborts. */
  signal?: AbortSignal;
}

/**
 * The reason of {@linkcode Node.signal} and the `cause` of the `RPCError(0)` that rejects rpcs
 * at shutdown, so retry loops can tell "the node is stopping" from a real timeout.
 */
export class ShutdownError extends Error {
  /** Creates the error; the message says why the node stopped. */
  constructor(message = "end of input") {
    super(message);
    this.name = "ShutdownError";
  }
}

interface _Entry {
  /** Who the request went to: only a reply from there completes it. */
  from: string | undefined;
  resolve: (body: Body) => void;
  reject: (error: RPCError) => void;
  cancelTimer: Cancel | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Options of {@linkcode PendingRpcs.wait}. */
export interface WaitOptions {
  /** Reject with code 0 after this many ms on the table's clock. */
  timeoutMs?: number | undefined;
  /** Reject with code 0 when this aborts. */
  signal?: AbortSignal | undefined;
  /** Names the call in the timeout message, e.g. `"rpc read to lin-kv"`. */
  what?: string;
  /**
   * The request's destination: a reply from anyone else does not complete it (a peer answering
   * a previous incarnation of this node, whose `msg_id`s also started at 1, or a confused one).
   */
  from?: string;
}

/** Pending rpcs keyed by `msg_id`. */
export class PendingRpcs {
  #clock: Clock;
  #entries = new Map<number, _Entry>();

  /** @param clock The clock timeouts run on. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** How many rpcs are waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Registers `msgId` and returns the promise of its reply. Call before sending the request.
   *
   * @throws {RPCError} 0 when the signal is already aborted (the promise rejects; nothing is kept).
   */
  wait(msgId: number, options: WaitOptions = {}): Promise<Body> {
    const { timeoutMs, signal, what = "rpc", from } = options;
    if (signal?.aborted) {
      return Promise.reject(
        new RPCError(ErrorCode.Timeout, `${what} aborted`, { cause: signal.reason }),
      );
    }
    return new Promise<Body>((resolve, reject) => {
      const entry: _Entry = {
        from,
        resolve,
        reject,
        cancelTimer: undefined,
        signal,
        onAbort: undefined,
      };
      this.#entries.set(msgId, entry);
      if (timeoutMs !== undefined) {
        entry.cancelTimer = this.#clock.setTimeout(() => {
          const text = `${what} timed out after ${timeoutMs} ms`;
          this.#take(msgId)?.reject(new RPCError(ErrorCode.Timeout, text));
        }, timeoutMs);
      }
      if (signal !== undefined) {
        entry.onAbort = () => {
          const error = new RPCError(ErrorCode.Timeout, `${what} aborted`, {
            cause: signal.reason,
          });
          this.#take(msgId)?.reject(error);
        };
        signal.addEventListener("abort", entry.onAbort, { once: true });
      }
    });
  }

  /**
   * Completes the entry `body.in_reply_to` names: an `error` body rejects with its
   * {@linkcode RPCError}, anything else resolves.
   *
   * @param src Who sent the reply; it must be the request's destination when one was given.
   * @returns False when no entry waits for it (late or stray reply, or one from elsewhere).
   */
  complete(inReplyTo: number, body: Body, src?: string): boolean {
    const waiting = this.#entries.get(inReplyTo);
    if (waiting === undefined || (waiting.from !== undefined && waiting.from !== src)) return false;
    // Found just above, so the take finds it too.
    const entry = this.#take(inReplyTo) as _Entry;
    if (isErrorBody(body)) entry.reject(RPCError.fromBody(body));
    else entry.resolve(body);
    return true;
  }

  /** Rejects every waiting rpc with `error` (at shutdown). */
  failAll(error: RPCError): void {
    for (const msgId of [...this.#entries.keys()]) this.#take(msgId)?.reject(error);
  }

  #take(msgId: number): _Entry | undefined {
    const entry = this.#entries.get(msgId);
    if (entry === undefined) return undefined;
    this.#entries.delete(msgId);
    entry.cancelTimer?.();
    if (entry.onAbort !== undefined) entry.signal?.removeEventListener("abort", entry.onAbort);
    return entry;
  }
}
