/**
 * Parsing a node's stdout line as Maelstrom does on the JVM, where the way a number is written
 * matters: `1` is a long, while `1.0` and `1e3` are doubles. A double is never an integer to
 * Maelstrom's schemas (`s/Int` rejects it, so an `in_reply_to` of `1.0` answers nothing) and never
 * equals a long (`(= 1.0 1)` is false, so ids `1` and `1.0` differ). `JSON.parse` makes both the
 * number 1, so an integral value written with a fraction or an exponent is kept as a
 * {@linkcode JsonDouble} instead, which serialises back as a double (`1.0`).
 *
 * Integers beyond 2^53 are exact on the JVM (a long, or a BigInteger past 2^63) and rounded by
 * `JSON.parse`: 2^53 + 1 would come back as 2^53, and two distinct 64-bit ids could look equal.
 * They are kept as {@linkcode JsonLong}s, exact and printed back digit for digit.
 *
 * @module
 */

/** The part of `JSON.parse`'s reviver context (source text access) that this module uses. */
type _SourceReviver = (key: string, value: unknown, context: { source?: string }) => unknown;

const _parseWithSource = JSON.parse as unknown as (
  text: string,
  reviver: _SourceReviver,
) => unknown;
const _rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/**
 * Where a line may hold a number that `JSON.parse` alone gets wrong: a decimal (its whole and
 * fraction digits captured, and an exponent after it), any other exponent, or an integer part of
 * 16 digits or more (possibly beyond 2^53). Matches inside strings only cost the slow path.
 */
const _SUSPECT = /(\d+)\.(\d+)([eE])?|\d[eE]|(?<![\d.])\d{16}/g;
const _DOUBLE_SYNTAX = /[.eE]/;
const _INTEGER_SYNTAX = /^-?\d+$/;

/** An integral number written as a double (`1.0`, `2e3`): Maelstrom's double, never an integer. */
export class JsonDouble {
  /**
   * @param value The number's value (an integer).
   * @param source The number as the node wrote it, e.g. `"1.0"`.
   */
  constructor(readonly value: number, readonly source: string) {}

  /** Serialises as Maelstrom (Cheshire) prints a double: `1.0` for `1.00` or `1e0`. */
  toJSON(): unknown {
    return _rawJson(this.canonical);
  }

  /** The double's text, equal for equal doubles and never equal to a long's text. */
  get canonical(): string {
    return Math.abs(this.value) < 1e21 ? `${this.value}.0` : this.source;
  }
}

/** An integer beyond ±2^53 (Maelstrom's long or BigInteger), kept exact as a bigint. */
export class JsonLong {
  /** @param value The exact integer. */
  constructor(readonly value: bigint) {}

  /** Serialises digit for digit. */
  toJSON(): unknown {
    return _rawJson(this.value.toString());
  }
}

/** Whether `value` is an integer to Maelstrom: a safe integer number or a {@linkcode JsonLong}. */
export function isLong(value: unknown): value is number | JsonLong {
  return Number.isInteger(value) || value instanceof JsonLong;
}

/**
 * Orders two integers, numbers or {@linkcode JsonLong}s, exactly.
 *
 * @returns A negative number, zero or a positive number.
 */
export function compareLongs(a: number | JsonLong, b: number | JsonLong): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = typeof a === "number" ? BigInt(a) : a.value;
  const y = typeof b === "number" ? BigInt(b) : b.value;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Whether `line` may hold an integral number written as a double, or an integer beyond 2^53: the
 * lines `parseNodeJson` must read number by number. False means `JSON.parse` alone is exact,
 * which is most lines, including ones with non-integral decimals such as clocks (`7862.087475`,
 * `137.22029900000052`), which would otherwise send every message of a node that stamps its
 * messages down the slow path.
 *
 * A decimal whose integer part has d < 15 digits is non-integral, and stays so as a double, when
 * its first 15 − d fraction digits are neither all 0 nor all 9: it is then at least 10^(d−15)
 * from an integer, more than the half-ulp (under 0.23 · 10^(d−15)) rounding can move it. A shorter
 * fraction has at most 15 significant digits in all, which a double keeps exactly, so it is
 * integral only when all zeros.
 */
export function mayHoldSpecialNumber(line: string): boolean {
  _SUSPECT.lastIndex = 0;
  for (let m = _SUSPECT.exec(line); m !== null; m = _SUSPECT.exec(line)) {
    const [, whole, fraction, exponent] = m;
    if (whole === undefined || fraction === undefined || exponent !== undefined) return true;
    const digits = Math.max(1, whole.replace(/^0+/, "").length);
    if (digits >= 15) return true;
    const head = fraction.slice(0, 15 - digits);
    if (head.length < 15 - digits ? /^0+$/.test(fraction) : /^(0+|9+)$/.test(head)) return true;
  }
  return false;
}

/**
 * Parses one line of a node's output. Integral numbers written as doubles become
 * {@linkcode JsonDouble}s, integers beyond 2^53 {@linkcode JsonLong}s; everything else is what
 * `JSON.parse` returns. Lines without such a number take `JSON.parse`'s fast path.
 *
 * @throws {SyntaxError} When the line is not JSON.
 */
export function parseNodeJson(line: string): unknown {
  if (!mayHoldSpecialNumber(line)) return JSON.parse(line);
  return _parseWithSource(line, (_key, value, context) => {
    if (typeof value !== "number" || !Number.isInteger(value)) return value;
    const source = context.source;
    if (source === undefined) return value;
    if (_DOUBLE_SYNTAX.test(source)) return new JsonDouble(value, source);
    if (!Number.isSafeInteger(value) && _INTEGER_SYNTAX.test(source)) {
      return new JsonLong(BigInt(source));
    }
    return value;
  });
}
