/**
 * Challenge 2, unique-ids: answer `generate` with an id unique across the cluster, with no
 * coordination (totally available under partitions).
 *
 * Design: id = `<node id>.<boot id>.<counter>` (counter in base 36).
 * - The node id separates nodes: two nodes never share a prefix.
 * - The counter separates ids within one boot of a node.
 * - The boot id separates boots of the same node id: a restarted process starts its counter at 0
 *   again, so node id + counter alone would repeat. The boot id is 96 bits drawn from the node's
 *   source of randomness (`node.random`: `Math.random`, which V8 seeds from the OS per process;
 *   seeded by the simulator in `deno task sim`, so a simulated run replays its ids). Two boots
 *   collide with probability about 2^-96 per pair. No wall-clock time goes in: it would make a
 *   simulated run's history differ from one replay to the next.
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
import { randomToken } from "./common/random.ts";

/** Options of {@linkcode createUniqueIdsNode}. */
export interface UniqueIdsOptions extends NodeOptions {
  /** The per-boot component; defaults to 96 bits from the node's `random` (tests pin it). */
  bootId?: string;
}

/** Returns a fresh per-boot id: 96 bits from `random`, base 36 (see the module doc). */
export function newBootId(random: () => number = Math.random): string {
  return randomToken(random, 2);
}

/** Creates a unique-ids node (options inject transport, clock, logger and the boot id). */
export function createUniqueIdsNode(options: UniqueIdsOptions = {}): Node {
  const { bootId, ...nodeOptions } = options;
  const node = new Node(nodeOptions);
  const boot = bootId ?? newBootId(node.random);
  let prefix = "";
  let counter = 0;
  node.onInit(() => {
    prefix = `${node.id}.${boot}.`;
  });
  node.handle("generate", () => ({ type: "generate_ok", id: prefix + (counter++).toString(36) }));
  return node;
}

if (import.meta.main) await createUniqueIdsNode().run();
