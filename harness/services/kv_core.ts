/**
 * The key-value state machine shared by `lin-kv`, `seq-kv` and `lww-kv`: request evaluation
 * against one looked-up value, reply building, and JSON value equality.
 *
 * Equality: Maelstrom compares decoded JSON with Clojure's `=`, where `1` and `1.0` differ.
 * JSON-decoded JavaScript has one number type, so here `1` and `1.0` are equal; everything else
 * (strings, booleans, null, arrays in order, objects regardless of key order) compares
 * structurally, as Clojure does.
 *
 * Keys may be any JSON value; maps are keyed by {@linkcode canonicalJson}, so `{"a":1,"b":2}` and
 * `{"b":2,"a":1}` name the same key.
 *
 * @module
 */

import { JsonDouble, JsonLong } from "../node_json.ts";
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

/** The map key for a JSON key: JSON text with object keys sorted, `undefined` as null. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (value instanceof JsonDouble) return value.canonical;
  if (value instanceof JsonLong) return value.value.toString();
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Structural equality of decoded JSON values (see the module doc for numbers). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof JsonDouble || b instanceof JsonDouble) {
    return a instanceof JsonDouble && b instanceof JsonDouble && a.value === b.value;
  }
  if (a instanceof JsonLong || b instanceof JsonLong) {
    return a instanceof JsonLong && b instanceof JsonLong && a.value === b.value;
  }
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  return keys.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}

/** Prints a JSON value roughly as Clojure's `pr-str` does: `nil`, `"s"`, `[1 2]`, `{"a" 1}`. */
export function prStr(value: unknown): string {
  if (value === undefined || value === null) return "nil";
  if (value instanceof JsonDouble) return value.canonical;
  if (value instanceof JsonLong) return value.value.toString();
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(prStr).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)} ${prStr(v)}`).join(", ")}}`;
  }
  return String(value);
}

/** Prints a JSON value as Clojure's `str` does: strings raw, nil empty, the rest as `pr-str`. */
export function clojureStr(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : prStr(value);
}

function _truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}
