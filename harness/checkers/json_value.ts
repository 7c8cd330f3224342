/**
 * Equality, hashing and ordering of decoded JSON values, the way Maelstrom's Clojure checkers see
 * them: `1` and `"1"` differ, object key order doesn't matter, and only values Clojure's `compare`
 * accepts can be ordered.
 *
 * @module
 */

import { isRecord } from "../../lib/message.ts";
import { JsonDouble, JsonLong } from "../node_json.ts";

function _canonical(value: unknown): unknown {
  // A JsonDouble or JsonLong is not a record: it stays itself and serialises as its exact text.
  if (Array.isArray(value)) return value.map(_canonical);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = _canonical(value[key]);
    return out;
  }
  return value;
}

/**
 * Returns a string that is equal for two JSON values exactly when the values are equal: objects
 * compare by content whatever their key order, and `1` differs from `"1"`. `undefined` maps to
 * `"undefined"` so a missing value never collides with `null`.
 */
export function jsonKey(value: unknown): string {
  if (value === undefined) return "undefined";
  return JSON.stringify(_canonical(value));
}

/**
 * A `Map` key for a JSON value, equal for equal values: a plain number is its own key (no string
 * built, the common case of integer elements), anything else its {@linkcode jsonKey}. The two
 * kinds never collide, since one is a number and the other a string.
 */
export function valueKey(value: unknown): number | string {
  return typeof value === "number" ? value : jsonKey(value);
}

/** Returns whether two JSON values are equal by content (see {@linkcode jsonKey}). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return jsonKey(a) === jsonKey(b);
}

function _kind(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (value instanceof JsonDouble || value instanceof JsonLong) return "number";
  if (Array.isArray(value)) return "vector";
  if (isRecord(value)) return "map";
  return typeof value;
}

/** Orders numbers, doubles and longs included, as Clojure compares them: by value. */
function _compareNumbers(a: unknown, b: unknown): number {
  const x = a instanceof JsonDouble ? a.value : a as number | JsonLong;
  const y = b instanceof JsonDouble ? b.value : b as number | JsonLong;
  if (typeof x === "number" && typeof y === "number") return x - y;
  // A JsonLong on one side: exact against any integer, by value against a fraction.
  const exact = (v: number | JsonLong) =>
    v instanceof JsonLong ? v.value : Number.isInteger(v) ? BigInt(v) : undefined;
  const bx = exact(x);
  const by = exact(y);
  if (bx !== undefined && by !== undefined) return bx < by ? -1 : bx > by ? 1 : 0;
  const approx = (v: number | JsonLong) => v instanceof JsonLong ? Number(v.value) : v;
  return approx(x) - approx(y);
}

/**
 * Orders two JSON values like Clojure's `compare` on Maelstrom's decoded JSON: `null` sorts first,
 * numbers, strings and booleans compare within their own kind, and arrays compare by length and
 * then element by element.
 *
 * @returns A negative number, zero or a positive number.
 * @throws {TypeError} When the values are not comparable: objects (Clojure maps aren't
 * `Comparable`) or two different kinds, e.g. a string and a number.
 */
export function compareJson(a: unknown, b: unknown): number {
  const ka = _kind(a);
  const kb = _kind(b);
  if (ka === "nil" || kb === "nil") {
    if (ka === kb) return 0;
    return ka === "nil" ? -1 : 1;
  }
  if (ka === "map" || kb === "map") {
    throw new TypeError(`Cannot compare ${jsonKey(a)} with ${jsonKey(b)}: objects are unordered`);
  }
  if (ka !== kb) {
    throw new TypeError(`Cannot compare ${ka} ${jsonKey(a)} with ${kb} ${jsonKey(b)}`);
  }
  if (ka === "vector") {
    const va = a as unknown[];
    const vb = b as unknown[];
    if (va.length !== vb.length) return va.length - vb.length;
    for (let i = 0; i < va.length; i++) {
      const c = compareJson(va[i], vb[i]);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (ka === "boolean") return Number(a) - Number(b);
  if (ka === "number") return _compareNumbers(a, b);
  // Strings: code-unit order, like Java's String.compareTo.
  const sa = a as string;
  const sb = b as string;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
