/**
 * The harness's one seeded pseudo-random generator: the same seed gives the same generator and
 * nemesis choices.
 *
 * @module
 */

/** A seeded source of randomness. */
export interface Rng {
  /** A float uniform in [0, 1). */
  next(): number;
  /** An integer uniform in [0, n). */
  int(n: number): number;
  /** A float uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator derived from this one (for a sub-stream such as the nemesis). */
  fork(): Rng;
}

/**
 * Creates a generator from a 32-bit seed (mulberry32: tiny, fast, good enough for test schedules).
 *
 * @param seed Any integer; only its low 32 bits are used.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    uniform: (lo, hi) => lo + next() * (hi - lo),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError("Cannot pick from an empty array");
      return items[Math.floor(next() * items.length)] as T;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
    fork: () => createRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}
