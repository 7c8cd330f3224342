/**
 * The index every kafka check reads: per-key logs built from committed sends and all polls, who
 * wrote and who first read each value, and an error sink that keeps counts and a few examples.
 *
 * @module
 */

import type { Op } from "../../history.ts";
import { KeyLog, pollsOf, type SendRec, sendsOf, valueKey } from "./log.ts";

/** How many examples each error type keeps. */
const EXAMPLES = 8;

/** Collects errors per type, keeping a count and the first few examples. */
export class ErrorSink {
  readonly #types = new Map<string, { count: number; errs: unknown[] }>();

  /** Records one error of `type`. */
  add(type: string, err: unknown): void {
    let entry = this.#types.get(type);
    if (entry === undefined) this.#types.set(type, entry = { count: 0, errs: [] });
    entry.count++;
    if (entry.errs.length < EXAMPLES) entry.errs.push(err);
  }

  /** The entry of `type`, if any error was recorded. */
  get(type: string): { count: number; errs: unknown[] } | undefined {
    return this.#types.get(type);
  }

  /** The types seen, sorted. */
  types(): string[] {
    return [...this.#types.keys()].sort();
  }
}

/** Everything the individual checks share. */
export interface KafkaIndex {
  history: readonly Op[];
  logs: Map<string, KeyLog>;
  /** key → value key → its send. */
  writerOf: Map<string, Map<string, SendRec>>;
  /** key → value key → the first ok poll that returned it. */
  readerOf: Map<string, Map<string, Op>>;
  /** When each completion's invocation happened, by completion index. */
  invokedAt: Map<number, number>;
}

function _nested<V>(outer: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let inner = outer.get(k);
  if (inner === undefined) outer.set(k, inner = new Map());
  return inner;
}

/** Builds the index: writers, readers, and per-key logs from committed sends and all polls. */
export function indexKafka(history: readonly Op[]): KafkaIndex {
  const writerOf = new Map<string, Map<string, SendRec>>();
  const readerOf = new Map<string, Map<string, Op>>();
  const invokedAt = new Map<number, number>();
  const lastInvoke = new Map<number | "nemesis", number>();
  const sends: SendRec[] = [];
  for (const op of history) {
    if (op.type === "invoke") {
      lastInvoke.set(op.process, op.time);
      continue;
    }
    invokedAt.set(op.index, lastInvoke.get(op.process) ?? op.time);
    for (const send of sendsOf(op)) {
      sends.push(send);
      const writers = _nested(writerOf, send.key);
      if (!writers.has(send.vkey)) writers.set(send.vkey, send);
    }
    if (op.type !== "ok") continue;
    for (const [k, pairs] of pollsOf(op)) {
      const readers = _nested(readerOf, k);
      for (const [, value] of pairs) {
        const vkey = valueKey(value);
        if (!readers.has(vkey)) readers.set(vkey, op);
      }
    }
  }
  const logs = new Map<string, KeyLog>();
  const logOf = (k: string): KeyLog => {
    let log = logs.get(k);
    if (log === undefined) logs.set(k, log = new KeyLog());
    return log;
  };
  // Sends join the version order only when they must have committed; polls always do.
  for (const send of sends) {
    if (send.offset !== undefined && mustHaveCommitted(send, readerOf)) {
      logOf(send.key).add(send.offset, send.value);
    }
  }
  for (const op of history) {
    if (op.type === "invoke") continue;
    for (const [k, pairs] of pollsOf(op)) {
      const log = logOf(k);
      for (const [offset, value] of pairs) if (typeof offset === "number") log.add(offset, value);
    }
  }
  for (const log of logs.values()) log.seal();
  return { history, logs, writerOf, readerOf, invokedAt };
}

/** A send must have committed if it was ok, or info and some ok poll returned its message. */
export function mustHaveCommitted(send: SendRec, readerOf: Map<string, Map<string, Op>>): boolean {
  if (send.op.type === "ok") return true;
  return send.op.type === "info" && (readerOf.get(send.key)?.has(send.vkey) ?? false);
}
