/**
 * The node runtime: reads messages, dispatches them to handlers concurrently, sends replies,
 * matches rpc replies, runs periodic tasks, and shuts everything down at end of input.
 *
 * @module
 */

import { type Cancel, type Clock, realClock } from "./clock.ts";
import { type Logger, stderrLogger } from "./log.ts";
import { type Body, isInitBody, isRecord, type Message, parseMessage } from "./message.ts";
import { PendingRpcs, type RpcOptions, ShutdownError } from "./pending_rpcs.ts";
import { ErrorCode, RPCError } from "./rpc_error.ts";
import { catchGlobalErrors, stdinReadable, stdoutWritable } from "./stdio.ts";
import { LineWriter, readLines } from "./transport.ts";

/** A body to send: a {@linkcode Body}, or any object with a string `type` (typed interfaces). */
export type OutgoingBody = Body | { readonly type: string };

/** What a handler may return: a body to reply with, or nothing for no reply. */
export type HandlerResult = OutgoingBody | void | undefined;

/** Handles one request; may be async. Throw an {@linkcode RPCError} to reply with its code. */
export type Handler<B extends Body = Body> = (
  msg: Message<B>,
) => HandlerResult | Promise<HandlerResult>;

/** Options of {@linkcode Node}. */
export interface NodeOptions {
  /** Input bytes; defaults to stdin. */
  input?: ReadableStream<Uint8Array>;
  /** Output bytes; defaults to stdout. */
  output?: WritableStream<Uint8Array>;
  /** Timers and time; defaults to the real clock. */
  clock?: Clock;
  /** Where logs go; defaults to stderr. */
  logger?: Logger;
  /**
   * Log, instead of dying from, unhandled rejections and uncaught errors (from `run()` on).
   * Defaults to true when reading stdin (a real node process), false with an injected input.
   */
  catchGlobalErrors?: boolean;
  /** Timeout applied to every rpc that gives none; by default rpcs wait until shutdown. */
  defaultRpcTimeoutMs?: number;
  /**
   * The node's source of randomness, uniform in [0, 1); defaults to `Math.random`. A simulator
   * seeds it, so a node that draws only from {@linkcode Node.random} replays exactly.
   */
  random?: () => number;
  /**
   * The node's own directory for durable state, kept across its restarts (the harness's
   * `<run>/node-dirs/<id>`). Unset, a node process finds its working directory instead.
   */
  dir?: string;
}

const _LOG_LINE_MAX = 200;

/**
 * A Maelstrom node.
 *
 * @example
 * ```ts
 * import { MemoryTransport, Node } from "../mod.ts";
 * // A real node reads stdin and writes stdout: `new Node()`, then `await node.run()`. Here the
 * // transport is in memory, so the example runs on its own.
 * const transport = new MemoryTransport();
 * const node = new Node({ ...transport.streams });
 * node.handle("echo", (msg) => ({ type: "echo_ok", echo: msg.body.echo }));
 * const done = node.run();
 * transport.send({
 *   src: "c0",
 *   dest: "n1",
 *   body: { type: "init", msg_id: 1, node_id: "n1", node_ids: ["n1"] },
 * });
 * transport.send({ src: "c1", dest: "n1", body: { type: "echo", msg_id: 1, echo: "hi" } });
 * await transport.next(); // the init_ok line
 * await transport.next(); // {"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"hi",...}}
 * transport.end();
 * await done;
 * ```
 */
export class Node {
  /** This node's id (`n1`), set when init arrives (before init hooks run); `""` before. */
  id = "";
  /** Every node id in the cluster, known after init. */
  nodeIds: string[] = [];
  /** The node's clock: every timer of the runtime goes through it. */
  readonly clock: Clock;
  /** Aborted at shutdown (end of input); pass it to long-running work. */
  readonly signal: AbortSignal;
  /**
   * A number uniform in [0, 1) from the node's source of randomness (`Math.random` unless
   * {@linkcode NodeOptions.random} is given): draw every random choice here, so a simulated run
   * replays exactly.
   */
  readonly random: () => number;
  /** The node's own directory for durable state, when it was given one ({@linkcode NodeOptions.dir}). */
  readonly dir: string | undefined;

