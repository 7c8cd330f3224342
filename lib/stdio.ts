/**
 * The one place that touches the host runtime: stdin, stdout, stderr, value inspection and
 * process-wide error events. Chosen at run time, so `lib/` runs unchanged on Deno (its own APIs,
 * fastest there) and on Node ≥ 20 and Bun (`node:process` and `node:util`).
 *
 * @module
 */

import process from "node:process";
import { inspect as nodeInspect } from "node:util";

/** The slice of Deno's namespace this module uses, typed here so no Deno types are needed. */
interface _Deno {
  stdin: { readable: ReadableStream<Uint8Array> };
  stdout: { writable: WritableStream<Uint8Array> };
  stderr: { writeSync(bytes: Uint8Array): number };
  inspect(value: unknown, options: Record<string, unknown>): string;
}

const _deno = (globalThis as { Deno?: _Deno }).Deno;

/** Called for an uncaught error; returning nothing keeps the process alive. */
export interface GlobalErrorHandlers {
  /** A promise rejected and nobody handled it. */
  onRejection(reason: unknown): void;
  /** A throw escaped a callback (a timer, an event). */
  onError(error: unknown): void;
}

/** The process's stdin as a byte stream. */
export function stdinReadable(): ReadableStream<Uint8Array> {
  if (_deno !== undefined) return _deno.stdin.readable;
  // Pull one chunk at a time from Node's async iterator: backpressure comes for free.
  const chunks = process.stdin[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else {controller.enqueue(
          value instanceof Uint8Array ? value : new TextEncoder().encode(value),
        );}
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/** The process's stdout as a byte stream; each write resolves once Node has flushed it. */
export function stdoutWritable(): WritableStream<Uint8Array> {
  if (_deno !== undefined) return _deno.stdout.writable;
  return new WritableStream<Uint8Array>({
    write(chunk) {
      return new Promise<void>((resolve, reject) => {
        process.stdout.write(chunk, (error) => error ? reject(error) : resolve());
      });
    },
  });
}

/**
 * Writes bytes to stderr synchronously (a pipe write is synchronous on Linux in Node too), so a
 * line logged just before exit is not lost.
 */
export function writeStderr(bytes: Uint8Array): void {
  if (_deno === undefined) {
    process.stderr.write(bytes);
    return;
  }
  let written = 0;
  while (written < bytes.length) written += _deno.stderr.writeSync(bytes.subarray(written));
}

/** Formats a value on one line without colours, as `console.error` would show it. */
export function inspect(value: unknown): string {
  const options = { colors: false, depth: 4, breakLength: Infinity };
  return _deno !== undefined ? _deno.inspect(value, options) : nodeInspect(value, options);
}

/**
 * Routes unhandled rejections and uncaught errors to `handlers` instead of letting them end the
 * process, for the rest of its life.
 */
export function catchGlobalErrors(handlers: GlobalErrorHandlers): void {
  if (_deno !== undefined) {
    globalThis.addEventListener("unhandledrejection", (event: PromiseRejectionEvent) => {
      event.preventDefault();
      handlers.onRejection(event.reason);
    });
    globalThis.addEventListener("error", (event: ErrorEvent) => {
      event.preventDefault();
      handlers.onError(event.error ?? event.message);
    });
    return;
  }
  process.on("unhandledRejection", (reason) => handlers.onRejection(reason));
  process.on("uncaughtException", (error) => handlers.onError(error));
}
