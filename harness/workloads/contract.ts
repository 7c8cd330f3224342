/**
 * The workload contract: what a workload (generator, client, checker) may ask of the engine that
 * runs the nodes, and what the engine asks of it. The engine (runner, network, processes,
 * clients) knows nothing about any particular workload: a workload is a {@linkcode Workload}
 * value that generates operations, performs them through a client {@linkcode Connection}, and
 * checks the resulting history.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import type { Op } from "../history.ts";
import type { TestOptions } from "../options.ts";
import type { Rng } from "../rng.ts";

/** What a workload asks the engine to perform for one operation. */
export interface Invocation {
  f: string;
  value: unknown;
  final?: boolean;
}

/** How an operation completed. */
export interface Completion {
  type: "ok" | "fail" | "info";
  value: unknown;
  error?: unknown;
  exception?: string;
}

/** Options of one RPC from a client connection. */
export interface ClientRpcOptions {
  /** Defaults to the workload's {@linkcode Workload.timeoutMs}. */
  timeoutMs?: number;
}

/**
 * A client connection: one client id (`c7`), talking to one node, one request in flight.
 * `rpc` resolves with the reply body, or rejects with {@linkcode RpcTimeoutError} or
 * {@linkcode RpcErrorReply}. Replies whose `in_reply_to` does not match are discarded.
 */
export interface Connection {
  /** This connection's client id, e.g. `"c7"`. */
  readonly clientId: string;
  /** The node this connection talks to. */
  readonly node: string;
  rpc(body: Body, options?: ClientRpcOptions): Promise<Body>;
}

/** Thrown by {@linkcode Connection.rpc} when no reply arrives in time. */
export class RpcTimeoutError extends Error {
  constructor(message = "net-timeout") {
    super(message);
    this.name = "RpcTimeoutError";
  }
}

/** Thrown by {@linkcode Connection.rpc} when the node replies with `type: "error"`. */
export class RpcErrorReply extends Error {
  readonly code: number;
  readonly text: string;
  constructor(code: number, text: string) {
    super(`error ${code}: ${text}`);
    this.name = "RpcErrorReply";
    this.code = code;
    this.text = text;
  }
}

/** Thrown by a workload client when a reply breaks the workload's closed schema. */
export class MalformedReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedReplyError";
  }
}

/** Per-process client state of a workload (kafka keeps offsets here). */
export interface WorkloadClient {
  /**
   * Performs one operation through `conn` and says how it completed. Timeouts and error
   * replies are mapped to fail/info by the workload (see `errors.ts` in the harness);
   * a {@linkcode MalformedReplyError} may be thrown and the engine records an info op with
   * the exception, as Jepsen does.
   */
  invoke(op: Invocation, conn: Connection): Promise<Completion>;
}

/** What the engine offers a workload's optional setup step (broadcast sends `topology`). */
export interface SetupContext {
  options: TestOptions;
  rng: Rng;
  /** Opens a fresh setup connection to `node` (its client id is retired afterwards). */
  connect(node: string): Connection;
}

/** Invokes one operation on a worker thread, records invoke and completion, returns the completion. */
export type InvokeFn = (op: Invocation) => Promise<Completion>;

/** Generates the main phase's operations. */
export interface OpGenerator {
  /**
   * The next operation for a free worker `thread`, or undefined when this generator is
   * exhausted. Called when the stagger's next op is due and a worker is free: U[0, 2/rate) s
   * after the previous op was emitted (see `runMainPhase` in `phases.ts`).
   */
  next(thread: number): Invocation | undefined;
  /**
   * Optional: sees every client completion (ok, fail or info) as it is recorded, as Jepsen's
   * generator `update` does (kafka uses it to put unpolled keys into assigns).
   */
  observe?(op: Op): void;
}

/**
 * A stream of operations that runs alongside the main generator with its own timing
 * (kafka's `crash`). Each op still occupies a free worker.
 */
export interface SideStream {
  /** Seconds until the next op. */
  nextDelayS(rng: Rng): number;
  next(thread: number): Invocation;
}

/** What a workload's final phase may do per worker thread. */
export interface FinalContext {
  thread: number;
  options: TestOptions;
  rng: Rng;
  invoke: InvokeFn;
  /** Resolves after `ms`, or early when the phase is cut off. */
  sleep(ms: number): Promise<void>;
  /** Milliseconds on the engine's clock (virtual in simulation): never read the wall clock. */
  now(): number;
  /** Aborted when the final phase's time is up. */
  signal: AbortSignal;
  /** The history so far (read only). */
  history: readonly Op[];
}

/** A checker's verdict; the other fields are the checker's own, kebab-case like Maelstrom's. */
export interface CheckResult {
  valid: boolean | "unknown";
  [field: string]: unknown;
}

/** One workload: generator, client, and checker. */
export interface Workload {
  name: string;
  /** `:f`s whose timeouts and error replies are definite failures. */
  idempotent: ReadonlySet<string>;
  /** Whether a worker keeps its client id after an info op. */
  reusableClient: boolean;
  /** Whether the run ends with heal, a 10 s pause, and {@linkcode Workload.final}. */
  hasFinalPhase: boolean;
  /** Per-request timeout, ms (Maelstrom's default is 5000). */
  timeoutMs(options: TestOptions): number;
  /** `:f`s excluded from the stats checker (kafka's `crash`). */
  statsIgnore?: ReadonlySet<string>;
  /** Rejects bad option combinations before any node starts (message names the flag). */
  validate?(options: TestOptions): void;
  setup?(ctx: SetupContext): Promise<void>;
  generator(options: TestOptions, rng: Rng): OpGenerator;
  sideStream?(options: TestOptions, rng: Rng): SideStream | undefined;
  /** Creates the client state for a new process (a worker gets a new process after an info). */
  client(process: number, options: TestOptions): WorkloadClient;
  /** Runs one worker's final phase. */
  final?(ctx: FinalContext): Promise<void>;
  /**
   * The workload as options beyond Maelstrom's shape it (txn-rw-register with `--final-reads`
   * gains a final phase and a check); called once, after validation. Absent: the workload as is.
   */
  forOptions?(options: TestOptions): Workload;
  check(history: readonly Op[], options: TestOptions): CheckResult;
}
