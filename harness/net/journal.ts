/**
 * The network's message journal: every accepted send and every delivery.
 *
 * Kept in memory in a compact columnar form (a few numbers per event, ids interned) so a long run
 * at thousands of messages per second stays cheap; stats read it back as
 * {@linkcode JournalEvent}s. Full bodies go only to the JSONL sink (`messages.jsonl`).
 *
 * @module
 */

/** One entry of the message journal: every accepted send and every delivery. */
export interface JournalEvent {
  type: "send" | "recv";
  /** Nanoseconds since the start of the test. */
  time: number;
  /** The network's id of the message (one per accepted send). */
  id: number;
  src: string;
  dest: string;
  /** The body's type (the full body is in the journal file, not needed for stats). */
  bodyType: string;
}

/** Where journal lines go (one JSON object per line, without the newline). */
export interface JournalSink {
  write(line: string): void;
}

const SEND = 0;
const RECV = 1;

/** An in-memory journal of send and recv events. */
export class Journal implements Iterable<JournalEvent> {
  #kinds: number[] = [];
  #times: number[] = [];
  #ids: number[] = [];
  #srcs: number[] = [];
  #dests: number[] = [];
  #types: number[] = [];
  #names: string[] = [];
  #nameIndex = new Map<string, number>();
  #sends = 0;

  /** Number of events recorded. */
  get length(): number {
    return this.#kinds.length;
  }

  /** Number of send events recorded. */
  get sendCount(): number {
    return this.#sends;
  }

  /** Records one accepted send. `time` is ns since the test started. */
  send(time: number, id: number, src: string, dest: string, bodyType: string): void {
    this.#sends++;
    this.#push(SEND, time, id, src, dest, bodyType);
  }

  /** Records one delivery. */
  recv(time: number, id: number, src: string, dest: string, bodyType: string): void {
    this.#push(RECV, time, id, src, dest, bodyType);
  }

  *[Symbol.iterator](): Iterator<JournalEvent> {
    const names = this.#names;
    for (let i = 0; i < this.#kinds.length; i++) {
      yield {
        type: this.#kinds[i] === SEND ? "send" : "recv",
        time: this.#times[i] as number,
        id: this.#ids[i] as number,
        src: names[this.#srcs[i] as number] as string,
        dest: names[this.#dests[i] as number] as string,
        bodyType: names[this.#types[i] as number] as string,
      };
    }
  }

  #push(kind: number, time: number, id: number, src: string, dest: string, type: string): void {
    this.#kinds.push(kind);
    this.#times.push(time);
    this.#ids.push(id);
    this.#srcs.push(this.#intern(src));
    this.#dests.push(this.#intern(dest));
    this.#types.push(this.#intern(type));
  }

  #intern(name: string): number {
    let index = this.#nameIndex.get(name);
    if (index === undefined) {
      index = this.#names.length;
      this.#names.push(name);
      this.#nameIndex.set(name, index);
    }
    return index;
  }
}

/** Which journal events a {@linkcode FileSink} also prints to stderr. */
export interface NetLog {
  send?: boolean;
  recv?: boolean;
}

/**
 * A JSONL file sink that buffers lines and writes them in large chunks from a background loop,
 * so neither the network's hot path nor the event loop ever waits on the disk.
 */
export class FileSink implements JournalSink {
  #file: Deno.FsFile;
  #buffer: string[] = [];
  #bufferedChars = 0;
  #encoder = new TextEncoder();
  #writing: Promise<void> | undefined;
  #closed = false;
  #error: unknown;

  readonly #echo: NetLog;

  /**
   * Opens (creating or truncating) `path`.
   *
   * @param echo Also print sends and/or deliveries to stderr (`--log-net-send`, `--log-net-recv`).
   */
  constructor(path: string, echo: NetLog = {}) {
    this.#file = Deno.openSync(path, { write: true, create: true, truncate: true });
    this.#echo = echo;
  }

  write(line: string): void {
    if (this.#closed) return;
    if (this.#echo.send === true && line.startsWith('{"type":"send"')) console.error(line);
    if (this.#echo.recv === true && line.startsWith('{"type":"recv"')) console.error(line);
    this.#buffer.push(line, "\n");
    this.#bufferedChars += line.length + 1;
    if (this.#bufferedChars >= 1 << 18) this.#writing ??= this.#drain();
  }

  /** Writes out everything buffered, then closes the file; later writes are ignored. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writing;
    await this.#drain();
    this.#file.close();
    if (this.#error !== undefined) throw this.#error;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#buffer.length > 0) {
        const bytes = this.#encoder.encode(this.#buffer.join(""));
        this.#buffer = [];
        this.#bufferedChars = 0;
        let written = 0;
        while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
      }
    } catch (error) {
      this.#error ??= error;
      this.#buffer = [];
    } finally {
      this.#writing = undefined;
    }
  }
}
