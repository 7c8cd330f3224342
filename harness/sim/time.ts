/**
 * Virtual time for the simulator: one clock for the harness, the network, the services and every
 * node, and the scheduler that moves it.
 *
 * Time moves only when nothing else can: {@linkcode SimTime.drive} waits one `setImmediate` turn,
 * which runs after every pending promise callback and stream read (everything in a simulated run
 * is JavaScript in this process, so nothing else is pending then), then fires the earliest timer,
 * moving the clock to its due time, and turns again. Timers fire one at a time, in due-time order
 * and, at equal times, in the order they were set, each followed by a full turn, as real timers
 * are. The same inputs therefore give the same sequence of events, byte for byte.
 *
 * @module
 */

import { setImmediate } from "node:timers";
import type { Cancel, Clock } from "../../lib/clock.ts";
import type { EngineTime } from "../engine.ts";
import { DeadlineHeap } from "../net/deadline_heap.ts";

interface _Timer {
  deadline: number;
  seq: number;
  fn: (() => void) | undefined;
}

/** One turn of the event loop: every pending promise callback and stream read runs first. */
function _turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A virtual clock (a lib {@linkcode Clock}, so nodes take it) and the run's {@linkcode EngineTime}. */
export class SimTime implements Clock, EngineTime {
  #now = 0;
  #seq = 0;
  #timers = new DeadlineHeap<_Timer>();
  #live = 0;
  #fired = 0;

  /** Virtual milliseconds since the run's start (0). */
  now(): number {
    return this.#now;
  }

  /** Runs `fn` at `now() + ms` (negative delays count as 0); returns its cancel. */
  setTimeout(fn: () => void, ms: number): Cancel {
    const timer: _Timer = { deadline: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    this.#live++;
    return () => {
      if (timer.fn === undefined) return;
      timer.fn = undefined;
      this.#live--;
    };
  }

  /** Timers set and neither fired nor cancelled. */
  get pending(): number {
    return this.#live;
  }

  /** Timers fired so far. */
  get fired(): number {
    return this.#fired;
  }

  sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        cancel();
        resolve(false);
      };
      const cancel = this.setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Virtual time is exact: the same as {@linkcode SimTime.sleep}. */
  preciseSleep(ms: number, signal: AbortSignal): Promise<boolean> {
    return this.sleep(ms, signal);
  }

  deadline(ms: number): { signal: AbortSignal; clear(): void } {
    const controller = new AbortController();
    const cancel = this.setTimeout(() => controller.abort(), ms);
    return { signal: controller.signal, clear: cancel };
  }

  /**
   * Fires the earliest live timer, moving the clock to its due time.
   *
   * @returns False when no timer is set.
   */
  fireNext(): boolean {
    for (let timer = this.#timers.pop(); timer !== undefined; timer = this.#timers.pop()) {
      const fn = timer.fn;
      if (fn === undefined) continue;
      timer.fn = undefined;
      this.#live--;
      this.#fired++;
      if (timer.deadline > this.#now) this.#now = timer.deadline;
      fn();
      return true;
    }
    return false;
  }

  /**
   * The scheduler: until `stop()`, lets all pending work settle, then fires the next timer. With
   * no timer set and work still awaited, something outside the simulation (a file write of the
   * harness) must finish first: it waits a real millisecond and looks again.
   *
   * @returns `stop()`, which resolves once the loop has ended.
   */
  drive(): { stop(): Promise<void> } {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        await _turn();
        if (stopped) break;
        if (!this.fireNext()) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    return {
      stop: () => {
        stopped = true;
        return loop;
      },
    };
  }
}
