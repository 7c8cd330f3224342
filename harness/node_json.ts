/**
 * Parsing a node's stdout line as Maelstrom does on the JVM, where the way a number is written
 * matters: `1` is a long, while `1.0` and `1e3` are doubles. A double is never an integer to
 * Maelstrom's schemas (`s/Int` rejects it, so an `in_reply_to` of `1.0` answers nothing) and never
 * equals a long (`(= 1.0 1)` is false, so ids `1` and `1.0` differ). `JSON.parse` makes both the
 * number 1, so an integral value written with a fraction or an exponent is kept as a
 * {@linkcode JsonDouble} instead, which serialises back as a double (`1.0`).
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

/** A digit followed by a fraction or exponent: the line may hold a number written as a double. */
const _MAYBE_DOUBLE = /\d[.eE]/;
const _DOUBLE_SYNTAX = /[.eE]/;

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

/**
 * Parses one line of a node's output. Integral numbers written as doubles become
 * {@linkcode JsonDouble}s; everything else is what `JSON.parse` returns. Lines without such a
 * number take `JSON.parse`'s fast path.
 *
 * @throws {SyntaxError} When the line is not JSON.
 */
export function parseNodeJson(line: string): unknown {
  if (!_MAYBE_DOUBLE.test(line)) return JSON.parse(line);
  return _parseWithSource(line, (_key, value, context) => {
    if (
      typeof value === "number" && Number.isInteger(value) && context.source !== undefined &&
      _DOUBLE_SYNTAX.test(context.source)
    ) {
      return new JsonDouble(value, context.source);
    }
    return value;
  });
}
