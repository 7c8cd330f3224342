/**
 * Maelstrom's wire format: one JSON object per line, `{ src, dest, body }`.
 *
 * Snake-case wire names (`msg_id`, `in_reply_to`) live only in these types.
 *
 * @module
 */

/** A message body: always has a `type`; requests carry `msg_id`, replies `in_reply_to`. */
export interface Body {
  /** The message type, e.g. `"echo"` or `"echo_ok"`. */
  type: string;
  /** Integer id, unique per sender, present when the sender expects a reply. */
  msg_id?: number;
  /** The `msg_id` of the request this body answers. */
  in_reply_to?: number;
  /** Any other field of the body. */
  [field: string]: unknown;
}

/** One Maelstrom message: who sent it, who receives it, and its body. */
export interface Message<B extends Body = Body> {
  /** Sender id: a node (`n0`), a client (`c3`) or a service (`lin-kv`). */
  src: string;
  /** Recipient id. */
  dest: string;
  /** The payload. */
  body: B;
}

/** The body of the `init` message Maelstrom sends each node first. */
export interface InitBody extends Body {
  /** Always `"init"`. */
  type: "init";
  /** The id of the node receiving this message. */
  node_id: string;
  /** Every node in the cluster, in the test's order (this node included). */
  node_ids: string[];
}

/** The body of an error reply. */
export interface ErrorBody extends Body {
  /** Always `"error"`. */
  type: "error";
  /** Maelstrom's error code (see `ErrorCode` in `rpc_error.ts`). */
  code: number;
  /** A human-readable explanation. */
  text?: string;
}

/**
 * Returns true when `value` is a plain JSON object: not null, not an array, and no class
 * instance (whose prototype is not `Object.prototype`).
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isOptionalInteger(value: unknown): boolean {
  return value === undefined || Number.isInteger(value);
}

/** Returns true when `value` is a well-formed body: an object with a string `type`. */
export function isBody(value: unknown): value is Body {
  return isRecord(value) && typeof value.type === "string" &&
    isOptionalInteger(value.msg_id) && isOptionalInteger(value.in_reply_to);
}

/** Returns true when `value` has string `src` and `dest` and a well-formed body. */
export function isMessage(value: unknown): value is Message {
  return isRecord(value) && typeof value.src === "string" && typeof value.dest === "string" &&
    isBody(value.body);
}

/** Returns true when `body` is an `init` body with a node id and a list of node ids. */
export function isInitBody(body: Body): body is InitBody {
  return body.type === "init" && typeof body.node_id === "string" &&
    Array.isArray(body.node_ids) && body.node_ids.every((id) => typeof id === "string");
}

/** Returns true when `body` is an error reply with a numeric code. */
export function isErrorBody(body: Body): body is ErrorBody {
  return body.type === "error" && typeof body.code === "number";
}

const _SIXTEEN_DIGITS = /\d{16}/;

/** A JSON.parse reviver that throws on an integer `JSON.parse` could not keep exact. */
function _refuseUnsafe(_key: string, value: unknown): unknown {
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new RangeError(`An integer beyond 2^53 (near ${value}) would not stay exact`);
  }
  return value;
}

/**
 * Parses one line of newline-delimited JSON into a message.
 *
 * @param line The line, without its trailing newline.
 * @returns The message.
 * @throws {SyntaxError} When the line is not JSON.
 * @throws {TypeError} When the JSON is not a `{ src, dest, body: { type } }` object.
 * @throws {RangeError} When it holds an integer beyond 2^53, which would not stay exact.
 */
export function parseMessage(line: string): Message {
  const value: unknown = _SIXTEEN_DIGITS.test(line)
    ? JSON.parse(line, _refuseUnsafe)
    : JSON.parse(line);
  if (!isMessage(value)) {
    throw new TypeError("Line is not a message with string src, dest and body.type");
  }
  return value;
}
