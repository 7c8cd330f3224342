/**
 * The timer source of the harness network: real time by default, virtual time in tests.
 *
 * @module
 */

/** An opaque timer handle. */
export type TimerHandle = ReturnType<typeof setTimeout> | number;

/** What the network needs from time: a monotonic clock in ms and one-shot timers. */
export interface NetClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `fn` after about `ms` milliseconds. */
  setTimer(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; ignores handles that already fired. */
  clearTimer(handle: TimerHandle): void;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const realClock: NetClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A virtual clock for tests: time moves only through {@linkcode VirtualClock.advance}. */
export class VirtualClock implements NetClock {
  #now = 0;
  #nextHandle = 1;
  #timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): number {
    const handle = this.#nextHandle++;
    this.#timers.set(handle, { at: this.#now + Math.max(0, ms), fn });
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    if (typeof handle === "number") this.#timers.delete(handle);
  }

  /** Moves time forward by `ms`, firing due timers in deadline order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let best: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at <= target && (best === undefined || entry[1].at < best[1].at)) best = entry;
      }
      if (best === undefined) break;
      this.#timers.delete(best[0]);
      this.#now = Math.max(this.#now, best[1].at);
      best[1].fn();
    }
    this.#now = target;
  }
}
