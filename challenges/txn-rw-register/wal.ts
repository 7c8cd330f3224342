/**
 * The write-ahead log of a txn node: a {@linkcode DurableJournal} (`../common/durable_journal.ts`, where
 * durability and torn tails are discussed), written before anything it holds is acknowledged to a
 * client or sent to a peer, and replayed when the node starts again.
 *
 * Records, in the order the node's replication log holds them:
 * - `["inc", n, run]`: incarnation n of the node started (bumped at every start) in run `run`;
 * - `["ws", origin, ts, writes]`: one write set the node committed or applied, in log order;
 * - `["trim", k]`: every peer holds the file's first k write sets durably (they need no resend).
 *
 * A run is told apart by `run`, the parent process id (the harness, or Maelstrom's JVM, outlives
 * every restart of its nodes): Maelstrom keeps the working directory (`/tmp`) between runs, and a
 * log left by another run is discarded rather than replayed into this one.
 *
 * @module
 */

import { type DurableJournal, openJournal } from "../common/durable_journal.ts";
import type { Recovery } from "./replica.ts";
import type { Key } from "./store.ts";

/** One line of the log. */
export type WalRecord =
  | ["inc", number, number]
  | ["ws", string, number, [Key, unknown][]]
  | ["trim", number];

/** {@linkcode Recovery} plus whether the log was another run's, from {@linkcode replayWal}. */
export interface Replayed extends Recovery {
  /** The log belongs to another run (or to none): it is discarded, not replayed. */
  foreign: boolean;
}

function _parseRecord(value: unknown): WalRecord {
  if (Array.isArray(value)) {
    const [tag, a, b, c] = value;
    if (tag === "inc" && value.length === 3 && Number.isInteger(a) && Number.isInteger(b)) {
      return value as WalRecord;
    }
    if (tag === "trim" && value.length === 2 && Number.isInteger(a)) return value as WalRecord;
    if (
      tag === "ws" && value.length === 4 && typeof a === "string" && Number.isInteger(b) &&
      Array.isArray(c)
    ) return value as WalRecord;
  }
  throw new TypeError(`not a txn log record: ${JSON.stringify(value)}`);
}

/**
 * Replays a log's records for run `run`: its write sets, the last trim mark and incarnation. A
 * log that does not start with an incarnation of this run is another run's, and counts as empty.
 *
 * @throws {TypeError} When a later incarnation is another run's (a log never mixes runs).
 */
export function replayWal(records: readonly WalRecord[], run: number): Replayed {
  const first = records[0];
  if (first === undefined || first[0] !== "inc" || first[2] !== run) {
    return { incarnation: 1, writeSets: [], trimmed: 0, foreign: first !== undefined };
  }
  const writeSets: Recovery["writeSets"] = [];
  let last = 0;
  let trimmed = 0;
  for (const record of records) {
    if (record[0] === "inc") {
      if (record[2] !== run) throw new TypeError(`The log mixes runs ${run} and ${record[2]}`);
      last = record[1];
    } else if (record[0] === "ws") {
      writeSets.push({ origin: record[1], ts: record[2], writes: record[3] });
    } else {
      trimmed = Math.min(record[1], writeSets.length);
    }
  }
  return { incarnation: last + 1, writeSets, trimmed, foreign: false };
}

/**
 * Opens (or creates) the log at `path` (undefined: none, nothing kept) for run `run`: replays it,
 * discards another run's, and logs the new incarnation before returning, so no message of this
 * incarnation can leave before the bump is on file.
 *
 * @throws {SyntaxError} When a complete line is not a record (see `openJournal`).
 * @throws {TypeError} When the log mixes runs.
 */
export async function openWal(
  path: string | undefined,
  run: number,
): Promise<{ wal: DurableJournal<WalRecord>; recovery: Recovery }> {
  const { journal: wal, records } = await openJournal(path, { parse: _parseRecord });
  try {
    const { foreign, ...recovery } = replayWal(records, run);
    if (foreign) wal.clear();
    wal.write([["inc", recovery.incarnation, run]]);
    return { wal, recovery };
  } catch (error) {
    wal.close();
    throw error;
  }
}
