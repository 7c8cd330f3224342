/**
 * The kafka checker's ordering checks: skips and non-monotonic steps, within one poll and between
 * one process's successive polls, and non-monotonic sends. Positions are dense indices into the
 * key's observed log, so a gap in offsets that holds no known message is not a skip.
 *
 * @module
 */

import type { Op } from "../../history.ts";
import type { ErrorSink, KafkaIndex } from "./index.ts";
import { brief, pollsOf, sendsOf, valueKey } from "./log.ts";

/** The last position a process reached in a key, and the op that reached it. */
interface _Last {
  op: Op;
  offset: number;
  value: unknown;
}

function _index(ix: KafkaIndex, key: string, offset: number): number | undefined {
  return ix.logs.get(key)?.indexOfOffset.get(offset);
}

/** The dense index delta from (key, a) to (key, b), or 1 when either position is unknown. */
function _delta(ix: KafkaIndex, key: string, a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined) return 1;
  const i = _index(ix, key, a);
  const j = _index(ix, key, b);
  return i === undefined || j === undefined ? 1 : j - i;
}

function _skipped(ix: KafkaIndex, key: string, a: number, b: number): [number, unknown][] {
  const log = ix.logs.get(key);
  const i = log?.indexOfOffset.get(a);
  const j = log?.indexOfOffset.get(b);
  return log === undefined || i === undefined || j === undefined ? [] : log.between(i, j);
}

function _intPoll(ix: KafkaIndex, sink: ErrorSink, op: Op): void {
  for (const [key, pairs] of pollsOf(op)) {
    for (let x = 1; x < pairs.length; x++) {
      const [o1, v1] = pairs[x - 1] as [number, unknown];
      const [o2, v2] = pairs[x] as [number, unknown];
      const delta = _delta(ix, key, o1, o2);
      const base = { key, values: [v1, v2], offsets: [o1, o2], delta };
      if (delta > 1) {
        sink.add("int-poll-skip", { ...base, skipped: _skipped(ix, key, o1, o2), op: brief(op) });
      } else if (delta < 1) {
        sink.add("int-nonmonotonic-poll", { ...base, op: brief(op) });
      }
    }
  }
}

function _keepAssigned<V>(map: Map<string, V>, op: Op): void {
  if (op.type !== "ok" && op.type !== "info") return;
  const keep = new Set(Array.isArray(op.value) ? op.value.map(String) : []);
  for (const key of [...map.keys()]) if (!keep.has(key)) map.delete(key);
}

/** Adds int-poll-skip, int-nonmonotonic-poll, poll-skip, nonmonotonic-poll, nonmonotonic-send. */
export function orderCases(ix: KafkaIndex, sink: ErrorSink): void {
  const lastPolls = new Map<number | "nemesis", Map<string, _Last | undefined>>();
  const lastSends = new Map<number | "nemesis", Map<string, _Last>>();
  const stateOf = <V>(all: Map<number | "nemesis", Map<string, V>>, p: number | "nemesis") => {
    let state = all.get(p);
    if (state === undefined) all.set(p, state = new Map());
    return state;
  };
  for (const op of ix.history) {
    if (op.type === "invoke") continue;
    if (op.f === "assign") {
      _keepAssigned(stateOf(lastPolls, op.process), op);
      _keepAssigned(stateOf(lastSends, op.process), op);
    } else if (op.f === "poll" && op.type === "ok") {
      _intPoll(ix, sink, op);
      const state = stateOf(lastPolls, op.process);
      for (const [key, pairs] of pollsOf(op)) {
        const prev = state.get(key);
        const first = pairs[0];
        if (prev !== undefined && first !== undefined) {
          const delta = _delta(ix, key, prev.offset, first[0]);
          const base = {
            key,
            values: [prev.value, first[1]],
            offsets: [prev.offset, first[0]],
            delta,
          };
          if (delta > 1) {
            const skipped = _skipped(ix, key, prev.offset, first[0]);
            sink.add("poll-skip", { ...base, skipped, ops: [brief(prev.op), brief(op)] });
          } else if (delta < 1) {
            sink.add("nonmonotonic-poll", { ...base, ops: [brief(prev.op), brief(op)] });
          }
        }
        const last = pairs[pairs.length - 1];
        // An empty list for a key forgets the position, as Jepsen's nil last read does.
        state.set(key, last === undefined ? undefined : { op, offset: last[0], value: last[1] });
      }
    } else if (op.f === "send" && (op.type === "ok" || op.type === "info")) {
      const state = stateOf(lastSends, op.process);
      for (const send of sendsOf(op)) {
        const offset = send.offset ?? _offsetOfValue(ix, send.key, send.value);
        const prev = state.get(send.key);
        if (prev !== undefined && offset !== undefined) {
          const delta = _delta(ix, send.key, prev.offset, offset);
          if (delta < 1) {
            sink.add("nonmonotonic-send", {
              key: send.key,
              values: [prev.value, send.value],
              offsets: [prev.offset, offset],
              delta,
              ops: [brief(prev.op), brief(op)],
            });
          }
        }
        if (offset !== undefined) state.set(send.key, { op, offset, value: send.value });
      }
    }
  }
}

/** The first offset an info send's message was seen at, if a poll saw it. */
function _offsetOfValue(ix: KafkaIndex, key: string, value: unknown): number | undefined {
  const log = ix.logs.get(key);
  const i = log?.first.get(valueKey(value));
  return i === undefined ? undefined : log?.offsets[i];
}
