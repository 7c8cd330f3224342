/**
 * The one rule for where a challenge node may keep durable state: only in a working directory of
 * its own, named after its id (the harness's `<run>/node-dirs/<node>`, kept across the node's
 * restarts). Maelstrom runs every node in one `/tmp` kept between runs, where a file could be
 * another node's or an earlier run's; there a node keeps nothing.
 *
 * @module
 */

import { basename } from "node:path";

/** Whether `cwd` is `nodeId`'s own working directory. */
export function isOwnDirectory(nodeId: string, cwd: string = Deno.cwd()): boolean {
  return nodeId !== "" && basename(cwd) === nodeId;
}
