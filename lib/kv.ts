/**
 * Clients for Maelstrom's key-value services (`lin-kv`, `seq-kv`, `lww-kv`).
 *
 * @module
 */

import type { Body } from "./message.ts";
import type { Node } from "./node.ts";
import type { RpcOptions } from "./pending_rpcs.ts";
import { ErrorCode, RPCError } from "./rpc_error.ts";

/** The KV services Maelstrom provides. */
export type KVService = "lin-kv" | "seq-kv" | "lww-kv";

/** A key: Maelstrom accepts any JSON value; strings and numbers are the useful ones. */
export type KVKey = string | number;

/** Options of {@linkcode KV.cas}. */
export interface CasOptions<T> {
  /** The value the key must hold for the swap to happen. */
  from: T;
  /** The value to store. */
  to: T;
  /** When the key is missing, store `to` instead of failing with 20 (lww-kv ignores this). */
  createIfNotExists?: boolean;
}

/**
 * The calls of a KV client. {@linkcode KV} implements it; designs that need only these calls take
 * a `KVClient`, so their tests can pass a fake or an in-process service.
 */
export interface KVClient {
  /** See {@linkcode KV.read}. */
  read<T = unknown>(key: KVKey, options?: RpcOptions): Promise<T>;
  /** See {@linkcode KV.write}. */
  write(key: KVKey, value: unknown, options?: RpcOptions): Promise<void>;
  /** See {@linkcode KV.cas}. */
  cas<T>(key: KVKey, cas: CasOptions<T>, options?: RpcOptions): Promise<void>;
}

/**
 * A client of one KV service, sending requests from `node`.
 *
 * @example
 * ```ts
 * import { KV, type Node } from "../mod.ts";
 * // Bumps a counter kept in seq-kv, creating it at 1 if it is missing.
 * async function bump(node: Node, from: number): Promise<void> {
 *   const kv = new KV(node, "seq-kv");
 *   await kv.cas("counter", { from, to: from + 1, createIfNotExists: from === 0 });
 * }
 * ```
 */
export class KV implements KVClient {
  /** The node requests are sent from. */
  readonly node: Node;
  /** The service id requests are sent to. */
  readonly service: string;

  /**
   * Creates a client that sends from `node`.
   *
   * @param node The node whose rpc is used.
   * @param service The service id (`"lin-kv"`, `"seq-kv"`, `"lww-kv"`).
   */
  constructor(node: Node, service: KVService | string) {
    this.node = node;
    this.service = service;
  }

  /**
   * Reads a key. The value is returned as `T` without checking: narrow it if unsure.
   *
   * @returns The stored value.
   * @throws {RPCError} 20 when the key is missing; 0 on timeout/abort; the service's other codes.
   */
  async read<T = unknown>(key: KVKey, options: RpcOptions = {}): Promise<T> {
    const reply = await this.node.rpc(this.service, { type: "read", key }, options);
    _expect(reply, "read_ok");
    if (!("value" in reply)) throw new RPCError(ErrorCode.Crash, "read_ok without a value");
    return reply.value as T;
  }

  /**
   * Reads a key, returning `fallback` when it is missing (code 20).
   *
   * @throws {RPCError} 0 on timeout/abort; the service's codes other than 20.
   */
  async readOr<T>(key: KVKey, fallback: T, options: RpcOptions = {}): Promise<T> {
    try {
      return await this.read<T>(key, options);
    } catch (error) {
      if (error instanceof RPCError && error.code === ErrorCode.KeyDoesNotExist) return fallback;
      throw error;
    }
  }

  /**
   * Writes a key unconditionally.
   *
   * @throws {RPCError} 0 on timeout/abort; the service's codes.
   */
  async write(key: KVKey, value: unknown, options: RpcOptions = {}): Promise<void> {
    const reply = await this.node.rpc(this.service, { type: "write", key, value }, options);
    _expect(reply, "write_ok");
  }

  /**
   * Compare-and-set: stores `to` if the key holds `from` (JSON equality, so 1 ≠ 1.0 in Maelstrom).
   *
   * @throws {RPCError} 22 when the value differs; 20 when the key is missing and
   *   `createIfNotExists` is not set; 0 on timeout/abort.
   */
  async cas<T>(key: KVKey, cas: CasOptions<T>, options: RpcOptions = {}): Promise<void> {
    const body: Body = { type: "cas", key, from: cas.from, to: cas.to };
    if (cas.createIfNotExists) body.create_if_not_exists = true;
    const reply = await this.node.rpc(this.service, body, options);
    _expect(reply, "cas_ok");
  }
}

function _expect(reply: Body, type: string): void {
  if (reply.type !== type) {
    throw new RPCError(ErrorCode.Crash, `expected ${type}, got ${reply.type}`);
  }
}
