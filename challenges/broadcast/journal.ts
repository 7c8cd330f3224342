/**
 * What a broadcast node keeps across a crash: how many times it started, and the values clients
 * gave it, in the order it named them. One append-only text file, one line per record: `start`
 * when the node starts, the value (a JSON number) before it is acknowledged.
 *
 * Durability: each record is one write(2) to the file before the node answers or sends anything
 * about it, and nothing is fsynced. A killed process (SIGKILL) loses nothing the kernel accepted,
 * which is the fault the harness's kill nemesis injects; a machine crash could lose the tail. To
 * survive one, fsync each record, or, to keep the cost off the critical path, batch the records of
 * one tick under one fsync (group commit) and answer after it.
 *
 * @module
 */

import { isOwnDirectory } from "../own_directory.ts";
/** Where a journal's text lives: a file in production, memory in tests. */
export interface JournalBacking {
  /** The whole text written so far (`""` for none). */
  read(): string;
  /** Appends `text`; returns once the OS has it (not fsynced). */
  append(text: string): void;
}

/** The journal file's name, in the node's working directory. */
export const JOURNAL_FILE = "broadcast.journal";

/**
 * The journal path for `nodeId` running in `cwd`, or undefined to keep nothing. Only a directory
 * of the node's own, named after its id (the harness's `<run>/node-dirs/<node>`), qualifies:
 * Maelstrom runs every node in one `/tmp` kept between runs, where a file could be another node's
 * or an earlier run's, and reloading it would mix runs whose values share names.
 */
export function journalPath(nodeId: string, cwd: string): string | undefined {
  return isOwnDirectory(nodeId, cwd) ? `${cwd}/${JOURNAL_FILE}` : undefined;
}

/** A journal file at `path`: read whole at start, appended to with one write per record. */
export function fileBacking(path: string): JournalBacking {
  return {
    read() {
      try {
        return Deno.readTextFileSync(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return "";
        throw error;
      }
    },
    append(text) {
      Deno.writeTextFileSync(path, text, { append: true });
    },
  };
}

/** An in-memory backing that outlives the journals opened on it, as a file outlives a process. */
export class MemoryBacking implements JournalBacking {
  /** Everything appended so far. */
  text = "";

  /** Returns the text. */
  read(): string {
    return this.text;
  }

  /** Appends to the text. */
  append(text: string): void {
    this.text += text;
  }
}

/** One incarnation's view of the journal: what earlier ones left, and a way to add to it. */
export class Journal {
  /** This start's number, from 1: one more than the starts recorded before. */
  readonly incarnation: number;
  /** The values recorded by earlier incarnations, in naming order (value i has seq i + 1). */
  readonly own: readonly number[];
  readonly #backing: JournalBacking;

  /**
   * Reads `backing` and records this start. A last line cut short (a machine crash mid-write) is
   * ignored and marked `torn`, as are lines that are neither `start` nor a number.
   *
   * @throws {Error} Whatever reading or appending to the backing throws.
   */
  constructor(backing: JournalBacking) {
    const text = backing.read();
    // A complete record ends with a newline; anything after the last one is a torn write.
    const lines = text.slice(0, text.lastIndexOf("\n") + 1).split("\n");
    let starts = 0;
    const own: number[] = [];
    for (const line of lines) {
      if (line === "start") starts++;
      else if (line !== "" && Number.isFinite(Number(line))) own.push(Number(line));
    }
    // Close a torn tail with a word that keeps it from ever parsing, then start a fresh line.
    const torn = text.length > 0 && !text.endsWith("\n");
    backing.append(`${torn ? " torn\n" : ""}start\n`);
    this.incarnation = starts + 1;
    this.own = own;
    this.#backing = backing;
  }

  /** Records `value` as this node's next own value; returns once the OS has it. */
  append(value: number): void {
    this.#backing.append(`${JSON.stringify(value)}\n`);
  }
}
