/**
 * A client of Maelstrom's `lin-tso` timestamp oracle.
 *
 * @module
 */

import type { Node } from "./node.ts";
import type { RpcOptions } from "./pending_rpcs.ts";
import { ErrorCode, RPCError } from "./rpc_error.ts";

/**
 * A client of Maelstrom's `lin-tso` timestamp oracle.
 *
 * @example
 * ```ts
 * import { type Node, TSO } from "../mod.ts";
 * // A fresh timestamp from lin-tso, or an RPCError after a second.
 * function timestamp(node: Node): Promise<number> {
 *   return new TSO(node).ts({ timeoutMs: 1000 });
 * }
 * ```
 */
export class TSO {
  /** The node requests are sent from. */
  readonly node: Node;
  /** The service id (default `"lin-tso"`). */
  readonly service: string;

  /**
   * Creates a client that sends from `node`.
   *
   * @param node The node whose rpc is used.
   * @param service The service id.
   */
  constructor(node: Node, service = "lin-tso") {
    this.node = node;
    this.service = service;
  }

  /**
   * Gets the next timestamp (strictly increasing across the cluster: 0, 1, 2, …).
   *
   * @throws {RPCError} 0 on timeout/abort; 13 when the reply has no integer `ts`.
   */
  async ts(options: RpcOptions = {}): Promise<number> {
    const reply = await this.node.rpc(this.service, { type: "ts" }, options);
    if (reply.type !== "ts_ok" || !Number.isInteger(reply.ts)) {
      throw new RPCError(ErrorCode.Crash, "ts_ok without an integer ts");
    }
    return reply.ts as number;
  }
}
