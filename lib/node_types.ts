/**
 * Types of the node runtime's API: handlers, bodies to send, options, and the shutdown error.
 *
 * @module
 */

import type { Clock } from "./clock.ts";
import type { Logger } from "./log.ts";
import type { Body, Message } from "./message.ts";

/** A body to send: a {@linkcode Body}, or any object with a string `type` (typed interfaces). */
export type OutgoingBody = Body | { readonly type: string };

/** What a handler may return: a body to reply with, or nothing for no reply. */
export type HandlerResult = OutgoingBody | void | undefined;

/** Handles one request; may be async. Throw an {@linkcode RPCError} to reply with its code. */
export type Handler<B extends Body = Body> = (
  msg: Message<B>,
) => HandlerResult | Promise<HandlerResult>;

/** Options of {@linkcode Node}. */
export interface NodeOptions {
  /** Input bytes; defaults to stdin. */
  input?: ReadableStream<Uint8Array>;
  /** Output bytes; defaults to stdout. */
  output?: WritableStream<Uint8Array>;
  /** Timers and time; defaults to the real clock. */
  clock?: Clock;
  /** Where logs go; defaults to stderr. */
  logger?: Logger;
  /**
   * Log, instead of dying from, unhandled rejections and uncaught errors (from `run()` on).
   * Defaults to true when reading stdin (a real node process), false with an injected input.
   */
  catchGlobalErrors?: boolean;
  /** Timeout applied to every rpc that gives none; by default rpcs wait until shutdown. */
  defaultRpcTimeoutMs?: number;
  /**
   * The node's source of randomness, uniform in [0, 1); defaults to `Math.random`. A simulator
   * seeds it, so a node that draws only from {@linkcode Node.random} replays exactly.
   */
  random?: () => number;
  /**
   * The node's own directory for durable state, kept across its restarts (the harness's
   * `<run>/node-dirs/<id>`). Unset, a node process finds its working directory instead.
   */
  dir?: string;
}

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
