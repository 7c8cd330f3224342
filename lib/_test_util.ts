/**
 * Shared set-up for the runtime's unit tests: a node on an in-memory transport, a virtual clock
 * and a memory logger.
 *
 * @module
 */

import { equal as assertEquals } from "node:assert/strict";
import { VirtualClock } from "./clock.ts";
import { MemoryLogger } from "./log.ts";
import { MemoryTransport } from "./memory_transport.ts";
import { Node } from "./node.ts";
import type { NodeOptions } from "./node.ts";

/** A node under test and its surroundings. */
export interface TestNode {
  node: Node;
  transport: MemoryTransport;
  clock: VirtualClock;
  logger: MemoryLogger;
  /** The node's `run()` promise. */
  done: Promise<void>;
}

/** The init request every test starts with. */
export const INIT = {
  src: "c0",
  dest: "n1",
  body: { type: "init", msg_id: 1, node_id: "n1", node_ids: ["n1", "n2", "n3"] },
};

/** The exact init_ok line. */
export const INIT_OK = '{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}';

/** Starts a node; `configure` registers handlers before `run()`. */
export function startNode(
  configure: (node: Node) => void = () => {},
  options: Omit<NodeOptions, "input" | "output" | "clock" | "logger"> = {},
): TestNode {
  const transport = new MemoryTransport();
  const clock = new VirtualClock();
  const logger = new MemoryLogger();
  const node = new Node({ ...transport.streams, clock, logger, ...options });
  configure(node);
  const done = node.run();
  return { node, transport, clock, logger, done };
}

/** Starts a node and completes init, asserting the init_ok line. */
export async function startInitialised(
  configure: (node: Node) => void = () => {},
  options: Omit<NodeOptions, "input" | "output" | "clock" | "logger"> = {},
): Promise<TestNode> {
  const t = startNode(configure, options);
  t.transport.send(INIT);
  assertEquals(await t.transport.next(), INIT_OK);
  return t;
}

/** Ends the input and waits for `run()` to resolve. */
export async function stop(t: TestNode): Promise<void> {
  t.transport.end();
  await t.done;
}

/** A request message from client `c1` to `n1`. */
export function request(body: Record<string, unknown>, src = "c1"): Record<string, unknown> {
  return { src, dest: "n1", body };
}
