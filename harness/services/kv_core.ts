/**
 * The key-value state machine shared by `lin-kv`, `seq-kv` and `lww-kv`: request evaluation
 * against one looked-up value, and reply building. Values compare as Clojure's `=` compares them
 * ({@linkcode jsonEqual}); keys may be any JSON value, and maps are keyed by {@linkcode jsonKey},
 * so `{"a":1,"b":2}` and `{"b":2,"a":1}` name the same key.
 *
 * @module
 */

import { clojureStr, jsonEqual, prStr } from "../json_value.ts";
import type { Body } from "../../lib/message.ts";

/** The result of looking a key up in one version of a map. */
export type Lookup = { found: false } | { found: true; value: unknown };

/** What evaluating one KV request against a looked-up value gives. */
export interface KvEval {
  /** The reply body, without `in_reply_to`. */
  reply: Body;
  /** Present when the request stores a value under the key (write, successful cas). */
  set?: { value: unknown };
}

/** Options of {@linkcode evalKv}. */
export interface KvEvalOptions {
  /** Whether cas honours `create_if_not_exists` (lww-kv ignores it). Defaults to true. */
  casCreates?: boolean;
  /** How the 22 text prints `from`: `"pr"` (quoted, lin/seq-kv) or `"str"` (raw, lww-kv). */
  fromText?: "pr" | "str";
}

/** The request types a KV service answers. */
export const KV_TYPES: ReadonlySet<string> = new Set(["read", "write", "cas"]);

const MISSING: Body = { type: "error", code: 20, text: "key does not exist" };

/**
 * Evaluates a `read`, `write` or `cas` request against the key's current value.
 *
 * @returns The reply and the value to store, or undefined for any other request type.
 */
export function evalKv(
  body: Body,
  current: Lookup,
  options: KvEvalOptions = {},
): KvEval | undefined {
  switch (body.type) {
    case "read":
      return { reply: current.found ? { type: "read_ok", value: current.value } : { ...MISSING } };
    case "write":
      return { reply: { type: "write_ok" }, set: { value: body.value ?? null } };
    case "cas": {
      const to = body.to ?? null;
      const from = body.from ?? null;
      if (!current.found) {
        // Clojure truthiness: only nil and false are falsy, so 0 and "" create too.
        const create = (options.casCreates ?? true) && _truthy(body.create_if_not_exists);
        return create
          ? { reply: { type: "cas_ok" }, set: { value: to } }
          : { reply: { ...MISSING } };
      }
      if (jsonEqual(current.value, from)) return { reply: { type: "cas_ok" }, set: { value: to } };
      const shown = options.fromText === "str" ? clojureStr(from) : prStr(from);
      return {
        reply: {
          type: "error",
          code: 22,
          text: `current value ${prStr(current.value)} is not ${shown}`,
        },
      };
    }
    default:
      return undefined;
  }
}

/**
 * Whether applying `result` would change a persistent map whose entry was `current`: Maelstrom
 * compares whole states, so storing an equal value (a write of the current value, a cas from x to
 * x) leaves the state unchanged.
 */
export function changes(result: KvEval, current: Lookup): boolean {
  if (result.set === undefined) return false;
  return !current.found || !jsonEqual(current.value, result.set.value);
}

/**
 * Builds a service reply: `fields` plus `in_reply_to` = the request's `msg_id`, or null when the
 * request had none (Maelstrom assoc's `(:msg_id body)`, which is nil then). No `msg_id`.
 */
export function replyTo(request: Body, fields: Body): Body {
  const reply: Record<string, unknown> = { ...fields, in_reply_to: request.msg_id ?? null };
  // The wire allows null here although Body types in_reply_to as number for node code.
  return reply as Body;
}

function _truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}
