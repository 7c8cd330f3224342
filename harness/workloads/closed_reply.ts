/**
 * Closed-schema checks for workload replies, as Maelstrom's `defrpc` does: the exact `type`, the
 * listed fields, an integer `in_reply_to`, an optional integer `msg_id`, and nothing else.
 *
 * Field guards follow Plumatic schema's semantics, which Maelstrom validates replies with: a
 * vector schema `[X]` also accepts `null` (a Go nil slice), which Maelstrom's clients then read as
 * the empty list, while a map schema `{K V}` does not. See `docs/reply_schemas.md`.
 *
 * @module
 */

import { isLong } from "../node_json.ts";
import type { Body } from "../../lib/message.ts";
import { MalformedReplyError } from "./contract.ts";

/** A guard for one reply field. */
export type FieldCheck = (value: unknown) => boolean;

/** Whether `value` is an integer. */
export function isInt(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/** Accepts anything, for free-form fields such as a kafka `msg`. */
export function isAny(_value: unknown): boolean {
  return true;
}

/**
 * A guard for a Plumatic vector schema `[item]`: an array whose elements all pass `item`, or
 * `null`, which that schema accepts and Maelstrom reads as empty. Normalize such a field with
 * {@linkcode seqOrEmpty} once it passed.
 *
 * @param item The guard each element must pass; any element by default.
 */
export function isSeqOf(item: FieldCheck = isAny): FieldCheck {
  return (value) => value === null || (Array.isArray(value) && value.every(item));
}

/**
 * The list a field that passed {@linkcode isSeqOf} stands for: `null` becomes `[]`, as Clojure's
 * sequence functions read `nil`, so that histories and checkers never see `null` for a list.
 *
 * @throws {TypeError} When `value` is neither an array nor `null` (a guard was skipped).
 */
export function seqOrEmpty(value: unknown): unknown[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw new TypeError(`Expected an array or null, got ${typeof value}`);
  return value;
}

/**
 * Checks `body` against a closed schema and returns it.
 *
 * @param body The reply body (never an error reply: those are raised before any schema check).
 * @param type The expected `type`.
 * @param fields The required fields and their guards.
 * @throws {MalformedReplyError} When a field is missing, of the wrong type, or not allowed.
 */
export function expectReply(
  body: Body,
  type: string,
  fields: Readonly<Record<string, FieldCheck>>,
): Body {
  if (body.type !== type) {
    throw new MalformedReplyError(
      `Expected a ${type} reply, got type ${JSON.stringify(body.type)}`,
    );
  }
  if (!isInt(body.in_reply_to)) {
    throw new MalformedReplyError(`${type} reply lacks an integer in_reply_to`);
  }
  if (body.msg_id !== undefined && !isLong(body.msg_id)) {
    throw new MalformedReplyError(`${type} reply has a non-integer msg_id`);
  }
  for (const [name, check] of Object.entries(fields)) {
    if (!(name in body) || !check(body[name])) {
      throw new MalformedReplyError(
        `${type} reply field ${name} is missing or malformed: ${JSON.stringify(body[name])}`,
      );
    }
  }
  for (const name of Object.keys(body)) {
    if (name !== "type" && name !== "in_reply_to" && name !== "msg_id" && !(name in fields)) {
      throw new MalformedReplyError(`${type} reply has an unexpected key ${name}`);
    }
  }
  return body;
}
