/**
 * A state-based grow-only counter (G-counter CRDT): one entry per node, each written only by its
 * owner, merged by pointwise max. Merge is commutative, associative and idempotent, so gossip may
 * be lost, duplicated or reordered and replicas still converge once they hear each other.
 *
 * @module
 */

import { isRecord } from "../../lib/message.ts";

/** Per-node totals: node id → that node's own sum of deltas. */
export type GVector = Record<string, number>;

/** Returns true when `value` is a vector of non-negative integers (narrows gossip payloads). */
export function isGVector(value: unknown): value is GVector {
  return isRecord(value) &&
    Object.values(value).every((n) => Number.isInteger(n) && (n as number) >= 0);
}

/** The pointwise max of two vectors (a new object; the inputs are left alone). */
export function mergeVectors(a: GVector, b: GVector): GVector {
  const out: GVector = { ...a };
  for (const [id, n] of Object.entries(b)) out[id] = Math.max(out[id] ?? 0, n);
  return out;
}

/** The counter's value: the sum of every node's entry. */
export function vectorSum(vector: GVector): number {
  let sum = 0;
  for (const n of Object.values(vector)) sum += n;
  return sum;
}

/**
 * One replica: adds go to its own entry, gossip is merged in, and {@linkcode GCounter.own} tells
 * the gossip loop whether there is news to send.
 *
 * @example
 * ```ts
 * import { GCounter } from "./crdt.ts";
 * const a = new GCounter("n0"), b = new GCounter("n1");
 * a.add(3); b.add(4);
 * a.merge(b.vector); // a.value === 7
 * ```
 */
export class GCounter {
  /** The owner's node id: the only entry {@linkcode add} touches. */
  readonly id: string;
  #vector: GVector = {};
  #version = 0;

  /** @param id The owning node's id. */
  constructor(id: string) {
    this.id = id;
  }

  /** A copy of the vector, for gossip. */
  get vector(): GVector {
    return { ...this.#vector };
  }

  /** The current value (sum of all entries). */
  get value(): number {
    return vectorSum(this.#vector);
  }

  /** Bumped on every local change (add or growing merge). */
  get version(): number {
    return this.#version;
  }

  /** The owner's own entry: the gossip loop sends when it moved since the last send. */
  get own(): number {
    return this.#vector[this.id] ?? 0;
  }

  /**
   * Adds a non-negative delta to the owner's entry.
   *
   * @throws {RangeError} For a negative or non-integer delta (a G-counter only grows).
   */
  add(delta: number): void {
    if (!Number.isInteger(delta) || delta < 0) {
      throw new RangeError(`Delta must be a non-negative integer, got ${delta}`);
    }
    if (delta === 0) return;
    this.#vector[this.id] = (this.#vector[this.id] ?? 0) + delta;
    this.#version++;
  }

  /** Merges a peer's vector; returns whether anything grew. */
  merge(other: GVector): boolean {
    let grew = false;
    for (const [id, n] of Object.entries(other)) {
      if (n > (this.#vector[id] ?? 0)) {
        this.#vector[id] = n;
        grew = true;
      }
    }
    if (grew) this.#version++;
    return grew;
  }
}
