/**
 * Byte streams in and out of a node, and the one writer that puts whole lines on the output.
 *
 * @module
 */

import { LineSplitter } from "./line_stream.ts";
import { stdinReadable, stdoutWritable } from "./stdio.ts";

/** Where a node reads requests from and writes messages to. */
export interface Transport {
  /** Newline-delimited JSON in (stdin by default). */
  input: ReadableStream<Uint8Array>;
  /** Newline-delimited JSON out (stdout by default). */
  output: WritableStream<Uint8Array>;
}

/** The process's stdin and stdout. */
export function stdioTransport(): Transport {
  return { input: stdinReadable(), output: stdoutWritable() };
}

/**
 * Reads `input` to its end, calling `onLine` for every line (synchronously within each chunk,
 * which keeps per-line overhead to a function call).
 *
 * @param input The byte stream; its lock is released when this resolves.
 * @param onLine Receives each line without its line ending.
 * @returns Resolves at end of input.
 */
export async function readLines(
  input: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  const splitter = new LineSplitter();
  const reader = input.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      splitter.push(decoder.decode(value, { stream: true }), onLine);
    }
    const rest = decoder.decode();
    if (rest.length > 0) splitter.push(rest, onLine);
    splitter.flush(onLine);
  } finally {
    reader.releaseLock();
  }
}

/**
 * The single writer of a node's output. Each line goes out whole inside one `write` call; lines
 * queued in the same tick are batched into one write, and writes never overlap, so lines cannot
 * interleave or be cut.
 */
export class LineWriter {
  #output: WritableStream<Uint8Array>;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #queue: string[] = [];
  #flushing: Promise<void> | undefined;
  #broken = false;
  #onError: (error: unknown) => void;
  #encoder = new TextEncoder();

  /**
   * Creates the writer; the output is locked on the first write.
   *
   * @param output The byte stream to write to; it is locked on the first write.
   * @param onError Called once if writing fails (later lines are then dropped).
   */
  constructor(output: WritableStream<Uint8Array>, onError: (error: unknown) => void) {
    this.#output = output;
    this.#onError = onError;
  }

  /**
   * Queues one line (without its newline) for writing.
   *
   * @param line The line; it must not contain `"\n"`.
   */
  write(line: string): void {
    if (this.#broken) return;
    this.#queue.push(line);
    // Start flushing in a microtask so everything sent in this tick shares one write.
    this.#flushing ??= Promise.resolve().then(() => this.#flush());
  }

  /** Resolves once every queued line has been handed to the output. */
  async drain(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  /** Drains, then closes the output stream (errors while closing are ignored). */
  async close(): Promise<void> {
    await this.drain();
    this.#broken = true;
    try {
      const writer = this.#writer ?? this.#output.getWriter();
      this.#writer = writer;
      await writer.close();
    } catch {
      // Already closed or errored: nothing more to do at shutdown.
    }
  }

  async #flush(): Promise<void> {
    try {
      this.#writer ??= this.#output.getWriter();
      while (this.#queue.length > 0 && !this.#broken) {
        const batch = this.#queue.length === 1
          ? this.#queue[0] + "\n"
          : this.#queue.join("\n") + "\n";
        this.#queue.length = 0;
        await this.#writer.write(this.#encoder.encode(batch));
      }
    } catch (error) {
      this.#broken = true;
      this.#queue.length = 0;
      this.#onError(error);
    } finally {
      this.#flushing = undefined;
    }
  }
}
