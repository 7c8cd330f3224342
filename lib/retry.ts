/**
 * Retry with bounded attempts and capped, jittered exponential backoff.
 *
 * @module
 */

import { type Clock, realClock } from "./clock.ts";
import { ShutdownError } from "./pending_rpcs.ts";
import { ErrorCode, RPCError } from "./rpc_error.ts";

/** Options of {@linkcode retry}. */
export interface RetryOptions {
  /** Total tries, the first included (default 5). */
  attempts?: number;
  /** Delay before the second try, ms (default 10); doubles each retry. */
  baseMs?: number;
  /** Upper bound of any delay, ms (default 1000). */
  maxMs?: number;
  /** Fraction of each delay that is random, 0…1 (default 0.5). */
  jitter?: number;
  /** Whether an error is worth another try; default {@linkcode isRetriableError}. */
  isRetriable?: (error: unknown) => boolean;
  /** Stops retrying (and waiting) when aborted. */
  signal?: AbortSignal;
  /** Clock for the waits (pass `node.clock` to use virtual time in tests). */
  clock?: Clock;
  /** Source of randomness in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
}

/**
 * The default retry policy: timeouts (code 0) and temporarily-unavailable (11), except the
 * code 0 of a node that is shutting down (its cause is a {@linkcode ShutdownError}). Other errors
 * are definite failures or might have taken effect, so only the caller can decide.
 */
export function isRetriableError(error: unknown): boolean {
  return error instanceof RPCError && !(error.cause instanceof ShutdownError) &&
    (error.code === ErrorCode.Timeout || error.code === ErrorCode.TemporarilyUnavailable);
}

/**
 * The wait before try number `attempt + 1` (attempt counts from 1): `baseMs · 2^(attempt−1)`
 * capped at `maxMs`, with the `jitter` fraction drawn at random.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  jitter: number,
  random: () => number,
): number {
  const delay = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return delay * (1 - jitter * random());
}

/**
 * Calls `fn` until it succeeds, its error is not retriable, or the attempts run out. Each try
 * calls `fn` again, so an rpc inside it gets a fresh `msg_id`.
 *
 * @param fn The operation; receives the try number from 1.
 * @param options Attempts, backoff, policy, signal and clock.
 * @returns What `fn` resolved with.
 * @throws The last error of `fn` when it is not retriable or no attempts are left.
 * @throws {RPCError} 0 when `signal` aborts before or between tries (cause: the last error).
 * @throws {RangeError} When `attempts` is not a positive integer.
 *
 * @example
 * ```ts
 * import { KV, type Node, retry } from "../mod.ts";
 * // Reads a key from lin-kv, trying three times with 500 ms timeouts.
 * function readWithRetries(node: Node): Promise<unknown> {
 *   const kv = new KV(node, "lin-kv");
 *   return retry(
 *     () => kv.read("k", { timeoutMs: 500 }),
 *     { attempts: 3, signal: node.signal, clock: node.clock },
 *   );
 * }
 * ```
 */
export async function retry<T>(
  fn: (attempt: number) => T | Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const {
    attempts = 5,
    baseMs = 10,
    maxMs = 1000,
    jitter = 0.5,
    isRetriable = isRetriableError,
    signal,
    clock = realClock,
    random = Math.random,
  } = options;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`Attempts must be a positive integer, got ${attempts}`);
  }
  let lastError: unknown;
  for (let attempt = 1;; attempt++) {
    if (signal?.aborted) throw _aborted(signal, lastError);
    try {
      return await fn(attempt);
    } catch (error) {
      lastError = error;
      if (attempt >= attempts || !isRetriable(error)) throw error;
    }
    await _sleep(clock, backoffMs(attempt, baseMs, maxMs, jitter, random), signal, lastError);
  }
}

function _aborted(signal: AbortSignal, lastError: unknown): RPCError {
  return new RPCError(ErrorCode.Timeout, "retry aborted", {
    cause: lastError ?? signal.reason,
  });
}

function _sleep(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  lastError: unknown,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal === undefined) {
      clock.setTimeout(resolve, ms);
      return;
    }
    const onAbort = () => {
      cancel();
      reject(_aborted(signal, lastError));
    };
    const cancel = clock.setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
