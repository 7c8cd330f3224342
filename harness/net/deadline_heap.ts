/**
 * A binary min-heap of pending deliveries keyed by deadline, ties by send order (`seq`).
 *
 * @module
 */

/** Something with a deadline and a tie-breaking sequence number. */
export interface Deadlined {
  deadline: number;
  seq: number;
}

function _before(a: Deadlined, b: Deadlined): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

/** The min-heap. */
export class DeadlineHeap<T extends Deadlined> {
  #items: T[] = [];

  /** Number of items. */
  get size(): number {
    return this.#items.length;
  }

  /** The earliest item, or undefined when empty. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds an item. */
  push(item: T): void {
    const heap = this.#items;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as T;
      if (!_before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  /** Removes and returns the earliest item. */
  pop(): T | undefined {
    const heap = this.#items;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && _before(heap[r] as T, heap[l] as T) ? r : l;
      if (!_before(heap[c] as T, last)) break;
      heap[i] = heap[c] as T;
      i = c;
    }
    heap[i] = last;
    return top;
  }

  /** Drops every item. */
  clear(): void {
    this.#items = [];
  }
}
