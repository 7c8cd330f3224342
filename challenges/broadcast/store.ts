/**
 * The values one broadcast node holds, indexed by origin and per-origin sequence number.
 *
 * Every value gets a name `(origin, seq)` at the node a client gave it to. A node's knowledge is
 * then summarised by a version vector: for each origin, how many of its values the node holds
 * without a gap. Two nodes compare vectors (25 integers) instead of value sets, which is what keeps
 * anti-entropy cheap and its messages small. A node's seq continues across its restarts (its
 * journal keeps its own values), so a name never stands for two values and vectors stay gap-free.
 *
 * @module
 */

/** One value on the wire: `[origin index, seq from 1, value]`. */
export type Item = [origin: number, seq: number, value: number];

interface _Entry {
  value: number;
  /** When this node first held the value (its clock, ms). */
  at: number;
}

/** Per-origin logs of values plus the version vector over them. */
export class ValueStore {
  /** Per origin, how many values from 1 up this store holds without a gap. */
  readonly vv: number[];
  #logs: (_Entry | undefined)[][];
  #values: number[] = [];
  #seen = new Set<number>();

  /** @param size The number of origins (nodes in the cluster). */
  constructor(size: number) {
    this.vv = new Array<number>(size).fill(0);
    this.#logs = Array.from({ length: size }, () => []);
  }

  /** Every distinct value held, in arrival order (what `read` returns). */
  values(): readonly number[] {
    return this.#values;
  }

  /** Whether the store holds `value` (under any name). */
  holds(value: number): boolean {
    return this.#seen.has(value);
  }

  /**
   * Names a value given to this node by a client and stores it.
   *
   * @returns The new item, or undefined when the value is already held (a client retry).
   */
  addOwn(origin: number, value: number, now: number): Item | undefined {
    if (this.#seen.has(value)) return undefined;
    const log = this.#log(origin);
    const item: Item = [origin, log.length + 1, value];
    this.add(item, now);
    return item;
  }

  /**
   * Stores an item received from a peer.
   *
   * @returns Whether the item was new to this store.
   */
  add(item: Item, now: number): boolean {
    const [origin, seq, value] = item;
    const log = this.#log(origin);
    if (log[seq - 1] !== undefined) return false;
    log[seq - 1] = { value, at: now };
    if (!this.#seen.has(value)) {
      this.#seen.add(value);
      this.#values.push(value);
    }
    let next = this.vv[origin] ?? 0;
    while (log[next] !== undefined) next++;
    this.vv[origin] = next;
    return true;
  }

  /**
   * The items this store has held since `heldBefore` or earlier that a peer whose vector is `vv`
   * lacks. Younger items are left out: they may still be in flight to the peer.
   */
  missingFor(vv: readonly number[], heldBefore: number): Item[] {
    const items: Item[] = [];
    this.#logs.forEach((log, origin) => {
      for (let seq = (vv[origin] ?? 0) + 1; seq <= log.length; seq++) {
        const entry = log[seq - 1];
        if (entry !== undefined && entry.at <= heldBefore) items.push([origin, seq, entry.value]);
      }
    });
    return items;
  }

  #log(origin: number): (_Entry | undefined)[] {
    const log = this.#logs[origin];
    if (log === undefined) throw new RangeError(`Unknown origin index ${origin}`);
    return log;
  }
}

/** Whether two version vectors are equal. */
export function sameVector(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether `a` is at least `b` in every entry (a holder of `a` holds all a holder of `b` does). */
export function covers(a: readonly number[], b: readonly number[]): boolean {
  return b.every((x, i) => (a[i] ?? 0) >= x);
}

/** Raises `into` elementwise to at least `from` (vectors only grow; late reports can't lower). */
export function mergeVector(into: number[], from: readonly number[]): void {
  for (let i = 0; i < into.length; i++) into[i] = Math.max(into[i] ?? 0, from[i] ?? 0);
}
