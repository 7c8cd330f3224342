/**
 * A node's durable append-only journal: one JSON value per line in a file, written with group
 * commit, and read back whole at start-up.
 *
 * Group commit: {@linkcode Journal.append} only queues a record; the first append after an idle
 * moment schedules one write for the current microtask checkpoint, so every record queued while
 * handling one batch of input lines goes out in a single `write(2)`, and records queued while a
 * write is in flight go out together in the next one. {@linkcode Journal.sync} resolves once every
 * record appended before the call is written, which is what a reply waits for.
 *
 * Durability: a record is durable once `write(2)` returned. That survives the death of the
 * process (SIGKILL included: the data is in the kernel's page cache), which is the fault this
 * journal is for. It does not survive the machine losing power or the kernel crashing: that would
 * take an `fsync` per write, costing a disk flush (milliseconds on real disks) on the path of
 * every acknowledgement, for a fault our harness cannot inject. We chose not to pay it.
 *
 * Torn tails: a process killed in the middle of a large write may leave a last line cut short.
 * None of its records was acknowledged (acknowledgements wait for the whole write), so
 * {@linkcode openJournal} drops such a tail and truncates the file before appending again. A line
 * that is complete but not JSON is corruption, not a crash artefact, and is refused.
 *
 * @module
 */

/** Where a journal writes: a file opened for appending, or a fake in tests. */
export interface JournalSink {
  /** Writes some prefix of `data` and resolves with its length in bytes. */
  write(data: Uint8Array): Promise<number>;
}

interface _Waiter {
  upTo: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const _encoder = new TextEncoder();

/** An append-only journal of JSON values with group commit (see the module doc). */
export class Journal {
  readonly #sink: JournalSink;
  #queued: string[] = [];
  #appended = 0;
  #written = 0;
  #draining = false;
  #waiters: _Waiter[] = [];
  #error: unknown = undefined;
  #failed = false;

  /** @param sink Where the lines go (a file opened with `append: true`). */
  constructor(sink: JournalSink) {
    this.#sink = sink;
  }

  /**
   * Queues one record; it is written at the next microtask checkpoint, batched with the others.
   *
   * @param record A JSON-serialisable value.
   */
  append(record: unknown): void {
    this.#queued.push(JSON.stringify(record));
    this.#appended++;
    if (this.#draining) return;
    this.#draining = true;
    queueMicrotask(() => void this.#drain());
  }

  /** How many records were appended and not yet written. */
  get pending(): number {
    return this.#appended - this.#written;
  }

  /**
   * Resolves once every record appended before this call is written.
   *
   * @throws {Error} The write error, once any write failed: the journal then refuses every later
   * sync, since memory is ahead of the file for good.
   */
  sync(): Promise<void> {
    if (this.#failed) return Promise.reject(this.#error);
    if (this.#written >= this.#appended) return Promise.resolve();
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#waiters.push({ upTo: this.#appended, resolve, reject });
    return promise;
  }

  async #drain(): Promise<void> {
    while (this.#queued.length > 0 && !this.#failed) {
      const lines = this.#queued;
      this.#queued = [];
      const upTo = this.#written + lines.length;
      try {
        await _writeAll(this.#sink, _encoder.encode(lines.join("\n") + "\n"));
      } catch (error) {
        this.#failed = true;
        this.#error = error;
        for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
        break;
      }
      this.#written = upTo;
      const still: _Waiter[] = [];
      for (const waiter of this.#waiters) {
        if (waiter.upTo <= upTo) waiter.resolve();
        else still.push(waiter);
      }
      this.#waiters = still;
    }
    this.#draining = false;
  }
}

async function _writeAll(sink: JournalSink, data: Uint8Array): Promise<void> {
  for (let done = 0; done < data.length;) {
    done += await sink.write(data.subarray(done));
  }
}

/** What {@linkcode openJournal} found and opened. */
export interface OpenedJournal {
  journal: Journal;
  /** Every complete record already in the file, oldest first. */
  records: unknown[];
  /** Closes the file (after a last {@linkcode Journal.sync}). */
  close(): void;
}

/**
 * Reads the journal at `path` (none yet: no records), drops a torn last line, and opens the file
 * for appending.
 *
 * @throws {SyntaxError} When a complete line is not JSON (a corrupt journal is not replayed).
 */
export async function openJournal(path: string): Promise<OpenedJournal> {
  let bytes = new Uint8Array();
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const end = bytes.lastIndexOf(0x0a) + 1; // 0 when no line is complete
  const lines = new TextDecoder().decode(bytes.subarray(0, end)).split("\n").slice(0, -1);
  const records = lines.map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch (error) {
      throw new SyntaxError(`${path}:${i + 1} is not JSON`, { cause: error });
    }
  });
  if (end < bytes.length) await Deno.truncate(path, end);
  const file = await Deno.open(path, { append: true, create: true });
  return { journal: new Journal(file), records, close: () => file.close() };
}
