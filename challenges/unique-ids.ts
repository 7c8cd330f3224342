/**
 * Challenge 2, unique-ids: answer `generate` with an id unique across the cluster, with no
 * coordination (totally available under partitions).
 *
 * Design: id = `<node id>.<boot id>.<counter>` (counter in base 36).
 * - The node id separates nodes: two nodes never share a prefix.
 * - The counter separates ids within one boot of a node.
 * - The boot id separates boots of the same node id: a restarted process starts its counter at 0
 *   again, so node id + counter alone would repeat. The boot id is the start time in ms (base 36)
 *   plus 48 random bits. Two boots collide only if they start in the same millisecond (or the
 *   clock stepped back to it) *and* draw the same 48 bits: about 2^-48 per such pair.
 * - Strings, not numbers: no 2^53 precision limit, and the checker only needs equality.
 * No message is exchanged, so every node answers even when partitioned.
 *
 * Run: `deno task harness test -w unique-ids --bin challenges/unique-ids.ts --time-limit 30
 *   --rate 1000 --node-count 3 --availability total --nemesis partition`
 * Figures: row 2 of `bench/README.md` (`deno task bench --only 2 --runs 3`).
 *
 * @module
 */

import { Node, type NodeOptions } from "../mod.ts";

/** Options of {@linkcode createUniqueIdsNode}. */
export interface UniqueIdsOptions extends NodeOptions {
  /** The per-boot component; defaults to start time plus 48 random bits (tests pin it). */
  bootId?: string;
}

/** Returns a fresh per-boot id: start time in ms and 48 random bits, both base 36. */
export function newBootId(): string {
  const random = crypto.getRandomValues(new Uint32Array(2));
  const bits = (random[0] ?? 0) * 0x10000 + ((random[1] ?? 0) & 0xffff); // 48 bits, exact
  return Date.now().toString(36) + bits.toString(36).padStart(10, "0");
}

/** Creates a unique-ids node (options inject transport, clock, logger and the boot id). */
export function createUniqueIdsNode(options: UniqueIdsOptions = {}): Node {
  const { bootId = newBootId(), ...nodeOptions } = options;
  const node = new Node(nodeOptions);
  let prefix = "";
  let counter = 0;
  node.onInit(() => {
    prefix = `${node.id}.${bootId}.`;
  });
  node.handle("generate", () => ({ type: "generate_ok", id: prefix + (counter++).toString(36) }));
  return node;
}

if (import.meta.main) await createUniqueIdsNode().run();
