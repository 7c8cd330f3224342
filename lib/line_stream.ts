/**
 * Splits text into lines on `"\n"` (dropping a `"\r"` before it), for newline-delimited JSON.
 *
 * @module
 */

/**
 * Incremental line splitter. Partial lines are kept as a list of pieces and joined once when
 * their newline arrives, so a 1 MiB line arriving in many chunks costs linear time.
 */
export class LineSplitter {
  #parts: string[] = [];

  /**
   * Feeds one chunk; calls `onLine` for each line it completes, in order.
   *
   * @param chunk Decoded text, cut anywhere.
   * @param onLine Receives each complete line without its line ending.
   */
  push(chunk: string, onLine: (line: string) => void): void {
    let start = 0;
    let nl = chunk.indexOf("\n");
    while (nl !== -1) {
      let line = chunk.slice(start, nl);
      if (this.#parts.length > 0) {
        this.#parts.push(line);
        line = this.#parts.join("");
        this.#parts.length = 0;
      }
      onLine(_stripCr(line));
      start = nl + 1;
      nl = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) this.#parts.push(start === 0 ? chunk : chunk.slice(start));
  }

  /**
   * Ends the input: a last line without a newline is emitted if it is not empty.
   *
   * @param onLine Receives the trailing line, if any.
   */
  flush(onLine: (line: string) => void): void {
    if (this.#parts.length === 0) return;
    const line = _stripCr(this.#parts.join(""));
    this.#parts.length = 0;
    if (line.length > 0) onLine(line);
  }
}

/**
 * A `TransformStream` from text chunks to lines (like std's `TextLineStream`, which is
 * unreachable here). Handles lines split across chunks, `"\r\n"`, and a last line without `"\n"`.
 *
 * @example
 * ```ts
 * import { LineStream } from "./line_stream.ts";
 * const lines = ReadableStream.from(["a\nb", "c\r\n", "d"]).pipeThrough(new LineStream());
 * // yields "a", "bc", "d"
 * ```
 */
export class LineStream extends TransformStream<string, string> {
  constructor() {
    const splitter = new LineSplitter();
    super({
      transform(chunk, controller) {
        splitter.push(chunk, (line) => controller.enqueue(line));
      },
      flush(controller) {
        splitter.flush((line) => controller.enqueue(line));
      },
    });
  }
}

function _stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
