/**
 * The write-ahead log of a txn node: one append-only file of JSON lines in the node's working
 * directory, written before anything it holds is acknowledged to a client or sent to a peer, and
 * replayed when the node starts again.
 *
 * Records, in the order the node's replication log holds them:
 * - `["inc", n, run]`: incarnation n of the node started (bumped at every start) in run `run`;
 * - `["ws", origin, ts, writes]`: one write set the node committed or applied, in log order;
 * - `["trim", k]`: every peer holds the file's first k write sets durably (they need no resend).
 *
 * Durability: each batch is one write(2), without fsync. A killed process loses nothing it wrote
 * (the page cache outlives it, which is what the kill nemesis and Maelstrom's process model
 * test); a machine crash could lose the tail, so a node meant to survive power loss would add an
 * fdatasync per batch, costing a disk flush per group commit.
 *
 * A run is told apart by `run`, the parent process id (the harness, or Maelstrom's JVM, outlives
 * every restart of its nodes): Maelstrom keeps the working directory (`/tmp`) between runs, and a
 * log left by another run is discarded rather than replayed into this one.
 *
 * @module
 */

import type { Key, WriteSet } from "./store.ts";

/** One line of the log. */
export type WalRecord =
  | ["inc", number, number]
  | ["ws", string, number, [Key, unknown][]]
  | ["trim", number];

/** What a node finds in its log when it starts. */
export interface Recovered {
  /** This start's incarnation: one past the last one logged in this run, from 1. */
  incarnation: number;
  /** Every write set logged, in log order. */
  writeSets: WriteSet[];
  /** How many of `writeSets`, from the first, every peer holds durably. */
  trimmed: number;
}

/** {@linkcode Recovered} plus how much of the file is valid, from {@linkcode replayWal}. */
export interface Replayed extends Recovered {
  /** The length of the valid prefix, bytes; a torn last line or another run's log is dropped. */
  validBytes: number;
}

function _isRecord(value: unknown): value is WalRecord {
  if (!Array.isArray(value)) return false;
  const [tag, a, b, c] = value;
  if (tag === "inc") return value.length === 3 && Number.isInteger(a) && Number.isInteger(b);
  if (tag === "trim") return value.length === 2 && Number.isInteger(a);
  return tag === "ws" && value.length === 4 && typeof a === "string" && Number.isInteger(b) &&
    Array.isArray(c);
}

/**
 * Parses a log's bytes for run `run`: its write sets, the last trim mark and incarnation, and
 * the valid prefix. A log of another run counts as empty; parsing stops at the first line that is
 * unterminated (torn by the kill) or unreadable.
 */
export function replayWal(bytes: Uint8Array, run: number): Replayed {
  const writeSets: WriteSet[] = [];
  let last = 0;
  let trimmed = 0;
  let valid = 0;
  const decoder = new TextDecoder();
  for (let start = 0; start < bytes.length;) {
    const end = bytes.indexOf(10, start);
    if (end < 0) break;
    let record: unknown;
    try {
      record = JSON.parse(decoder.decode(bytes.subarray(start, end)));
    } catch {
      break;
    }
    if (!_isRecord(record)) break;
    if (record[0] === "inc") {
      if (record[2] !== run) break;
      last = record[1];
    } else if (valid === 0) {
      break; // A log starts with its run's first incarnation.
    } else if (record[0] === "ws") {
      writeSets.push({ origin: record[1], ts: record[2], writes: record[3] });
    } else {
      trimmed = Math.min(record[1], writeSets.length);
    }
    start = valid = end + 1;
  }
  return { incarnation: last + 1, writeSets, trimmed, validBytes: valid };
}

/** Encodes records as the log's lines. */
export function encodeRecords(records: readonly WalRecord[]): Uint8Array {
  return new TextEncoder().encode(records.map((r) => JSON.stringify(r) + "\n").join(""));
}

/** An open log: appends records with one write per call. */
export class Wal {
  #file: Deno.FsFile;

  private constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /**
   * Opens (or creates) the log at `path` for run `run`: replays it, drops what is not valid,
   * and logs the new incarnation before returning, so no message of this incarnation can leave
   * before the bump is on file.
   */
  static async open(path: string, run: number): Promise<{ wal: Wal; recovered: Recovered }> {
    let bytes = new Uint8Array();
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const { validBytes, ...recovered } = replayWal(bytes, run);
    const file = await Deno.open(path, { write: true, create: true });
    await file.truncate(validBytes);
    await file.seek(validBytes, Deno.SeekMode.Start);
    const wal = new Wal(file);
    wal.append([["inc", recovered.incarnation, run]]);
    return { wal, recovered };
  }

  /**
   * Appends `records` in one write(2) (looping only on a short write).
   *
   * @throws {Error} Whatever the file system throws (the node must stop acknowledging).
   */
  append(records: readonly WalRecord[]): void {
    const bytes = encodeRecords(records);
    for (let n = 0; n < bytes.length;) n += this.#file.writeSync(bytes.subarray(n));
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}

/**
 * Group commit: every {@linkcode GroupCommit.flush} call of one microtask batch (the messages of
 * one read from stdin, say) shares one run of `write`.
 */
export class GroupCommit {
  #write: () => void;
  #next: Promise<void> | undefined;

  /** @param write Writes everything pending, synchronously. */
  constructor(write: () => void) {
    this.#write = write;
  }

  /** Resolves once a write that started after this call has finished; rejects if it threw. */
  flush(): Promise<void> {
    return this.#next ??= Promise.resolve().then(() => {
      this.#next = undefined;
      this.#write();
    });
  }
}
