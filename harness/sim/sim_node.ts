/**
 * One simulated node: the slot an id keeps on the network for the whole run, and the instance of
 * the node that lives in it (a fresh one after each restart). The instance is a lib
 * {@linkcode Node} built by the challenge's factory, with in-memory streams for its stdin and
 * stdout, the run's virtual clock behind a per-instance facade (so a kill cancels every timer it
 * set), a seeded random source, its own directory and a logger kept for `node-logs/<id>.log`.
 *
 * Its output lines go through the same checks as a process's stdout (Maelstrom's envelope schema,
 * the JVM's numbers) and then onto the network; deliveries become its input lines, written as the
 * process engine writes them to stdin.
 *
 * @module
 */

import type { Cancel, Clock } from "../../lib/clock.ts";
import { LineSplitter } from "../../lib/line_stream.ts";
import { formatLogArgs, type Logger } from "../../lib/log.ts";
import type { Body } from "../../lib/message.ts";
import type { Node } from "../../lib/node.ts";
import type { NodeOptions } from "../../lib/node.ts";
import type { Endpoint } from "../net/network.ts";
import { parseNodeJson } from "../node_json.ts";
import { envelopeProblem } from "../node_output.ts";

/** Builds a node from the runtime's options: every challenge exports one (`createEchoNode`, …). */
export type NodeFactory = (options: NodeOptions) => Node;

/** What a {@linkcode SimNode} needs from its engine. */
export interface SimNodeOptions {
  id: string;
  factory: NodeFactory;
  /** The run's virtual clock. */
  clock: Clock;
  /** The node's own directory, kept across restarts. */
  dir: string;
  /** Sends a message the node wrote. */
  send(src: string, dest: string, body: Body): void;
  /** Called when an instance's `run()` ends while it was meant to be alive (an early exit). */
  onExit(id: string, why: string): void;
}

/** One life of the node, from start to kill. */
interface _Instance {
  node: Node;
  input: ReadableStreamDefaultController<Uint8Array>;
  timers: Set<Cancel>;
  alive: boolean;
  done: Promise<void>;
  /**
   * Frozen by the pause nemesis: deliveries, due timers and output lines wait here, in order,
   * until the resume, as a SIGSTOPped process's stdin, timers and stdout would.
   */
  paused: { input: Uint8Array[]; timers: (() => void)[]; output: string[] } | undefined;
}

const _encoder = new TextEncoder();

/** A node slot on the network (see the module doc). */
export class SimNode implements Endpoint {
  readonly id: string;
  /** Every line the node's instances logged, with the engine's kill and restart marks. */
  readonly logLines: string[] = [];
  malformedCount = 0;
  readonly malformedExamples: { line: string; reason: string }[] = [];
  readonly #o: SimNodeOptions;
  readonly #quotedId: string;
  #instance: _Instance | undefined;

  constructor(options: SimNodeOptions) {
    this.#o = options;
    this.id = options.id;
    this.#quotedId = JSON.stringify(options.id);
  }

  /** Whether an instance is running. */
  get alive(): boolean {
    return this.#instance?.alive ?? false;
  }

