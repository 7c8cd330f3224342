/**
 * The partition nemesis's shapes (Jepsen's partition package as Maelstrom configures it): each
 * `start-partition` picks one shape uniformly and turns it into a grudge, dest → the srcs whose
 * messages it drops. Grudges hold only cluster nodes, so client and service links are never cut.
 * Nodes that drop nothing are left out of the grudge, so a no-op partition (n = 1, or
 * minority-third with n ≤ 3) is an empty map.
 *
 * @module
 */

import type { Rng } from "../rng.ts";

/** The shapes Maelstrom's nemesis picks from (`:primaries` is excluded there). */
export const partitionShapes = ["one", "majority", "minority-third", "majorities-ring"] as const;

/** One of {@linkcode partitionShapes}. */
export type PartitionShape = typeof partitionShapes[number];

/** A chosen partition: its shape and grudge (dest → srcs it drops). */
export interface Partition {
  shape: PartitionShape;
  grudge: Map<string, Set<string>>;
}

/** Picks a shape uniformly, then a random partition of that shape. */
export function pickPartition(nodes: readonly string[], rng: Rng): Partition {
  const shape = rng.pick(partitionShapes);
  return { shape, grudge: grudgeFor(shape, nodes, rng) };
}

/**
 * A random partition of the given shape:
 * - `one`: one random node isolated both ways;
 * - `majority`: shuffled, split into ⌊n/2⌋ | ⌈n/2⌉, cross links cut both ways;
 * - `minority-third`: shuffled, ⌊(n−1)/3⌋ nodes split off;
 * - `majorities-ring`, n ≤ 5: a random ring; each node hears only the m = ⌊n/2⌋+1 ring nodes
 *   centred on itself (itself included), so at n = 3 each hears only its predecessor;
 * - `majorities-ring`, n > 5: a random symmetric graph in which each node links to ≥ m−1
 *   others, every other link cut.
 */
export function grudgeFor(
  shape: PartitionShape,
  nodes: readonly string[],
  rng: Rng,
): Map<string, Set<string>> {
  switch (shape) {
    case "one": {
      if (nodes.length === 0) return new Map();
      const victim = rng.pick(nodes);
      return _completeGrudge([[victim], nodes.filter((n) => n !== victim)]);
    }
    case "majority":
      return _split(rng.shuffle(nodes), Math.floor(nodes.length / 2));
    case "minority-third":
      return _split(rng.shuffle(nodes), Math.floor((nodes.length - 1) / 3));
    case "majorities-ring":
      return nodes.length <= 5 ? _perfectRing(nodes, rng) : _stochasticRing(nodes, rng);
  }
}

/** The history form of a grudge: dest → srcs it drops, both sorted. */
export function describeGrudge(
  grudge: ReadonlyMap<string, ReadonlySet<string>>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const dest of [...grudge.keys()].sort()) out[dest] = [...(grudge.get(dest) ?? [])].sort();
  return out;
}

function _split(shuffled: readonly string[], at: number): Map<string, Set<string>> {
  return _completeGrudge([shuffled.slice(0, at), shuffled.slice(at)]);
}

/** Each node drops every node outside its own component. */
function _completeGrudge(components: readonly (readonly string[])[]): Map<string, Set<string>> {
  const grudge = new Map<string, Set<string>>();
  for (const component of components) {
    const others = components.filter((c) => c !== component).flat();
    if (others.length === 0) continue;
    for (const node of component) grudge.set(node, new Set(others));
  }
  return grudge;
}

/** Grudge from "who hears whom": each node drops all nodes it does not hear. */
function _invert(nodes: readonly string[], hears: ReadonlyMap<string, ReadonlySet<string>>) {
  const grudge = new Map<string, Set<string>>();
  for (const node of nodes) {
    const dropped = nodes.filter((other) => !(hears.get(node)?.has(other) ?? false));
    if (dropped.length > 0) grudge.set(node, new Set(dropped));
  }
  return grudge;
}

function _perfectRing(nodes: readonly string[], rng: Rng): Map<string, Set<string>> {
  const ring = rng.shuffle(nodes);
  const n = ring.length;
  const m = Math.floor(n / 2) + 1;
  const hears = new Map<string, Set<string>>();
  for (let start = 0; start < n; start++) {
    const window = Array.from({ length: m }, (_, k) => ring[(start + k) % n] as string);
    hears.set(window[Math.floor(m / 2)] as string, new Set(window));
  }
  return _invert(nodes, hears);
}

function _stochasticRing(nodes: readonly string[], rng: Rng): Map<string, Set<string>> {
  const m = Math.floor(nodes.length / 2) + 1;
  // Degrees count the node itself, as Jepsen's do: done when every degree reaches m.
  const links = new Map(nodes.map((node) => [node, new Set([node])]));
  const degree = (node: string): number => links.get(node)?.size ?? 0;
  for (;;) {
    const least = Math.min(...nodes.map(degree));
    if (least >= m) break;
    const a = rng.pick(nodes.filter((node) => degree(node) === least));
    const strangers = nodes.filter((node) => !(links.get(a)?.has(node) ?? true));
    const fewest = Math.min(...strangers.map(degree));
    const b = rng.pick(strangers.filter((node) => degree(node) === fewest));
    links.get(a)?.add(b);
    links.get(b)?.add(a);
  }
  return _invert(nodes, links);
}
