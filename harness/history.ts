/**
 * The run's history: invoke and completion ops with integer nanosecond times since the start.
 *
 * @module
 */

/** The four kinds of history entries, as in Jepsen. */
export type OpType = "invoke" | "ok" | "fail" | "info";

/** One history entry. Times are integer nanoseconds since the test started (monotonic). */
export interface Op {
  /** Position in the history, from 0. */
  index: number;
  /** Nanoseconds since the start of the test. */
  time: number;
  type: OpType;
  /** The logical client process, or `"nemesis"`. */
  process: number | "nemesis";
  /** The operation's function, e.g. `"broadcast"`, `"read"`, `"send"`, `"txn"`. */
  f: string;
  value: unknown;
  /** Set on final-phase reads. */
  final?: boolean;
  /** Why an op failed or is indeterminate, e.g. `"net-timeout"` or `[code, text]`. */
  error?: unknown;
  /** Set when a reply was malformed (Jepsen records the exception). */
  exception?: string;
  /** The node the op was sent to (not in Maelstrom's history; handy for reports). */
  node?: string;
}

/** An op as recorded, before the history gives it an index and a time. */
export type OpFields = Omit<Op, "index" | "time">;

/** Thrown for failures of the harness or the nodes' startup/liveness, not of the checked system. */
export class HarnessFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HarnessFailure";
  }
}

/** Appends ops in real-time order, stamped by a clock in ms (`performance.now()` by default). */
export class History {
  /** The ops so far, in order. */
  readonly ops: Op[] = [];
  readonly #t0: number;
  readonly #clock: () => number;

  /**
   * @param t0 The start of the test on `clock`.
   * @param clock Milliseconds on a monotonic clock: the engine's time.
   */
  constructor(t0?: number, clock: () => number = () => performance.now()) {
    this.#clock = clock;
    this.#t0 = t0 ?? clock();
  }

  /** Nanoseconds since the start. */
  now(): number {
    return Math.round((this.#clock() - this.#t0) * 1e6);
  }

  /** Appends one op, stamping its index and time; fields that are undefined are left out. */
  add(fields: OpFields): Op {
    const op: Op = {
      index: this.ops.length,
      time: this.now(),
      type: fields.type,
      process: fields.process,
      f: fields.f,
      value: fields.value,
    };
    if (fields.final !== undefined) op.final = fields.final;
    if (fields.error !== undefined) op.error = fields.error;
    if (fields.exception !== undefined) op.exception = fields.exception;
    if (fields.node !== undefined) op.node = fields.node;
    this.ops.push(op);
    return op;
  }
}

/** One client operation: its invocation and, if it finished, its completion. */
export interface OpPair {
  invoke: Op;
  complete: Op | undefined;
}

/**
 * Pairs each client invocation with the next completion of the same process (a process has one
 * op in flight, so that completion is its own); nemesis ops are skipped.
 */
export function pairOps(history: readonly Op[]): OpPair[] {
  const open = new Map<number, OpPair>();
  const pairs: OpPair[] = [];
  for (const op of history) {
    if (op.process === "nemesis") continue;
    if (op.type === "invoke") {
      const pair = { invoke: op, complete: undefined };
      open.set(op.process, pair);
      pairs.push(pair);
    } else {
      const pair = open.get(op.process);
      if (pair) {
        pair.complete = op;
        open.delete(op.process);
      }
    }
  }
  return pairs;
}
