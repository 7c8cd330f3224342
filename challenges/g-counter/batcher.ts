/**
 * Group commit: callers submit items, one flush runs at a time over everything submitted before
 * it started, and items that arrive during a flush wait for the next one. Each caller's promise
 * settles with its batch's outcome.
 *
 * @module
 */

interface _Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Serialises flushes and batches the items that queue up behind a running one. The queue holds
 * only callers that are waiting for their reply, so it is bounded by the number of concurrent
 * requests.
 *
 * @example
 * ```ts
 * import { Batcher } from "./batcher.ts";
 * const flushed: number[][] = [];
 * const b = new Batcher<number>((items) => { flushed.push(items); return Promise.resolve(); });
 * await Promise.all([b.submit(1), b.submit(2)]); // flushed: [[1], [2]]
 * ```
 */
export class Batcher<T> {
  readonly #flush: (items: T[]) => Promise<void>;
  #queue: _Waiter<T>[] = [];
  #running = false;

  /** @param flush Applies one batch; a throw rejects every caller of that batch. */
  constructor(flush: (items: T[]) => Promise<void>) {
    this.#flush = flush;
  }

  /** Queues `item`; resolves once a flush containing it succeeded. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#flush(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.#running = false;
  }
}
