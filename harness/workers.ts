/**
 * Worker threads, as Jepsen's interpreter has them: thread `t` targets `nodes[t mod n]`, runs one
 * op at a time, and its process grows by `concurrency` after each `info` (then a non-reusable
 * workload gets a new connection, hence a new client id, and a new client state).
 *
 * @module
 */

import type { History, Op } from "./history.ts";
import type { Rng } from "./rng.ts";
import {
  type Completion,
  type Connection,
  type Invocation,
  MalformedReplyError,
  type Workload,
  type WorkloadClient,
} from "./workloads/contract.ts";
import type { TestOptions } from "./options.ts";

/** A connection the pool can retire. */
export interface ClosableConnection extends Connection {
  close(): void;
}

interface Worker {
  thread: number;
  node: string;
  process: number;
  conn: ClosableConnection;
  client: WorkloadClient;
  busy: boolean;
}

/** Options of a {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  workload: Workload;
  options: TestOptions;
  history: History;
  /** Opens a connection to `node` under a fresh client id. */
  connect(node: string): ClosableConnection;
  /** Picks among free threads (a fork of the seeded generator). */
  rng: Rng;
  /**
   * Sees every client completion as it is recorded (ok, fail or info), as Jepsen hands each one
   * to the generator's `update`: the run passes the main generator's `observe` here.
   */
  onComplete?: (op: Op) => void;
}

/** The fixed set of worker threads `0…concurrency−1`. */
export class WorkerPool {
  #workers: Worker[];
  #opts: WorkerPoolOptions;
  #inFlight = new Set<Promise<void>>();
  #waiters: (() => void)[] = [];
  #stopped = false;

  constructor(opts: WorkerPoolOptions) {
    this.#opts = opts;
    const { options, workload } = opts;
    this.#workers = [];
    for (let t = 0; t < options.concurrency; t++) {
      const node = options.nodes[t % options.nodes.length] as string;
      this.#workers.push({
        thread: t,
        node,
        process: t,
        conn: opts.connect(node),
        client: workload.client(t, options),
        busy: false,
      });
    }
  }

  /** Number of threads. */
  get size(): number {
    return this.#workers.length;
  }

  /**
   * Reserves a free thread, waiting for one if all are busy; resolves undefined if `signal`
   * aborts first. The caller must follow with {@linkcode WorkerPool.start} or
   * {@linkcode WorkerPool.release}.
   */
  async acquire(signal: AbortSignal): Promise<number | undefined> {
    for (;;) {
      if (signal.aborted) return undefined;
      const free = this.#workers.filter((w) => !w.busy);
      if (free.length > 0) {
        const worker = free.length === 1 ? free[0] as Worker : this.#opts.rng.pick(free);
        worker.busy = true;
        return worker.thread;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.#waiters.push(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
  }

  /** Frees a reserved thread without running an op. */
  release(thread: number): void {
    const worker = this.#workers[thread];
    if (worker !== undefined) worker.busy = false;
    // Wake every waiter: each re-checks, and one aborted waiter can't swallow the wake-up.
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Runs `op` on the reserved `thread` in the background. */
  start(thread: number, op: Invocation): void {
    this.perform(thread, op).catch(() => {});
  }

  /**
   * Runs `op` on `thread` (reserved or not), recording invoke and completion.
   *
   * @throws {Error} After {@linkcode WorkerPool.stop}.
   */
  perform(thread: number, op: Invocation): Promise<Completion> {
    if (this.#stopped) return Promise.reject(new Error("The worker pool is stopped"));
    const result = this.#perform(thread, op);
    const done = result.then(() => {}, () => {});
    this.#inFlight.add(done);
    done.then(() => this.#inFlight.delete(done));
    return result;
  }

  /** Refuses new ops from now on (ops in flight finish). */
  stop(): void {
    this.#stopped = true;
  }

  async #perform(thread: number, op: Invocation): Promise<Completion> {
    const worker = this.#workers[thread];
    if (worker === undefined) throw new RangeError(`No worker thread ${thread}`);
    worker.busy = true;
    const { history, workload, options } = this.#opts;
    const base = op.final === undefined
      ? { process: worker.process, f: op.f, node: worker.node }
      : { process: worker.process, f: op.f, node: worker.node, final: op.final };
    history.add({ ...base, type: "invoke", value: op.value });
    let completion: Completion;
    try {
      completion = await worker.client.invoke(op, worker.conn);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const name = error instanceof MalformedReplyError ? "malformed-rpc-response" : (
        error instanceof Error ? error.name : "error"
      );
      completion = {
        type: "info",
        value: op.value,
        error: `indeterminate: ${message}`,
        exception: `${name}: ${message}`,
      };
    }
    const completed = history.add({
      ...base,
      type: completion.type,
      value: completion.value,
      ...(completion.error === undefined ? {} : { error: completion.error }),
      ...(completion.exception === undefined ? {} : { exception: completion.exception }),
    });
    this.#opts.onComplete?.(completed);
    if (completion.type === "info") {
      worker.process += options.concurrency;
      if (!workload.reusableClient && !this.#stopped) {
        worker.conn.close();
        worker.conn = this.#opts.connect(worker.node);
        worker.client = workload.client(worker.process, options);
      }
    }
    this.release(thread);
    return completion;
  }

  /** Resolves when no op is in flight. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /** Closes every worker's connection. */
  close(): void {
    for (const worker of this.#workers) worker.conn.close();
  }
}
