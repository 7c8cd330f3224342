/**
 * An in-memory {@linkcode Transport} for tests: push input lines, read the node's output lines.
 *
 * @module
 */

import { LineSplitter } from "./line_stream.ts";
import { type Message, parseMessage } from "./message.ts";
import type { Transport } from "./transport.ts";

/**
 * A transport whose input is fed by the test and whose output is collected as lines.
 *
 * @example
 * ```ts
 * import { MemoryTransport, Node } from "../mod.ts";
 * const t = new MemoryTransport();
 * const node = new Node({ ...t.streams });
 * const done = node.run();
 * t.send({
 *   src: "c0",
 *   dest: "n1",
 *   body: { type: "init", msg_id: 1, node_id: "n1", node_ids: ["n1"] },
 * });
 * await t.next(); // the init_ok line
 * t.end();
 * await done;
 * ```
 */
export class MemoryTransport implements Transport {
  /** The node's input. */
  readonly input: ReadableStream<Uint8Array>;
  /** The node's output. */
  readonly output: WritableStream<Uint8Array>;
  /** Every complete line the node has written, in order. */
  readonly lines: string[] = [];
  /** How many chunks (write calls) reached the output. */
  writes = 0;

  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #encoder = new TextEncoder();
  #read = 0;
  #waiters: (() => void)[] = [];

  constructor() {
    this.input = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
    });
    const decoder = new TextDecoder();
    const splitter = new LineSplitter();
    const onLine = (line: string) => this.lines.push(line);
    this.output = new WritableStream<Uint8Array>({
      write: (chunk) => {
        this.writes++;
        splitter.push(decoder.decode(chunk, { stream: true }), onLine);
        this.#wake();
      },
      close: () => {
        splitter.flush(onLine);
        this.#wake();
      },
    });
  }

  /** The `{ input, output }` pair, to spread into node options. */
  get streams(): Transport {
    return { input: this.input, output: this.output };
  }

  /** Feeds raw text to the node (no newline added), e.g. half a line. */
  write(text: string): void {
    this.#controller.enqueue(this.#encoder.encode(text));
  }

  /** Feeds one message as a JSON line. */
  send(msg: Message | Record<string, unknown>): void {
    this.write(JSON.stringify(msg) + "\n");
  }

  /** Closes the node's input (end of file). */
  end(): void {
    this.#controller.close();
  }

  /** Resolves with the next output line not yet returned by `next`, waiting if needed. */
  async next(): Promise<string> {
    while (this.#read >= this.lines.length) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.lines[this.#read++] as string;
  }

  /** Like {@linkcode next}, parsed as a message. */
  async nextMessage(): Promise<Message> {
    return parseMessage(await this.next());
  }

  /** Output lines not yet returned by `next` (consumes them). */
  take(): string[] {
    const rest = this.lines.slice(this.#read);
    this.#read = this.lines.length;
    return rest;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
