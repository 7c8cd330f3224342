/**
 * Decoded JSON values as Maelstrom's Clojure sees them, for every part of the harness (services,
 * clients, checkers): one equality, one map key, one order and Clojure's printing.
 *
 * The rules, as Clojure applies them to what Cheshire decodes:
 * - `1` and `"1"` differ; a long `1` and a double `1.0` ({@linkcode JsonDouble}) differ, as
 *   `(= 1 1.0)` is false; integers beyond 2^53 ({@linkcode JsonLong}) compare exactly.
 * - Objects compare by content, whatever their key order; arrays in order.
 * - A missing value (`undefined`, as an absent field reads) is nil, equal to `null`: Clojure's
 *   lookup of an absent key gives nil, and JSON has no other absence.
 * - Only values Clojure's `compare` accepts can be ordered ({@linkcode compareJson}).
 *
 * @module
 */

import { isRecord } from "../lib/message.ts";
import { JsonDouble, JsonLong } from "./node_json.ts";

/**
 * A string equal for two JSON values exactly when they are equal (see the module doc): JSON text
 * with object keys sorted, doubles and longs as written, `undefined` as `null`.
 */
export function jsonKey(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (value instanceof JsonDouble) return value.canonical;
  if (value instanceof JsonLong) return value.value.toString();
  if (Array.isArray(value)) return `[${value.map(jsonKey).join(",")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${jsonKey(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * A `Map` key for a JSON value, equal for equal values: a plain number is its own key (no string
 * built, the common case of integer elements), anything else its {@linkcode jsonKey}. The two
 * kinds never collide, since one is a number and the other a string.
 */
export function valueKey(value: unknown): number | string {
  return typeof value === "number" ? value : jsonKey(value);
}

/** Whether two decoded JSON values are equal (see the module doc), without building keys. */
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
