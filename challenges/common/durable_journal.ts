/**
 * A node's durable append-only journal, shared by the kafka, broadcast and txn challenges: one
 * JSON value per line in a file of the node's own directory, read back whole when the node starts
 * again. Each challenge keeps only its record schema and recovery rules on top.
 *
 * Where: only in a working directory of the node's own, named after its id (the harness's
 * `<run>/node-dirs/<node>`, kept across the node's restarts; see {@linkcode ownDirectory}).
 * Maelstrom runs every node in one `/tmp` kept between runs, where a file could be another node's
 * or an earlier run's; there a node keeps no journal ({@linkcode openJournal} with no file gives
 * one that writes nothing and recovers nothing).
 *
 * Writing, two ways, both one `write(2)` per call on the file, appended at its end:
 * - {@linkcode DurableJournal.append} (group commit) queues a record; every record queued until
 *   the next microtask checkpoint (all the messages of one read from stdin, say) goes out in one
 *   write, and {@linkcode DurableJournal.sync} resolves once everything appended before it is
 *   written: a reply awaits it. kafka uses this. {@linkcode GroupCommit} is the batching alone,
 *   for a caller (txn) that gathers its records at write time and must act right after the write.
 * - {@linkcode DurableJournal.write} writes at once, synchronously, and throws on failure.
 *   broadcast uses it: its state machine is synchronous (a value is journalled, stored and its
 *   gossip returned in one step, in the node and in the deterministic simulation alike), so a
 *   value's gossip leaves in the same turn as its `broadcast_ok`; awaiting a group commit would
 *   move every send behind a microtask and make the core asynchronous, for no gain at its rate
 *   (a few µs per value, one value per request).
 *
 * Durability: a record is durable once `write(2)` returned, and nothing is fsynced. That survives
 * the death of the process (SIGKILL included: the data is in the kernel's page cache), which is
 * the fault these journals are for and the one the harness's kill nemesis injects. It does not
 * survive the machine losing power or the kernel crashing: that would take an `fsync` (or
 * `fdatasync`) per write, a disk flush (milliseconds on real disks) on the path of every
 * acknowledgement, or per group commit, for a fault our harness cannot inject. We chose not to
 * pay it.
 *
 * Torn tails: a process killed in the middle of a large write may leave a last line cut short.
 * None of its records was acknowledged (acknowledgements wait for the whole write), so opening
 * drops such a tail and truncates the file before appending again. A line that is complete but
 * not JSON (or not a record, given `parse`) is corruption, not a crash artefact: opening refuses
 * it with an error naming the file and line.
 *
 * @module
 */

import { basename } from "node:path";

/**
 * Whether `cwd` is `nodeId`'s own working directory (named after its id): `cwd` if so, else
 * undefined. The one rule for where a challenge node may keep durable state (see the module doc).
 */
export function ownDirectory(nodeId: string, cwd: string = Deno.cwd()): string | undefined {
  return nodeId !== "" && basename(cwd) === nodeId ? cwd : undefined;
}

/** The file a journal lives in: a real one ({@linkcode fileAt}), or memory in tests. */
export interface JournalFile {
  /** Its name, for error messages. */
  readonly name: string;
  /** Everything in it (empty when there is nothing yet). */
  read(): Uint8Array;
  /** Cuts it to its first `length` bytes. */
  truncate(length: number): void;
  /** Writes all of `data` at its end: one `write(2)`, looping only on a short write. */
  append(data: Uint8Array): void;
  /** Releases it. */
  close(): void;
}

/** The file at `path`, created if missing, opened for appending. */
export function fileAt(path: string): JournalFile {
  const file = Deno.openSync(path, { append: true, create: true });
  return {
    name: path,
    read: () => Deno.readFileSync(path),
    truncate: (length) => file.truncateSync(length),
    append(data) {
      for (let n = 0; n < data.length;) n += file.writeSync(data.subarray(n));
    },
    close: () => file.close(),
  };
}

/** A journal file in memory that outlives the journals opened on it, as a file outlives a process. */
export class MemoryFile implements JournalFile {
  /** Its name, for error messages. */
  readonly name = "memory";
  /** Everything written so far. */
  bytes: Uint8Array = new Uint8Array();

  /** The bytes as text. */
  get text(): string {
    return new TextDecoder().decode(this.bytes);
  }

  /** Returns the bytes. */
  read(): Uint8Array {
    return this.bytes;
  }

  /** Keeps the first `length` bytes. */
  truncate(length: number): void {
    this.bytes = this.bytes.slice(0, length);
  }

  /** Appends `data`. */
  append(data: Uint8Array): void {
    const bytes = new Uint8Array(this.bytes.length + data.length);
    bytes.set(this.bytes);
    bytes.set(data, this.bytes.length);
    this.bytes = bytes;
  }

  /** Does nothing. */
  close(): void {}
}

/**
 * Batches synchronous work per microtask checkpoint: every {@linkcode GroupCommit.flush} of one
 * batch (the messages of one read from stdin, say) shares one run of `work`.
 */
export class GroupCommit {
  readonly #work: () => void;
  #next: Promise<void> | undefined;

  /** @param work Writes everything pending, synchronously (throws on failure). */
  constructor(work: () => void) {
    this.#work = work;
  }

