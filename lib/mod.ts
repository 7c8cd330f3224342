/**
 * A Maelstrom node toolkit for Deno, Node and Bun: the node runtime, typed RPC errors, KV and
 * TSO clients, retry, an injectable clock, and in-memory transports for tests.
 *
 * @example
 * ```ts
 * import { MemoryTransport, Node } from "./mod.ts";
 * // A real node reads stdin and writes stdout: `new Node()`, then `await node.run()`. Here the
 * // transport is in memory, so the example runs on its own.
 * const transport = new MemoryTransport();
 * const node = new Node({ ...transport.streams });
 * node.handle("echo", (msg) => ({ type: "echo_ok", echo: msg.body.echo }));
 * const done = node.run();
 * transport.send({
 *   src: "c0",
 *   dest: "n1",
 *   body: { type: "init", msg_id: 1, node_id: "n1", node_ids: ["n1"] },
 * });
 * transport.send({ src: "c1", dest: "n1", body: { type: "echo", msg_id: 1, echo: "hi" } });
 * await transport.next(); // the init_ok line
 * await transport.next(); // {"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"hi",...}}
 * transport.end();
 * await done;
 * ```
 *
 * @module
 */

export * from "./message.ts";
export * from "./rpc_error.ts";
export * from "./clock.ts";
export * from "./log.ts";
export * from "./line_stream.ts";
export * from "./transport.ts";
export * from "./node.ts";
export { type RpcOptions, ShutdownError } from "./pending_rpcs.ts";
export * from "./kv.ts";
export * from "./tso.ts";
export * from "./retry.ts";
export * from "./memory_transport.ts";
