/**
 * Broadcast topologies (Maelstrom's `workload/broadcast.clj`): node → neighbours, with nodes
 * indexed 0…n−1 in test order and neighbour lists in Maelstrom's order.
 *
 * @module
 */

/** The accepted `--topology` values. */
export const topologyKinds: readonly string[] = [
  "line",
  "grid",
  "tree",
  "tree2",
  "tree3",
  "tree4",
  "total",
];

/**
 * Builds the topology map:
 * - `line`: first → [second], last → [second-last], i → [i−1, i+1]; `{}` below 2 nodes;
 * - `grid`: side ⌈√n⌉, idx = row·side + col, neighbours down, up, right, left (cells off the
 *   grid or with idx ≥ n skipped);
 * - `treeB` (`tree` = `tree2`): [parent ⌊(i−1)/B⌋ (none for the root), children B·i+1…B·i+B];
 * - `total`: every other node, in order.
 *
 * @throws {RangeError} On an unknown kind; the message lists the valid ones.
 */
export function makeTopology(kind: string, nodes: readonly string[]): Record<string, string[]> {
  switch (kind) {
    case "line":
      return _line(nodes);
    case "grid":
      return _grid(nodes);
    case "tree":
    case "tree2":
      return _tree(nodes, 2);
    case "tree3":
      return _tree(nodes, 3);
    case "tree4":
      return _tree(nodes, 4);
    case "total":
      return Object.fromEntries(nodes.map((node) => [node, nodes.filter((n) => n !== node)]));
    default:
      throw new RangeError(
        `Unknown topology "${kind}"; expected one of ${topologyKinds.join(", ")}`,
      );
  }
}

function _line(nodes: readonly string[]): Record<string, string[]> {
  if (nodes.length < 2) return {};
  return Object.fromEntries(
    nodes.map((node, i) => [node, [nodes[i - 1], nodes[i + 1]].filter(_defined)]),
  );
}

function _grid(nodes: readonly string[]): Record<string, string[]> {
  const n = nodes.length;
  const side = Math.ceil(Math.sqrt(n));
  const at = (row: number, col: number): string | undefined =>
    row >= 0 && col >= 0 && col < side && row * side + col < n
      ? nodes[row * side + col]
      : undefined;
  return Object.fromEntries(nodes.map((node, idx) => {
    const row = Math.floor(idx / side);
    const col = idx % side;
    const around = [at(row + 1, col), at(row - 1, col), at(row, col + 1), at(row, col - 1)];
    return [node, around.filter(_defined)];
  }));
}

function _tree(nodes: readonly string[], branch: number): Record<string, string[]> {
  return Object.fromEntries(nodes.map((node, i) => {
    const parent = i === 0 ? [] : [nodes[Math.floor((i - 1) / branch)]];
    const children = nodes.slice(branch * i + 1, branch * i + branch + 1);
    return [node, [...parent.filter(_defined), ...children]];
  }));
}

function _defined(value: string | undefined): value is string {
  return value !== undefined;
}