  /** Resolves once a run of `work` that started after this call has finished; rejects if it threw. */
  flush(): Promise<void> {
    return this.#next ??= Promise.resolve().then(() => {
      this.#next = undefined;
      this.#work();
    });
  }
}

const _encoder = new TextEncoder();

/** An append-only journal of JSON records `R` (see the module doc). */
export class DurableJournal<R = unknown> {
  readonly #file: JournalFile | undefined;
  readonly #commit = new GroupCommit(() => this.write([]));
  #queued: string[] = [];
  #failed = false;
  #error: unknown = undefined;

  /** @param file Where the lines go; undefined: nowhere (the journal keeps nothing). */
  constructor(file: JournalFile | undefined) {
    this.#file = file;
  }

  /** Queues `record`; it is written at the next microtask checkpoint with the others (group commit). */
  append(record: R): void {
    if (this.#file === undefined) return;
    this.#queued.push(JSON.stringify(record));
    // The first record of a batch schedules its write; a failure is kept for sync().
    if (this.#queued.length === 1) this.#commit.flush().catch(() => {});
  }

  /**
   * Writes what {@linkcode append} queued, then `records`, in one `write(2)` now.
   *
   * @throws {Error} Whatever the file system throws; then, and after any failed write, the journal
   * refuses every later write and sync, since memory is ahead of the file for good.
   */
  write(records: readonly R[]): void {
    const lines = this.#queued;
    this.#queued = [];
    if (this.#failed) throw this.#error;
    if (this.#file === undefined) return;
    for (const record of records) lines.push(JSON.stringify(record));
    if (lines.length === 0) return;
    try {
      this.#file.append(_encoder.encode(lines.join("\n") + "\n"));
    } catch (error) {
      this.#failed = true;
      this.#error = error;
      throw error;
    }
  }

  /**
   * Resolves once every record appended before this call is written.
   *
   * @throws {Error} The write error, once any write failed.
   */
  sync(): Promise<void> {
    if (this.#failed) return Promise.reject(this.#error);
    return this.#queued.length === 0 ? Promise.resolve() : this.#commit.flush();
  }

  /** Empties the file (a log of another run, say), dropping what is queued. */
  clear(): void {
    this.#queued = [];
    this.#file?.truncate(0);
  }

  /** Closes the file; call it after a last {@linkcode sync}. */
  close(): void {
    this.#file?.close();
  }
}

/** Options of {@linkcode openJournal}. */
export interface OpenJournalOptions<R> {
  /**
   * Checks one value read back (its 0-based `index` among the records), throwing when it is not a
   * record; the open then fails naming the file and line. Default: any JSON value is a record.
   */
  parse?: (value: unknown, index: number) => R;
}

/** What {@linkcode openJournal} found and opened. */
export interface OpenedJournal<R> {
  /** The journal, appending after `records`. */
  journal: DurableJournal<R>;
  /** Every complete record already in the file, oldest first. */
  records: R[];
}

/**
 * Opens the journal in `file` (a path, created if missing, or a {@linkcode JournalFile}; undefined
 * for none: no records, nothing written), reads back its records, and drops a torn last line.
 * Synchronous: a node whose start-up is synchronous (broadcast) stays so.
 *
 * @throws {SyntaxError} When a complete line is not JSON or `options.parse` refuses it (a corrupt
 * or foreign journal is not replayed).
 */
export function openJournalSync<R = unknown>(
  file: string | JournalFile | undefined,
  options: OpenJournalOptions<R> = {},
): OpenedJournal<R> {
  const opened = typeof file === "string" ? fileAt(file) : file;
  return _recover(opened, () => opened?.read() ?? new Uint8Array(), options);
}

/**
 * {@linkcode openJournalSync} for callers written against a promise. It reads synchronously too:
 * a journal is read once per start (a few MB at most), and a node that waited on real file I/O
 * could not run in the deterministic simulator (`deno task sim`), whose virtual time moves on
 * whenever no JavaScript work is pending, so a read still in flight would race the node's init
 * timeout there.
 *
 * @throws {SyntaxError} As {@linkcode openJournalSync}.
 */
export function openJournal<R = unknown>(
  file: string | JournalFile | undefined,
  options: OpenJournalOptions<R> = {},
): Promise<OpenedJournal<R>> {
  try {
    return Promise.resolve(openJournalSync(file, options));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Reads the records back and truncates a torn tail; closes the file if that fails. */
function _recover<R>(
  file: JournalFile | undefined,
  read: () => Uint8Array,
  options: OpenJournalOptions<R>,
): OpenedJournal<R> {
  const { parse = (value: unknown) => value as R } = options;
  try {
    const bytes = read();
    const end = bytes.lastIndexOf(0x0a) + 1; // 0 when no line is complete
    const lines = new TextDecoder().decode(bytes.subarray(0, end)).split("\n").slice(0, -1);
    const records = lines.map((line, i) => {
      try {
        return parse(JSON.parse(line), i);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new SyntaxError(`${file?.name}:${i + 1} is not a journal record: ${why}`, {
          cause: error,
        });
      }
    });
    if (end < bytes.length) file?.truncate(end);
    return { journal: new DurableJournal<R>(file), records };
  } catch (error) {
    file?.close();
    throw error;
  }
}
