/**
 * The records a replicated kafka node keeps in its journal (`../common/durable_journal.ts`), one JSON array per
 * line, and their check when read back. Only what a node cannot get back from its peers is
 * journaled: its own entries, the promises it raised, commits, and one record per boot.
 *
 * @module
 */

/** One journal record. */
export type LogRecord =
  /** A boot of `node` of cluster `nodes`, its incarnation `inc` (1, 2, …). */
  | ["boot", inc: number, node: string, nodes: string[]]
  /** An entry this node assigned. */
  | ["e", key: string, offset: number, msg: unknown]
  /** This node's promise for `key` rose to `next` (other than by one of its own entries). */
  | ["p", key: string, next: number]
  /** The committed offset of `key` rose to `offset`. */
  | ["c", key: string, offset: number];

function _isOffset(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * Narrows one value read from a journal to a record.
 *
 * @param index The record's position, for the message.
 * @throws {TypeError} When `value` is not a record (a corrupt or foreign journal).
 */
export function parseLogRecord(value: unknown, index: number): LogRecord {
  if (Array.isArray(value)) {
    const [tag, a, b, c] = value as unknown[];
    if (tag === "boot" && _isOffset(a) && a > 0 && typeof b === "string" && Array.isArray(c)) {
      if (value.length === 4 && c.every((id) => typeof id === "string")) {
        return ["boot", a, b, c as string[]];
      }
    }
    if (tag === "e" && value.length === 4 && typeof a === "string" && _isOffset(b)) {
      return ["e", a, b, c];
    }
    if ((tag === "p" || tag === "c") && value.length === 3 && typeof a === "string") {
      if (_isOffset(b)) return [tag, a, b];
    }
  }
  throw new TypeError(`Journal record ${index} is not a kafka record: ${JSON.stringify(value)}`);
}
