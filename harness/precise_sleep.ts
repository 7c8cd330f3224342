/**
 * An abortable sleep with sub-millisecond precision, for the main phase's stagger.
 *
 * JavaScript timers fire about a millisecond late, which at `--rate 1000` (mean gap 1 ms) would
 * halve the load. Jepsen's interpreter waits for the next op by parking a JVM thread with a
 * timeout in microseconds; the honest analogue here parks a Worker thread with `Atomics.wait`,
 * whose timeout is fractional, and wakes the caller with a message. The wake-up costs about
 * 0.1–0.3 ms, comparable to the JVM's.
 *
 * @module
 */

/** The longest one park in the worker lasts, ms: bounds how long the worker stays busy after an abort. */
const SLICE_MS = 5;

/**
 * Sleeps on one Worker thread. Sleeps are meant to come one at a time (a single loop): the worker
 * serves parks in order, so overlapping sleeps would delay each other. Call
 * {@linkcode PreciseSleeper.close} (or `using`) when done, or the Worker keeps the process alive.
 *
 * @example
 * ```ts
 * using sleeper = new PreciseSleeper();
 * await sleeper.sleep(0.4, AbortSignal.timeout(1000)); // true after ~0.4 ms
 * ```
 */
export class PreciseSleeper implements Disposable {
  #worker: Worker | undefined;
  #parks = new Map<number, (ok: boolean) => void>();
  #nextId = 0;
  #ready: Promise<boolean>;
  #closed = false;

  /** Starts the worker; it answers once it has loaded (see {@linkcode PreciseSleeper.ready}). */
  constructor() {
    const worker = new Worker(new URL("./_precise_sleep_worker.ts", import.meta.url), {
      type: "module",
    });
    worker.onmessage = (event: MessageEvent<number>) => this.#parks.get(event.data)?.(true);
    worker.onerror = (event) => {
      // Degrade to timers rather than crash the run or stall every sleep.
      event.preventDefault();
      console.error(`precise sleep: worker failed (${event.message}); using timers`);
      this.#stopWorker();
      // Parks the worker never answered end now; each sleep re-measures what is left.
      this.#settleAll(true);
    };
    this.#worker = worker;
    this.#ready = this.#park(0, undefined);
  }

  /** Resolves once the worker has loaded, so the first sleep does not pay for its start-up. */
  async ready(): Promise<void> {
    await this.#ready;
  }

  /**
   * Waits `ms` (fractions count), measured from the call on `performance.now()`.
   *
   * @param ms How long to wait; zero or less returns at once.
   * @param signal Cuts the wait short.
   * @returns true after the full wait; false, promptly, when `signal` aborts or the sleeper is
   * closed.
   */
  async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    const deadline = performance.now() + ms;
    for (;;) {
      if (signal.aborted || this.#closed) return false;
      const rest = deadline - performance.now();
      if (rest <= 0) return true;
      if (!await this.#park(Math.min(rest, SLICE_MS), signal)) return false;
    }
  }

  /** Stops the worker; sleeps in progress and later ones resolve false. */
  close(): void {
    this.#stopWorker();
    this.#closed = true;
    this.#settleAll(false);
  }

  /** Same as {@linkcode PreciseSleeper.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #settleAll(ok: boolean): void {
    for (const settle of [...this.#parks.values()]) settle(ok);
  }

  #stopWorker(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  /** One park of `ms` in the worker, raced with `signal`; a timer stands in after a failure. */
  #park(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const id = this.#nextId++;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (ok: boolean) => {
        this.#parks.delete(id);
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(ok);
      };
      const onAbort = () => settle(false);
      this.#parks.set(id, settle);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (this.#worker === undefined) timer = setTimeout(() => settle(true), ms);
      else this.#worker.postMessage({ id, ms });
    });
  }
}