  /**
   * Starts a fresh instance drawing from `random`.
   *
   * @throws Whatever the factory throws (a bad setting, say).
   */
  start(random: () => number): void {
    const timers = new Set<Cancel>();
    let input!: ReadableStreamDefaultController<Uint8Array>;
    const readable = new ReadableStream<Uint8Array>({ start: (c) => void (input = c) });
    const instance: _Instance = {
      node: undefined as unknown as Node,
      input,
      timers,
      alive: true,
      done: Promise.resolve(),
      paused: undefined,
    };
    const logger: Logger = { log: (...args) => this.logLines.push(formatLogArgs(args)) };
    instance.node = this.#o.factory({
      input: readable,
      output: this.#output(instance),
      clock: _instanceClock(this.#o.clock, instance),
      logger,
      random,
      dir: this.#o.dir,
      catchGlobalErrors: false,
    });
    this.#instance = instance;
    instance.done = instance.node.run().then(
      () => {
        if (instance.alive) this.#o.onExit(this.id, "its run() returned");
      },
      (error) => {
        if (instance.alive) this.#o.onExit(this.id, `its run() threw: ${error}`);
      },
    );
  }

  /**
   * Crashes the instance: its timers are cancelled, its input ends (so it shuts down and closes
   * its files), and nothing it writes from now on leaves it.
   *
   * @returns Resolves when its `run()` has returned (never, if a handler hangs: don't await it
   * without a bound).
   */
  kill(): Promise<void> {
    const instance = this.#instance;
    if (instance === undefined) return Promise.resolve();
    this.#instance = undefined;
    instance.alive = false;
    for (const cancel of [...instance.timers]) cancel();
    try {
      instance.input.close();
    } catch {
      // Already closed.
    }
    return instance.done;
  }

  /**
   * Freezes the instance for the pause nemesis: what it is delivered, what its timers would do
   * and what it writes wait until {@linkcode SimNode.resume}. (Work already under way in its
   * handlers still runs to its next wait: only its inputs, timers and outputs are held.)
   */
  pause(): void {
    const instance = this.#instance;
    if (instance !== undefined) instance.paused ??= { input: [], timers: [], output: [] };
  }

  /** Lets a paused instance go on: its held output leaves, then its input and timers run. */
  resume(): void {
    const instance = this.#instance;
    const held = instance?.paused;
    if (instance === undefined || held === undefined) return;
    instance.paused = undefined;
    for (const line of held.output) this.#onLine(line);
    for (const bytes of held.input) instance.input.enqueue(bytes);
    for (const fn of held.timers) fn();
  }

  /** Network delivery: the wire line the process engine would write to stdin. */
  deliver(src: string, _body: Body, id: number, bodyJson: string): void {
    const instance = this.#instance;
    if (instance === undefined || !instance.alive) return;
    const bytes = _encoder.encode(
      `{"id":${id},"src":${JSON.stringify(src)},"dest":${this.#quotedId},"body":${bodyJson}}\n`,
    );
    if (instance.paused !== undefined) instance.paused.input.push(bytes);
    else instance.input.enqueue(bytes);
  }

  #output(instance: _Instance): WritableStream<Uint8Array> {
    const decoder = new TextDecoder();
    const splitter = new LineSplitter();
    const onLine = (line: string) => {
      if (!instance.alive) return;
      if (instance.paused !== undefined) instance.paused.output.push(line);
      else this.#onLine(line);
    };
    return new WritableStream<Uint8Array>({
      write: (chunk) => splitter.push(decoder.decode(chunk, { stream: true }), onLine),
      close: () => splitter.flush(onLine),
    });
  }

  #onLine(line: string): void {
    if (line.length === 0) return;
    let value: unknown;
    try {
      value = parseNodeJson(line);
    } catch {
      return this.#malformed(line, "not JSON");
    }
    const problem = envelopeProblem(value);
    if (problem !== undefined) return this.#malformed(line, problem);
    const message = value as { src: string; dest: string; body: Body };
    this.#o.send(message.src, message.dest, message.body);
  }

  #malformed(line: string, reason: string): void {
    this.malformedCount++;
    const shown = line.length > 500 ? `${line.slice(0, 500)}… (${line.length} chars)` : line;
    if (this.malformedExamples.length < 5) this.malformedExamples.push({ line: shown, reason });
  }
}

/** The run's clock as one instance sees it: its timers die with it. */
function _instanceClock(clock: Clock, instance: _Instance): Clock {
  return {
    now: () => clock.now(),
    setTimeout(fn: () => void, ms: number): Cancel {
      if (!instance.alive) return () => {};
      const cancelTimer = clock.setTimeout(() => {
        instance.timers.delete(cancel);
        if (instance.paused !== undefined) instance.paused.timers.push(fn);
        else fn();
      }, ms);
      const cancel: Cancel = () => {
        instance.timers.delete(cancel);
        cancelTimer();
      };
      instance.timers.add(cancel);
      return cancel;
    },
  };
}
