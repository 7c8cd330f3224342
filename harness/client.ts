/**
 * Client connections: how the harness (workers, init, setup) talks to a node, like Maelstrom's
 * RPC client. One request in flight per connection, `msg_id`s from 1, replies whose `in_reply_to`
 * doesn't match the awaited request discarded.
 *
 * @module
 */

import { type Cancel, type Clock, realClock } from "../lib/clock.ts";
import { type Body, isErrorBody } from "../lib/message.ts";
import type { Endpoint, Network } from "./net/network.ts";
import {
  type ClientRpcOptions,
  type Connection,
  RpcErrorReply,
  RpcTimeoutError,
} from "./workloads/contract.ts";

/** The run's one client id counter: `c0`, `c1`, … (init and setup connections use ids too). */
export class ClientIds {
  #next = 0;

  /** Takes the next id. */
  take(): string {
    return `c${this.#next++}`;
  }

  /** How many ids were handed out. */
  get count(): number {
    return this.#next;
  }
}

/** Options of a {@linkcode ClientConnection}. */
export interface ClientConnectionOptions {
  /** Default per-request timeout, ms. */
  timeoutMs: number;
  /** The clock timeouts run on: the engine's (virtual in simulation); defaults to the real one. */
  clock?: Clock;
}

/** A connection registered on the network under a fresh client id. */
export class ClientConnection implements Connection, Endpoint {
  readonly clientId: string;
  readonly node: string;
  #network: Network;
  #timeoutMs: number;
  #nextMsgId = 1;
  #awaiting: number | undefined;
  #resolve: ((body: Body) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  #clock: Clock;
  #cancelTimer: Cancel | undefined;
  #closed = false;
  #onTimeout = (): void => {
    this.#cancelTimer = undefined;
    this.#settle(undefined, new RpcTimeoutError());
  };

  /** Registers a new client id on `network`, talking to `node`. */
  constructor(network: Network, ids: ClientIds, node: string, options: ClientConnectionOptions) {
    this.clientId = ids.take();
    this.node = node;
    this.#network = network;
    this.#timeoutMs = options.timeoutMs;
    this.#clock = options.clock ?? realClock;
    network.register(this.clientId, this);
  }

  /**
   * Sends `body` with a fresh `msg_id` and waits for the reply.
   *
   * @throws {RpcTimeoutError} When no matching reply arrives in time.
   * @throws {RpcErrorReply} When the reply has `type: "error"`.
   * @throws {Error} When a request is already in flight or the connection is closed.
   */
  rpc(body: Body, options: ClientRpcOptions = {}): Promise<Body> {
    if (this.#closed) return Promise.reject(new Error(`Connection ${this.clientId} is closed`));
    if (this.#awaiting !== undefined) {
      return Promise.reject(
        new Error(`Connection ${this.clientId} already has a request in flight`),
      );
    }
    const msgId = this.#nextMsgId++;
    const { promise, resolve, reject } = Promise.withResolvers<Body>();
    this.#awaiting = msgId;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#cancelTimer = this.#clock.setTimeout(
      this.#onTimeout,
      options.timeoutMs ?? this.#timeoutMs,
    );
    if (!this.#network.send(this.clientId, this.node, { ...body, msg_id: msgId })) {
      this.#settle(undefined, new Error(`Cannot route to ${this.node}`));
    }
    return promise;
  }

  /** Network delivery: settles the pending rpc if `in_reply_to` matches, else discards. */
  deliver(_src: string, body: Body): void {
    if (this.#awaiting === undefined || body.in_reply_to !== this.#awaiting) return;
    if (body.type === "error") {
      const code = isErrorBody(body) ? body.code : -1;
      const text = typeof body.text === "string" ? body.text : "";
      this.#settle(undefined, new RpcErrorReply(code, text));
    } else {
      this.#settle(body, undefined);
    }
  }

  /** Unregisters the client id (later messages to it are unroutable) and fails a pending rpc. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#network.unregister(this.clientId);
    if (this.#awaiting !== undefined) this.#settle(undefined, new RpcTimeoutError("closed"));
  }

  #settle(body: Body | undefined, error: Error | undefined): void {
    const resolve = this.#resolve;
    const reject = this.#reject;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#awaiting = undefined;
    this.#resolve = undefined;
    this.#reject = undefined;
    if (error !== undefined) reject?.(error);
    else if (body !== undefined) resolve?.(body);
  }
}
