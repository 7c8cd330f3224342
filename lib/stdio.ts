/**
 * The one place that touches the host runtime: stdin, stdout, stderr, value inspection and
 * process-wide error events. Chosen at run time, so `lib/` runs unchanged on Deno (its own APIs,
 * fastest there) and on Node ≥ 20 and Bun (`node:process` and `node:util`).
 *
 * @module
 */

/** The slice of Deno's namespace this module uses, typed here so no Deno types are needed. */
interface _Deno {
  stdin: { readable: ReadableStream<Uint8Array> };
  stdout: { writable: WritableStream<Uint8Array> };
  stderr: { writeSync(bytes: Uint8Array): number };
  inspect(value: unknown, options: Record<string, unknown>): string;
}

async function _loadNode() {
  const [{ default: process }, { inspect }] = await Promise.all([
    import("node:process"),
    import("node:util"),
  ]);
  return { process, inspect };
}

const _deno = (globalThis as { Deno?: _Deno }).Deno;
/**
 * The host: Deno's namespace, or Node's modules. These are loaded only off Deno, where importing
 * `node:process` would cost a node ~20 ms and 8 MiB more at start-up.
 */
const _host: { deno: _Deno; node?: undefined } | {
  deno?: undefined;
  node: Awaited<ReturnType<typeof _loadNode>>;
} = _deno !== undefined ? { deno: _deno } : { node: await _loadNode() };

/** Where uncaught errors go instead of ending the process. */
export interface GlobalErrorHandlers {
  /** A promise rejected and nobody handled it. */
  onRejection(reason: unknown): void;
  /** A throw escaped a callback (a timer, an event). */
  onError(error: unknown): void;
}

/** The process's stdin as a byte stream. */
export function stdinReadable(): ReadableStream<Uint8Array> {
  if (_host.deno) return _host.deno.stdin.readable;
  // Pull one chunk at a time from Node's async iterator: backpressure comes for free.
  const chunks = _host.node.process.stdin[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) return controller.close();
      // Buffers are Uint8Arrays; strings only come after a setEncoding() elsewhere.
      controller.enqueue(typeof value === "string" ? new TextEncoder().encode(value) : value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/** The process's stdout as a byte stream; each write resolves once Node has flushed it. */
export function stdoutWritable(): WritableStream<Uint8Array> {
  if (_host.deno) return _host.deno.stdout.writable;
  const { stdout } = _host.node.process;
  // A failed write (EPIPE) reaches the writer through its callback; unlistened, the stream's
  // "error" event would also be thrown as an uncaught exception.
  stdout.on("error", () => {});
  return new WritableStream<Uint8Array>({
    write(chunk) {
      return new Promise<void>((resolve, reject) => {
        stdout.write(chunk, (error) => error ? reject(error) : resolve());
      });
    },
  });
}

/**
 * Writes bytes to stderr synchronously (a pipe write is synchronous on Linux in Node too), so a
 * line logged just before exit is not lost.
 */
export function writeStderr(bytes: Uint8Array): void {
  if (_host.node) {
    _host.node.process.stderr.write(bytes);
    return;
  }
  const { stderr } = _host.deno;
  let written = 0;
  while (written < bytes.length) written += stderr.writeSync(bytes.subarray(written));
}

/** Formats a value on one line without colours, as `console.error` would show it. */
export function inspect(value: unknown): string {
  const options = { colors: false, depth: 4, breakLength: Infinity };
  return _host.deno ? _host.deno.inspect(value, options) : _host.node.inspect(value, options);
}

/**
 * Routes unhandled rejections and uncaught errors to `handlers` instead of letting them end the
 * process, for the rest of its life.
 */
export function catchGlobalErrors(handlers: GlobalErrorHandlers): void {
  if (_host.deno) {
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
  const { process } = _host.node;
  process.on("unhandledRejection", (reason) => handlers.onRejection(reason));
  process.on("uncaughtException", (error) => handlers.onError(error));
}
