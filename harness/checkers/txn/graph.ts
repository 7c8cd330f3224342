/**
 * A labelled dependency graph between transactions, Tarjan's strongly connected components, and
 * breadth-first searches for a path back that closes a cycle: over chosen kinds of edge, or with
 * no two anti-dependency (rw) steps in a row.
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

/**
 * The names of the edge kinds, in the order a cycle step carrying several is labelled by: data
 * dependencies before order edges, as Elle's explainer does, but ww before wr, so that a cycle of
 * write dependencies is named G0 (Adya) even where each step is also a read dependency.
 */
export const REL_NAMES: readonly [number, string][] = [
  [Rel.ww, "ww"],
  [Rel.wr, "wr"],
  [Rel.rw, "rw"],
  [Rel.process, "process"],
  [Rel.realtime, "realtime"],
];

/** A path: its vertices, and for each step `vertices[i] → vertices[i + 1]` the kind it takes. */
export interface Path {
  vertices: number[];
  kinds: number[];
}

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
   * A shortest path `from → … → to` within `within`, over edges having a kind in `mask`, each
   * step labelled by {@linkcode stepBit}; undefined when there is none.
   */
  path(from: number, to: number, mask: number, within: ReadonlySet<number>): Path | undefined {
    const prev = new Map<number, number>([[from, -1]]);
    const queue = [from];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head] as number;
      for (const [w, kinds] of this.out[v] as Map<number, number>) {
        if ((kinds & mask) === 0 || !within.has(w) || prev.has(w)) continue;
        prev.set(w, v);
        if (w === to) {
          const vertices = _unwind(prev, to);
          const steps = vertices.slice(1).map((b, i) =>
            stepBit(this.kinds(vertices[i] as number, b) & mask)
          );
          return { vertices, kinds: steps };
        }
        queue.push(w);
      }
    }
    return undefined;
  }

  /**
   * A shortest walk `from → … → to` within `within` for a cycle whose step into `from` is a
   * `spaced` edge: no two `spaced` steps in a row, the last step (into `to`) not `spaced`, and at
   * least one `spaced` step on the way. Other steps take kinds in `mask`. Vertices may repeat (in
   * different states); undefined when there is none.
   */
  spacedPath(
    from: number,
    to: number,
    mask: number,
    spaced: number,
    within: ReadonlySet<number>,
  ): Path | undefined {
    // A state is vertex × (last step spaced?) × (two or more spaced steps, the first included?).
    const id = (v: number, last: number, many: number) => v * 4 + last * 2 + many;
    const start = id(from, 1, 0);
    const goal = id(to, 0, 1);
    const prev = new Map<number, [number, number]>([[start, [-1, 0]]]);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const [v, last, many] = [state >> 2, (state >> 1) & 1, state & 1];
      for (const [w, kinds] of this.out[v] as Map<number, number>) {
        if (!within.has(w)) continue;
        const moves: [number, number][] = [];
        const plain = kinds & mask & ~spaced;
        if (plain !== 0) moves.push([id(w, 0, many), stepBit(plain)]);
        if ((kinds & spaced) !== 0 && last === 0) moves.push([id(w, 1, 1), spaced]);
        for (const [next, bit] of moves) {
          if (prev.has(next)) continue;
          prev.set(next, [state, bit]);
          if (next === goal) return _unwindStates(prev, goal);
          queue.push(next);
        }
      }
    }
    return undefined;
  }
}

function _unwindStates(prev: Map<number, [number, number]>, goal: number): Path {
  const vertices: number[] = [];
  const kinds: number[] = [];
  for (let s = goal; s !== -1;) {
    const [before, bit] = prev.get(s) as [number, number];
    vertices.push(s >> 2);
    if (before !== -1) kinds.push(bit);
    s = before;
  }
  return { vertices: vertices.reverse(), kinds: kinds.reverse() };
}

function _unwind(prev: Map<number, number>, to: number): number[] {
  const out: number[] = [];
  for (let v = to; v !== -1; v = prev.get(v) as number) out.push(v);
  return out.reverse();
}

/** The kind a step carrying `kinds` is labelled by: the first of `REL_NAMES` present (0 if none). */
export function stepBit(kinds: number): number {
  for (const [bit] of REL_NAMES) if ((kinds & bit) !== 0) return bit;
  return 0;
}

/** The name of one kind bit (`"none"` for 0). */
export function kindName(bit: number): string {
  return REL_NAMES.find(([b]) => b === bit)?.[1] ?? "none";
}