  #input: ReadableStream<Uint8Array> | undefined;
  #writer: LineWriter;
  #logger: Logger;
  #defaultTimeoutMs: number | undefined;
  #handlers = new Map<string, Handler>();
  #initHooks: (() => void | Promise<void>)[] = [];
  #pending: PendingRpcs;
  #tasks = new Set<Cancel>();
  #ready = false;
  #running = false;
  #catchGlobalErrors: boolean;
  #nextMsgId = 1;
  #inFlight = 0;
  #idle: (() => void) | undefined;
  #shutdown = new AbortController();

  /**
   * Creates a node; nothing is read until {@linkcode run}.
   *
   * @param options Transport, clock and logger overrides (all optional).
   */
  constructor(options: NodeOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.dir = options.dir;
    this.#pending = new PendingRpcs(this.clock);
    this.#logger = options.logger ?? stderrLogger;
    this.#input = options.input;
    this.#catchGlobalErrors = options.catchGlobalErrors ?? options.input === undefined;
    this.#defaultTimeoutMs = options.defaultRpcTimeoutMs;
    this.#writer = new LineWriter(
      options.output ?? stdoutWritable(),
      (error) => this.log("output failed, dropping further messages:", error),
    );
    this.signal = this.#shutdown.signal;
  }

  /**
   * Registers the handler for one message type.
   *
   * @param type The body type, e.g. `"echo"`.
   * @param handler Returns the reply body, or nothing for no reply.
   * @throws {TypeError} For `"init"`, which the runtime handles itself (use {@linkcode onInit}),
   * and for a type that already has a handler (a second one would silently replace the first).
   */
  handle<B extends Body = Body>(type: string, handler: Handler<B>): void {
    if (type === "init") throw new TypeError("The init message is handled by the runtime");
    if (this.#handlers.has(type)) {
      throw new TypeError(`A handler for ${JSON.stringify(type)} is already registered`);
    }
    this.#handlers.set(type, handler as Handler);
  }

  /**
   * Registers a hook that runs once ids are known and before `init_ok` is sent. Hooks run in
   * registration order; a throw replies to init with an error.
   */
  onInit(hook: () => void | Promise<void>): void {
    this.#initHooks.push(hook);
  }

  /** Logs one line to stderr (never stdout). */
  log(...args: unknown[]): void {
    this.#logger.log(...args);
  }

  /** Sends `body` to `dest` without a `msg_id` (fire and forget). */
  send(dest: string, body: OutgoingBody): void {
    this.#write(dest, body);
  }

  /**
   * Replies to `request` with `body` plus `in_reply_to`. A request without `msg_id` asked for no
   * reply, so nothing is sent.
   */
  reply(request: Message, body: OutgoingBody): void {
    const msgId = request.body.msg_id;
    if (msgId === undefined) return;
    // Before init our id is unknown, but the request names us as its dest.
    this.#write(
      request.src,
      { ...body, in_reply_to: msgId },
      this.id === "" ? request.dest : this.id,
    );
  }

  /**
   * Sends `body` with a fresh integer `msg_id` and waits for the reply.
   *
   * @param dest A node, client or service id.
   * @param body The request body (`msg_id` is added).
   * @param options `timeoutMs` and `signal`; the entry is freed on reply, timeout or abort.
   * @returns The reply body.
   * @throws {RPCError} The peer's code on an error reply; 0 on timeout, abort or shutdown.
   */
  rpc(dest: string, body: OutgoingBody, options: RpcOptions = {}): Promise<Body> {
    if (this.#shutdown.signal.aborted) {
      const cause = this.#shutdown.signal.reason;
      return Promise.reject(new RPCError(ErrorCode.Timeout, "node is shutting down", { cause }));
    }
    const msgId = this.#nextMsgId++;
    const reply = this.#pending.wait(msgId, {
      timeoutMs: options.timeoutMs ?? this.#defaultTimeoutMs,
      signal: options.signal,
      what: `rpc ${body.type} to ${dest}`,
      from: dest,
    });
    if (!options.signal?.aborted) this.#write(dest, { ...body, msg_id: msgId });
    return reply;
  }

  /** How many rpcs are waiting for a reply (for tests and diagnostics). */
  get pendingRpcs(): number {
    return this.#pending.size;
  }

  /**
   * Runs `fn` once, `ms` from now on the node's clock (waiting for init if it has not happened),
   * unless the returned function cancels it or the node shuts down first. A throw or rejection
   * is logged, as for {@linkcode Node.every}.
   *
   * @throws {RangeError} When `ms` is negative or not finite.
   */
  after(ms: number, fn: () => void | Promise<void>): Cancel {
    if (!(ms >= 0 && Number.isFinite(ms))) {
      throw new RangeError(`Delay must be a non-negative number of ms, got ${ms}`);
    }
    return this.#timer(ms, fn, "timer task failed:", false);
  }

  /**
   * Runs `fn` every `ms` on the node's clock, never overlapping itself, until shutdown or until
   * the returned function is called. Ticks before init are skipped; a throw is logged.
   *
   * @param ms The period in ms (the next tick is scheduled when the previous one settles).
   * @param fn The task.
   * @returns A function that stops the task.
   * @throws {RangeError} When `ms` is not a positive finite number.
   */
  every(ms: number, fn: () => void | Promise<void>): Cancel {
    if (!(ms > 0 && Number.isFinite(ms))) {
      throw new RangeError(`Period must be a positive number of ms, got ${ms}`);
    }
    return this.#timer(ms, fn, "periodic task failed:", true);
  }

  /**
   * The timer behind {@linkcode Node.after} (`repeat` false) and {@linkcode Node.every}: runs
   * `fn` `ms` from now, and with `repeat` `ms` after each run settles. A turn that comes before
   * init waits another `ms`; shutdown, or the returned function, stops it.
   */
  #timer(ms: number, fn: () => void | Promise<void>, failure: string, repeat: boolean): Cancel {
    let cancelTimer: Cancel | undefined;
    let stopped = this.#shutdown.signal.aborted;
    const stop: Cancel = () => {
      stopped = true;
      cancelTimer?.();
      cancelTimer = undefined;
      this.#tasks.delete(stop);
    };
    const schedule = () => {
      if (!stopped) cancelTimer = this.clock.setTimeout(tick, ms);
    };
    const tick = () => {
      cancelTimer = undefined;
      if (stopped) return;
      if (!this.#ready) return schedule();
      if (!repeat) stop();
      this.#track(() => fn(), failure, repeat ? schedule : undefined);
    };
    if (!stopped) this.#tasks.add(stop);
    schedule();
    return stop;
  }

  /**
   * Reads messages until end of input, then shuts down: aborts {@linkcode signal}, stops periodic
   * tasks, rejects pending rpcs with code 0, waits for in-flight handlers, and flushes output.
   *
   * @throws {TypeError} When called a second time.
   */
  async run(): Promise<void> {
    if (this.#running) throw new TypeError("Node.run() was already called");
    this.#running = true;
    const input = this.#input ?? stdinReadable();
    // Left installed after run(): a user timer may still throw while the process winds down.
    if (this.#catchGlobalErrors) this.#guardProcess();
    try {
      await readLines(input, (line) => this.#onLine(line));
    } catch (error) {
      this.log("input failed, shutting down:", error);
    }
    this.#shutdown.abort(new ShutdownError());
    for (const stop of [...this.#tasks]) stop();
    const cause = this.#shutdown.signal.reason;
    this.#pending.failAll(new RPCError(ErrorCode.Timeout, "node shut down", { cause }));
    while (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idle = resolve);
    await this.#writer.close();
  }

  /**
   * Keeps a stray error (an rpc nobody awaits rejecting at shutdown, a throw in a timer) from
   * killing the process: Maelstrom treats any node exit as a crash. Logs it instead.
   */
  #guardProcess(): void {
    catchGlobalErrors({
      onRejection: (reason) => this.log("unhandled rejection:", reason),
      onError: (error) => this.log("uncaught error:", error),
    });
  }

  #write(dest: string, body: OutgoingBody, src = this.id): void {
    this.#writer.write(JSON.stringify({ src, dest, body }));
  }

  #replyError(request: Message, code: number, text: string): void {
    this.reply(request, new RPCError(code, text).toBody(undefined));
  }

  #onLine(line: string): void {
    if (line.length === 0) return;
    let msg: Message;
    try {
      msg = parseMessage(line);
    } catch (error) {
      const shown = line.length > _LOG_LINE_MAX ? `${line.slice(0, _LOG_LINE_MAX)}…` : line;
      this.log(`malformed input line skipped (${_errorText(error)}): ${shown}`);
      this.#refuseMalformed(
        line,
        error instanceof RangeError
          ? error.message
          : "body.type must be a string, msg_id and in_reply_to integers",
      );
      return;
    }
    this.#dispatch(msg);
  }

  /**
   * Answers error 12 to a request whose envelope is readable (a string `src`, an exact integer
   * `msg_id`) but whose body is not, so its sender gets an answer instead of a timeout.
   */
  #refuseMalformed(line: string, why: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    if (!isRecord(value) || typeof value.src !== "string" || !isRecord(value.body)) return;
    const msgId = value.body.msg_id;
    if (!Number.isSafeInteger(msgId)) return;
    const error = new RPCError(ErrorCode.MalformedRequest, `malformed request: ${why}`);
    this.#write(value.src, error.toBody(msgId as number));
  }

  #dispatch(msg: Message): void {
    const body = msg.body;
    if (body.in_reply_to !== undefined) {
      if (this.#pending.complete(body.in_reply_to, body, msg.src)) return;
      if (!this.#handlers.has(body.type)) {
        this.log(`reply dropped: nothing awaits in_reply_to ${body.in_reply_to} from ${msg.src}`);
        return;
      }
    }
    if (body.type === "init") return this.#init(msg);
    if (!this.#ready) {
      this.log(`message before init: ${body.type} from ${msg.src}`);
      return this.#replyError(msg, ErrorCode.TemporarilyUnavailable, "not initialised");
    }
    const handler = this.#handlers.get(body.type);
    if (handler === undefined) {
      if (body.msg_id === undefined) this.log(`no handler for ${body.type} from ${msg.src}`);
      return this.#replyError(msg, ErrorCode.NotSupported, `unsupported message type ${body.type}`);
    }
    this.#track(() => handler(msg), `handler for ${body.type} failed:`, undefined, msg);
  }

  #init(msg: Message): void {
    const body = msg.body;
    if (!isInitBody(body)) {
      return this.#replyError(msg, ErrorCode.MalformedRequest, "init needs node_id and node_ids");
    }
    if (this.id !== "") {
      // A repeated init is answered; one that would change who this node is, refused.
      const same = body.node_id === this.id && body.node_ids.length === this.nodeIds.length &&
        body.node_ids.every((id, i) => id === this.nodeIds[i]);
      if (same) return this.reply(msg, { type: "init_ok" });
      this.log(`second init refused: already ${this.id} of [${this.nodeIds}], not ${body.node_id}`);
      return this.#replyError(
        msg,
        ErrorCode.MalformedRequest,
        `already initialised as ${this.id} of [${this.nodeIds.join(", ")}]; a second init may ` +
          `not change the node's id or cluster`,
      );
    }
    this.id = body.node_id;
    this.nodeIds = [...body.node_ids];
    // Synchronous hooks finish before the next line is read; once a hook returns a promise, the
    // rest wait for it, and requests meanwhile get error 11 (replies to the hooks' rpcs flow).
    const hooks = this.#initHooks;
    const finish = () => {
      this.#ready = true;
      return { type: "init_ok" };
    };
    const runFrom = (start: number): HandlerResult | Promise<HandlerResult> => {
      for (let i = start; i < hooks.length; i++) {
        const result = hooks[i]?.();
        if (result instanceof Promise) return result.then(() => runFrom(i + 1));
      }
      return finish();
    };
    this.#track(() => runFrom(0), "init hook failed:", undefined, msg);
  }

  /**
   * Runs `work`, counting it as in flight until it settles. With a request, a returned body is
   * the reply and a throw becomes an error reply; `after` runs once it settles either way.
   */
  #track(
    work: () => HandlerResult | Promise<HandlerResult>,
    failure: string,
    after: (() => void) | undefined,
    request?: Message,
  ): void {
    const done = (result: HandlerResult) => {
      try {
        if (request !== undefined && result !== undefined) this.reply(request, result);
      } catch (error) {
        return failed(error); // e.g. a body JSON.stringify rejects (BigInt, cycle)
      }
      after?.();
    };
    const failed = (error: unknown) => {
      if (!(error instanceof RPCError)) this.log(failure, error);
      if (request !== undefined) {
        const rpcError = error instanceof RPCError
          ? error
          : new RPCError(ErrorCode.Crash, _errorText(error));
        this.reply(request, rpcError.toBody(undefined));
      }
      after?.();
    };
    let result: HandlerResult | Promise<HandlerResult>;
    try {
      result = work();
    } catch (error) {
      return failed(error);
    }
    if (!(result instanceof Promise)) return done(result);
    this.#inFlight++;
    result.then(done, failed)
      .catch((error) => this.log(failure, error))
      .finally(() => {
        if (--this.#inFlight === 0) this.#idle?.();
      });
  }
}

function _errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
