/**
 * Closed-schema checks of client replies, as Maelstrom's `defrpc` does: the exact `type`, the
 * listed fields, an integer `in_reply_to`, an optional integer `msg_id`, and nothing else.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import { MalformedReplyError } from "../types.ts";

/** Accepts one field's value; the field itself must be present. */
export type FieldCheck = (value: unknown) => boolean;

/** Any JSON value, including `null` (Maelstrom's `s/Any`). */
export const anyValue: FieldCheck = () => true;

/** An integer (Maelstrom's `s/Int`). */
export const integerValue: FieldCheck = (value) => Number.isInteger(value);

/** An array of anything (Maelstrom's `[s/Any]`). */
export const arrayValue: FieldCheck = (value) => Array.isArray(value);

const _ENVELOPE = new Set(["type", "in_reply_to", "msg_id"]);

/**
 * Checks `body` against a closed reply schema.
 *
 * @param body The reply body (error replies never get here: the connection rejects them first).
 * @param type The expected `type`, e.g. `"echo_ok"`.
 * @param fields The required fields besides `type`, `in_reply_to` and `msg_id`, with their checks.
 * @throws {MalformedReplyError} On a wrong type, a missing or ill-typed field, or an extra key.
 */
export function expectReply(
  body: Body,
  type: string,
  fields: Readonly<Record<string, FieldCheck>> = {},
): void {
  const problems: string[] = [];
  if (body.type !== type) problems.push(`type should be ${JSON.stringify(type)}`);
  if (!Number.isInteger(body.in_reply_to)) problems.push("in_reply_to should be an integer");
  if ("msg_id" in body && !Number.isInteger(body.msg_id)) {
    problems.push("msg_id should be an integer when present");
  }
  for (const [name, check] of Object.entries(fields)) {
    if (!(name in body)) problems.push(`missing required key ${name}`);
    else if (!check(body[name])) problems.push(`${name} has the wrong type`);
  }
  for (const key of Object.keys(body)) {
    if (!_ENVELOPE.has(key) && !(key in fields)) problems.push(`disallowed key ${key}`);
  }
  if (problems.length > 0) {
    throw new MalformedReplyError(
      `Malformed RPC response: expected ${type}, received ${JSON.stringify(body)}: ${
        problems.join("; ")
      }`,
    );
  }
}
