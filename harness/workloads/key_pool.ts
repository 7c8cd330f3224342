/**
 * Elle's key pool for generated transactions (kafka and txn-rw-register): `keyCount` active
 * integer keys, chosen with an exponential distribution; each key receives writes 1, 2, … and,
 * after `maxWritesPerKey` of them, retires and a fresh key takes its slot.
 *
 * @module
 */

import type { Rng } from "../rng.ts";

/** Options of {@linkcode KeyPool}. */
export interface KeyPoolOptions {
  /** Active keys at any time (Elle's default is 10). */
  keyCount: number;
  /** Writes per key before it retires (Maelstrom's default is 16). */
  maxWritesPerKey: number;
}

/** The active keys and the next value of each. */
export class KeyPool {
  readonly #rng: Rng;
  readonly #maxWrites: number;
  readonly #slots: number[];
  readonly #written = new Map<number, number>();
  #nextKey: number;

  /** Starts with keys 0…keyCount−1 in slots 0…keyCount−1. */
  constructor(rng: Rng, options: KeyPoolOptions) {
    if (!Number.isInteger(options.keyCount) || options.keyCount < 1) {
      throw new RangeError("--key-count must be a positive integer");
    }
    if (!Number.isInteger(options.maxWritesPerKey) || options.maxWritesPerKey < 1) {
      throw new RangeError("--max-writes-per-key must be a positive integer");
    }
    this.#rng = rng;
    this.#maxWrites = options.maxWritesPerKey;
    this.#slots = Array.from({ length: options.keyCount }, (_, i) => i);
    this.#nextKey = options.keyCount;
  }

  /**
   * Picks an active key. Slot i has weight 2^i, as Elle's exponential distribution with base 2:
   * a uniform x in [2, 2^(n+1)) gives slot floor(log2 x) − 1.
   */
  pick(): number {
    const n = this.#slots.length;
    const x = this.#rng.uniform(2, 2 ** (n + 1));
    const slot = Math.min(n - 1, Math.max(0, Math.floor(Math.log2(x)) - 1));
    return this.#slots[slot] as number;
  }

  /**
   * Returns the next value to write to `key` (1, 2, …) and retires the key once it has had
   * `maxWritesPerKey` writes.
   */
  nextValue(key: number): number {
    const value = (this.#written.get(key) ?? 0) + 1;
    this.#written.set(key, value);
    if (value >= this.#maxWrites) {
      const slot = this.#slots.indexOf(key);
      if (slot >= 0) this.#slots[slot] = this.#nextKey++;
      this.#written.delete(key);
    }
    return value;
  }
}
