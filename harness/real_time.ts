/**
 * Real time for the process engine: `performance.now()`, abortable timer sleeps, deadlines, and
 * the precise sleeper for the stagger's sub-millisecond waits.
 *
 * @module
 */

import { setTimeout as sleepMs } from "node:timers/promises";
import type { EngineTime } from "./engine.ts";
import { PreciseSleeper } from "./precise_sleep.ts";

/** Sleeps `ms`; resolves false instead of throwing when `signal` aborts. */
export async function sleepUnless(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleepMs(Math.max(0, ms), undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Resolves when `signal` aborts. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}

/** An AbortController that aborts itself after `ms`; call `clear()` when done. */
export function deadlineSignal(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * The wall clock as {@linkcode EngineTime}. Owns a {@linkcode PreciseSleeper} (a Worker):
 * {@linkcode RealTime.close} it when the run is over.
 */
export class RealTime implements EngineTime, Disposable {
  readonly #sleeper = new PreciseSleeper();

  now(): number {
    return performance.now();
  }

  sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    return sleepUnless(ms, signal);
  }

  preciseSleep(ms: number, signal: AbortSignal): Promise<boolean> {
    return this.#sleeper.sleep(ms, signal);
  }

  deadline(ms: number): { signal: AbortSignal; clear(): void } {
    return deadlineSignal(ms);
  }

  /** Resolves once the precise sleeper's worker has loaded, so the first wait is precise. */
  ready(): Promise<void> {
    return this.#sleeper.ready();
  }

  /** Stops the precise sleeper; its waits in progress resolve false. */
  close(): void {
    this.#sleeper.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
