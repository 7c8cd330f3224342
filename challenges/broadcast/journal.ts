/**
 * What a broadcast node keeps across a crash: how many times it started, and the values clients
 * gave it, in the order it named them. A {@linkcode DurableJournal} (`../durable_journal.ts`, where
 * durability is discussed), one JSON line per record: `"start"` when the node starts, the value
 * (a JSON number) before it is acknowledged or sent anywhere, each written at once (the
 * synchronous path: see the shared module for why broadcast does not group-commit).
 *
 * @module
 */

import {
  type DurableJournal,
  type JournalFile,
  openJournalSync,
} from "../common/durable_journal.ts";

/** The journal file's name, in the node's working directory. */
export const JOURNAL_FILE = "broadcast.journal";

/** One record: a start of the node, or one of its own values. */
export type BroadcastRecord = "start" | number;

function _parse(value: unknown): BroadcastRecord {
  if (value === "start" || (typeof value === "number" && Number.isFinite(value))) return value;
  throw new TypeError(`not "start" nor a number: ${JSON.stringify(value)}`);
}

/** One incarnation's view of the journal: what earlier ones left, and a way to add to it. */
export class BroadcastJournal {
  /** This start's number, from 1: one more than the starts recorded before. */
  readonly incarnation: number;
  /** The values recorded by earlier incarnations, in naming order (value i has seq i + 1). */
  readonly own: readonly number[];
  readonly #journal: DurableJournal<BroadcastRecord>;

  /**
   * Reads the journal in `file` (a path, a memory file, or undefined for none) and records this
   * start.
   *
   * @throws {Error} Whatever opening or writing the file throws, a corrupt line included.
   */
  constructor(file: string | JournalFile | undefined) {
    const { journal, records } = openJournalSync(file, { parse: _parse });
    this.incarnation = records.filter((record) => record === "start").length + 1;
    this.own = records.filter((record) => record !== "start");
    journal.write(["start"]);
    this.#journal = journal;
  }

  /** Records `value` as this node's next own value; returns once the OS has it. */
  append(value: number): void {
    this.#journal.write([value]);
  }

  /** Closes the file. */
  close(): void {
    this.#journal.close();
  }
}
