/**
 * What a node's output lines mean to the harness: Maelstrom's closed envelope schema for stdout
 * messages, and stderr text made plain for results and failure messages.
 *
 * @module
 */

import { isRecord } from "../lib/message.ts";
import { isLong } from "./node_json.ts";

/** Checks Maelstrom's closed envelope schema; returns why a value isn't one, or undefined. */
export function envelopeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return "not an object";
  for (const key of Object.keys(value)) {
    if (key !== "src" && key !== "dest" && key !== "body" && key !== "id") {
      return `unexpected key ${JSON.stringify(key)}`;
    }
  }
  if (typeof value.src !== "string") return "src is not a string";
  if (typeof value.dest !== "string") return "dest is not a string";
  if (value.id !== undefined && !Number.isInteger(value.id)) return "id is not an integer";
  const body = value.body;
  if (!isRecord(body) || typeof body.type !== "string") {
    return "body is not an object with a string type";
  }
  // A long msg_id (beyond 2^53) is fine: Maelstrom's are JVM longs, and services echo it exactly.
  if (body.msg_id !== undefined && !isLong(body.msg_id)) return "msg_id is not an integer";
  if (body.in_reply_to !== undefined && !isLong(body.in_reply_to)) {
    return "in_reply_to is not an integer";
  }
  return undefined;
}

/** Terminal escape sequences (colours, cursor moves) that a node's stderr may carry. */
// deno-lint-ignore no-control-regex
const _ANSI = /\x1b\[[0-?]*[ -\/]*[@-~]|\x1b[@-Z\\-_]/g;

/** `text` without terminal escape sequences (Deno's coloured errors, say). */
export function withoutAnsi(text: string): string {
  return text.replace(_ANSI, "");
}
