/**
 * A Maelstrom node toolkit for Deno: the node runtime, typed RPC errors, KV and TSO clients,
 * retry, an injectable clock, and in-memory transports for tests.
 *
 * @example
 * ```ts ignore
 * import { Node } from "./mod.ts";
 * const node = new Node();
 * node.handle("echo", (msg) => ({ type: "echo_ok", echo: msg.body.echo }));
 * await node.run();
 * ```
 *
 * @module
 */

export * from "./lib/message.ts";
export * from "./lib/rpc_error.ts";
export * from "./lib/clock.ts";
export * from "./lib/log.ts";
export * from "./lib/line_stream.ts";
export * from "./lib/transport.ts";
export * from "./lib/node.ts";
export * from "./lib/node_types.ts";
export * from "./lib/kv.ts";
export * from "./lib/tso.ts";
export * from "./lib/retry.ts";
export * from "./lib/memory_transport.ts";
