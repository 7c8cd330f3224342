/**
 * A histogram of positive durations in logarithmic buckets: constant memory, quantiles within 2 %
 * of the true value, for figures counted over every message of a long run.
 *
 * @module
 */

const _FACTOR = 1.02;
const _LOG_FACTOR = Math.log(_FACTOR);
/** Values at or below this (ms) share the first bucket. */
const _FLOOR = 0.01;

/** Counts of values by logarithmic bucket. */
export class LogHistogram {
  #counts: number[] = [];
  #total = 0;
  #sum = 0;
  #max = 0;

  /** Adds one value (negative values count as 0). */
  add(value: number): void {
    const v = Math.max(0, value);
    const bucket = v <= _FLOOR ? 0 : 1 + Math.floor(Math.log(v / _FLOOR) / _LOG_FACTOR);
    while (this.#counts.length <= bucket) this.#counts.push(0);
    this.#counts[bucket]!++;
    this.#total++;
    this.#sum += v;
    if (v > this.#max) this.#max = v;
  }

  /** How many values were added. */
  get count(): number {
    return this.#total;
  }

  /** The mean of the values added (exact), 0 when none. */
  get mean(): number {
    return this.#total === 0 ? 0 : this.#sum / this.#total;
  }

  /** The largest value added (exact), 0 when none. */
  get max(): number {
    return this.#max;
  }

  /**
   * The value at quantile `q` in [0, 1], within 2 % (the upper edge of its bucket, capped at the
   * maximum); 0 when empty.
   */
  quantile(q: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#total));
    let seen = 0;
    for (let bucket = 0; bucket < this.#counts.length; bucket++) {
      seen += this.#counts[bucket]!;
      if (seen >= rank) return Math.min(this.#max, _FLOOR * _FACTOR ** bucket);
    }
    return this.#max;
  }
}
