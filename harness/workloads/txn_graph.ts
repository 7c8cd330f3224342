/**
 * A labelled dependency graph between transactions, Tarjan's strongly connected components, and
 * a breadth-first search for a cycle through one chosen kind of edge.
 *
 * @module
 */

/** Edge kinds, as bits so one pair of transactions can carry several. */
export const Rel = {
  ww: 1,
  wr: 2,
  rw: 4,
  process: 8,
  realtime: 16,
} as const;

/** The names of the edge kinds, in the order a cycle step is labelled by. */
export const REL_NAMES: readonly [number, string][] = [
  [Rel.ww, "ww"],
  [Rel.wr, "wr"],
  [Rel.process, "process"],
  [Rel.realtime, "realtime"],
  [Rel.rw, "rw"],
];

/** A directed graph over transaction ids 0…n−1 whose edges carry a bit set of kinds. */
export class DepGraph {
  readonly out: Map<number, number>[];

  constructor(readonly size: number) {
    this.out = Array.from({ length: size }, () => new Map<number, number>());
  }

  /** Adds kind `rel` to the edge `from → to` (self edges are ignored). */
  link(from: number, to: number, rel: number): void {
    if (from === to) return;
    const edges = this.out[from] as Map<number, number>;
    edges.set(to, (edges.get(to) ?? 0) | rel);
  }

  /** The kinds on `from → to` (0 when there is no edge). */
  kinds(from: number, to: number): number {
    return this.out[from]?.get(to) ?? 0;
  }

  /**
   * The strongly connected components with more than one vertex, over edges having a kind in
   * `mask` (iterative Tarjan, so deep graphs don't overflow the stack).
   */
  components(mask: number): number[][] {
    const index = new Int32Array(this.size).fill(-1);
    const low = new Int32Array(this.size);
    const onStack = new Uint8Array(this.size);
    const stack: number[] = [];
    const result: number[][] = [];
    let next = 0;
    for (let root = 0; root < this.size; root++) {
      if (index[root] !== -1) continue;
      const work: [number, IterableIterator<[number, number]>][] = [];
      const enter = (v: number) => {
        index[v] = low[v] = next++;
        stack.push(v);
        onStack[v] = 1;
        work.push([v, (this.out[v] as Map<number, number>).entries()]);
      };
      enter(root);
      while (work.length > 0) {
        const [v, edges] = work[work.length - 1] as [number, IterableIterator<[number, number]>];
        const step = edges.next();
        if (!step.done) {
          const [w, kinds] = step.value;
          if ((kinds & mask) === 0) continue;
          if (index[w] === -1) enter(w);
          else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent !== undefined) {
          low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
        }
        if (low[v] === index[v]) {
          const component: number[] = [];
          let w: number;
          do {
            w = stack.pop() as number;
            onStack[w] = 0;
            component.push(w);
          } while (w !== v);
          if (component.length > 1) result.push(component);
        }
      }
    }
    return result;
  }

  /**
   * A shortest path `from → … → to` within `within`, over edges having a kind in `mask`, as the
   * list of vertices (from first, to last), or undefined.
   */
  path(from: number, to: number, mask: number, within: ReadonlySet<number>): number[] | undefined {
    const prev = new Map<number, number>([[from, -1]]);
    const queue = [from];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head] as number;
      for (const [w, kinds] of this.out[v] as Map<number, number>) {
        if ((kinds & mask) === 0 || !within.has(w) || prev.has(w)) continue;
        prev.set(w, v);
        if (w === to) return _unwind(prev, to);
        queue.push(w);
      }
    }
    return undefined;
  }
}

function _unwind(prev: Map<number, number>, to: number): number[] {
  const out: number[] = [];
  for (let v = to; v !== -1; v = prev.get(v) as number) out.push(v);
  return out.reverse();
}

/** Names the kind a cycle step is labelled by: the first of `REL_NAMES` present in `kinds`. */
export function stepKind(kinds: number): string {
  for (const [bit, name] of REL_NAMES) if ((kinds & bit) !== 0) return name;
  return "none";
}
