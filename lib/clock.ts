/**
 * One injectable source of time and timers, so the runtime can run on virtual time in tests and
 * every timer it starts can be cancelled from one place.
 *
 * @module
 */

/** Cancels a timer; calling it again, or after the timer fired, does nothing. */
export type Cancel = () => void;

/** Time and one-shot timers. */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /**
   * Runs `fn` once after `ms` milliseconds.
   *
   * @returns A function that cancels the timer.
   */
  setTimeout(fn: () => void, ms: number): Cancel;
}

/** The real clock: `performance.now()` and the global timers. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout(fn: () => void, ms: number): Cancel {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
};

interface _VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to, for deterministic tests without real sleeps.
 *
 * @example
 * ```ts
 * import { VirtualClock } from "./clock.ts";
 * const clock = new VirtualClock();
 * let fired = false;
 * clock.setTimeout(() => fired = true, 100);
 * await clock.advance(100); // fired === true
 * ```
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: _VirtualTimer[] = [];

  /**
   * Creates a clock stopped at `start`.
   *
   * @param start The initial time in ms (default 0).
   */
  constructor(start = 0) {
    this.#now = start;
  }

  /** The current virtual time in ms. */
  now(): number {
    return this.#now;
  }

  /** Schedules `fn` at `now() + ms` (negative delays count as 0). */
  setTimeout(fn: () => void, ms: number): Cancel {
    const timer: _VirtualTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      const i = this.#timers.indexOf(timer);
      if (i !== -1) this.#timers.splice(i, 1);
    };
  }

  /** How many timers are scheduled and not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in time order (ties in scheduling order).
   * After each timer it lets pending promise callbacks and I/O run, so async work a timer starts
   * (and timers it schedules within the window) complete as they would in real time.
   *
   * @param ms How far to move, in ms (default 0: just fire what is due).
   */
  async advance(ms = 0): Promise<void> {
    const target = this.#now + ms;
    await _settle();
    while (this.#fireNext(target)) await _settle();
    this.#now = target;
  }

  /**
   * Moves time forward by `ms` like {@linkcode VirtualClock.advance}, but synchronously: due timers
   * fire in time order with no turn of the event loop between them, so promise callbacks they
   * start run only afterwards. For code driven by timers alone (the harness's network).
   *
   * @param ms How far to move, in ms (default 0: just fire what is due).
   */
  advanceSync(ms = 0): void {
    const target = this.#now + ms;
    while (this.#fireNext(target));
    this.#now = target;
  }

  /** Fires the earliest timer due by `target`, moving time to it; false when none is. */
  #fireNext(target: number): boolean {
    const next = this.#earliest();
    if (next === undefined || next.at > target) return false;
    this.#timers.splice(this.#timers.indexOf(next), 1);
    this.#now = Math.max(this.#now, next.at);
    next.fn();
    return true;
  }

  #earliest(): _VirtualTimer | undefined {
    let best: _VirtualTimer | undefined;
    for (const t of this.#timers) {
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Lets queued microtasks and ready stream reads run (a zero-delay macrotask turn). */
function _settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
