/**
 * Challenge 1, echo: reply to every `echo` with `echo_ok` carrying the same `echo` value.
 *
 * Design: one stateless handler; the runtime adds `in_reply_to` and serialises output.
 *
 * Run: `deno task harness test -w echo --bin challenges/echo.ts --node-count 1 --time-limit 10`
 *
 * @module
 */

import { Node, type NodeOptions } from "../mod.ts";

/** Creates an echo node (options inject transport, clock and logger for tests). */
export function createEchoNode(options: NodeOptions = {}): Node {
  const node = new Node(options);
  node.handle("echo", (msg) => ({ type: "echo_ok", echo: msg.body.echo }));
  return node;
}

if (import.meta.main) await createEchoNode().run();
