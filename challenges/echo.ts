/**
 * Challenge 1, echo: reply to every `echo` with `echo_ok` carrying the same `echo` value.
 *
 * Design: one stateless handler; the runtime adds `in_reply_to` and serialises output.
 *
 * Run: `deno task harness test -w echo --bin challenges/echo.ts --node-count 1 --time-limit 5`
 * Figures: row 1 of `bench/README.md` (`deno task bench --only 1 --runs 3`), with each node kind's
 * start-up time and RSS; echoes per second over pipes: `deno run -A scripts/measure_node.ts
 * challenges/echo.ts`.
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
