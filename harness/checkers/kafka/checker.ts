/**
 * The kafka checker: the anomaly classes of Jepsen's kafka checker (which Maelstrom uses), over
 * sparse per-key logs so that huge or sparse offsets are analysed in linear-ish time.
 *
 * Differences from Jepsen, on purpose: indices come from the offsets each poll or send actually
 * reported (not from a value lookup that picks one of several offsets of a duplicated value);
 * `G1c-realtime` is found directly (a poll returned a message whose send was invoked after the
 * poll completed) instead of through Elle; `unseen.messages` lists at most 32 values per key.
 *
 * @module
 */

import type { CheckResult } from "../../workloads/contract.ts";
import type { Op } from "../../history.ts";
import { ErrorSink, indexKafka, type KafkaIndex, mustHaveCommitted } from "./index.ts";
import { brief, valueKey } from "./log.ts";
import { orderCases } from "./order.ts";

/** Error types that do not make a run invalid (Maelstrom's allowed set). */
export const KAFKA_ALLOWED_TYPES: ReadonlySet<string> = new Set([
  "int-send-skip",
  "G0",
  "G0-process",
  "G0-realtime",
  "PL-1-cycle-exists",
  "strong-PL-1-cycle-exists",
]);

function _logChecks(ix: KafkaIndex, sink: ErrorSink): void {
  for (const [key, log] of ix.logs) {
    log.offsets.forEach((offset, index) => {
      const values = log.valuesAt(index);
      if (values.length > 1) sink.add("inconsistent-offsets", { key, offset, index, values });
    });
    for (const [vkey, offsets] of log.offsetsOfValue) {
      if (offsets.length < 2) continue;
      const value = log.valuesAt(log.first.get(vkey) as number).find((v) => valueKey(v) === vkey);
      sink.add("duplicate", { key, value, count: offsets.length, offsets });
    }
  }
}

function _lostWrites(ix: KafkaIndex, sink: ErrorSink): void {
  for (const [key, readers] of ix.readerOf) {
    const log = ix.logs.get(key);
    if (log === undefined) continue;
    // The highest first-index of any ok-polled value: everything last seen up to it must be read.
    let bound = -1;
    for (const vkey of readers.keys()) bound = Math.max(bound, log.first.get(vkey) ?? -1);
    if (bound < 0) continue;
    const maxRead = log.valuesAt(bound).map((v) => readers.get(valueKey(v))).find((op) => op);
    for (let i = 0; i <= bound; i++) {
      for (const value of log.valuesAt(i)) {
        const vkey = valueKey(value);
        if (readers.has(vkey) || (log.last.get(vkey) ?? -1) > bound) continue;
        const writer = ix.writerOf.get(key)?.get(vkey);
        if (writer === undefined || !mustHaveCommitted(writer, ix.readerOf)) continue;
        sink.add("lost-write", {
          key,
          value,
          index: log.first.get(vkey),
          "max-read-index": bound,
          writer: brief(writer.op),
          "max-read": maxRead === undefined ? null : brief(maxRead),
        });
      }
    }
  }
}

function _unseen(ix: KafkaIndex, sink: ErrorSink): Record<string, unknown> | undefined {
  const counts: Record<string, number> = {};
  const messages: Record<string, unknown[]> = {};
  for (const [key, writers] of ix.writerOf) {
    const readers = ix.readerOf.get(key);
    for (const [vkey, send] of writers) {
      if (send.op.type !== "ok" || readers?.has(vkey)) continue;
      counts[key] = (counts[key] ?? 0) + 1;
      const list = messages[key] ??= [];
      if (list.length < 32) list.push(send.value);
      sink.add("unseen", { key, value: send.value, offset: send.offset, writer: brief(send.op) });
    }
  }
  return Object.keys(counts).length === 0 ? undefined : { unseen: counts, messages };
}

function _readChecks(ix: KafkaIndex, sink: ErrorSink): void {
  for (const [key, readers] of ix.readerOf) {
    for (const [vkey, reader] of readers) {
      const writer = ix.writerOf.get(key)?.get(vkey);
      if (writer === undefined) continue;
      if (writer.op.type === "fail") {
        sink.add("G1a", {
          key,
          value: writer.value,
          writer: brief(writer.op),
          reader: brief(reader),
        });
      }
      const sentAt = ix.invokedAt.get(writer.op.index) ?? 0;
      if (sentAt > reader.time) {
        sink.add("G1c-realtime", {
          key,
          value: writer.value,
          writer: brief(writer.op),
          reader: brief(reader),
          "send-invoked": sentAt,
          "poll-completed": reader.time,
        });
      }
    }
  }
}

/**
 * Checks a kafka history. Output: `valid`, `error-types`, `bad-error-types` and, per error type,
 * `{count, errs}` with the first few examples (`unseen` adds `unseen: {k: n}` and `messages`).
 */
export function checkKafka(history: readonly Op[]): CheckResult {
  const ix = indexKafka(history);
  const sink = new ErrorSink();
  _logChecks(ix, sink);
  _lostWrites(ix, sink);
  const unseen = _unseen(ix, sink);
  _readChecks(ix, sink);
  orderCases(ix, sink);
  const errorTypes = sink.types();
  const bad = errorTypes.filter((t) => !KAFKA_ALLOWED_TYPES.has(t));
  const result: CheckResult = {
    valid: bad.length === 0,
    "error-types": errorTypes,
    "bad-error-types": bad,
  };
  for (const type of errorTypes) {
    result[type] = type === "unseen" ? { ...sink.get(type), ...unseen } : sink.get(type);
  }
  return result;
}
