/**
 * Explanations of the kafka checker's findings: one sentence per example it kept, naming the
 * sends and polls involved and the offsets the nodes replied with.
 *
 * @module
 */

import type { Op } from "../../history.ts";
import { isRecord } from "../../../lib/message.ts";
import type { CheckResult } from "../../workloads/contract.ts";
import { at, capped, type Finding, opName, quote } from "./finding.ts";

type _Err = Record<string, unknown>;

function _pair(value: unknown): [unknown, unknown] {
  return Array.isArray(value) ? [value[0], value[1]] : [undefined, undefined];
}

/** One sentence for one example of `type`. */
function _sentence(type: string, e: _Err, history: readonly Op[]): Finding {
  const key = `key ${quote(e.key)}`;
  const op = (brief: unknown) => opName(history, brief);
  const [v1, v2] = _pair(e.values);
  const [o1, o2] = _pair(e.offsets);
  const [p1, p2] = _pair(e.ops);
  switch (type) {
    case "lost-write":
      return {
        text: `On ${key}, message ${quote(e.value)} (sent by ${op(e.writer)}, acknowledged) was ` +
          `lost: polls reached past it${
            e["max-read"] === null ? "" : ` (${op(e["max-read"])})`
          } but none returned it.`,
        ...at(history, e.writer, e["max-read"]),
      };
    case "unseen":
      return {
        text: `On ${key}, message ${quote(e.value)}, acknowledged at offset ${quote(e.offset)} by ${
          op(e.writer)
        }, was never returned by any poll.`,
        ...at(history, e.writer),
      };
    case "inconsistent-offsets":
      return {
        text: `On ${key}, offset ${quote(e.offset)} was replied with different messages: ${
          quote(e.values)
        }.`,
      };
    case "duplicate":
      return {
        text: `On ${key}, message ${quote(e.value)} appears at ${quote(e.count)} offsets (${
          quote(e.offsets)
        }).`,
      };
    case "G1a":
      return {
        text: `On ${key}, ${op(e.reader)} polled message ${quote(e.value)}, whose send (${
          op(e.writer)
        }) failed (an aborted read).`,
        ...at(history, e.reader, e.writer),
      };
    case "G1c-realtime":
      return {
        text: `On ${key}, ${op(e.reader)} polled message ${quote(e.value)} before its send (${
          op(e.writer)
        }) was even invoked.`,
        ...at(history, e.reader, e.writer),
      };
    case "poll-skip":
    case "int-poll-skip":
      return {
        text: `On ${key}, ${
          type === "poll-skip" ? `${op(p1)} then ${op(p2)}` : op(e.op)
        } polled offset ${quote(o1)} then ${quote(o2)}, skipping ${
          Array.isArray(e.skipped) ? e.skipped.length : "?"
        } message(s) between them (${quote(e.skipped)}).`,
        ...at(history, p2 ?? e.op, p1),
      };
    case "nonmonotonic-poll":
    case "int-nonmonotonic-poll":
      return {
        text: `On ${key}, ${
          type === "nonmonotonic-poll" ? `${op(p1)} then ${op(p2)}` : op(e.op)
        } polled offset ${quote(o1)} (${quote(v1)}) then went back to ${quote(o2)} (${quote(v2)}).`,
        ...at(history, p2 ?? e.op, p1),
      };
    case "nonmonotonic-send":
      return {
        text: `On ${key}, ${op(p1)} was given offset ${quote(o1)} for ${quote(v1)}, then ${
          op(p2)
        } of the same process an earlier offset ${quote(o2)} for ${quote(v2)}.`,
        ...at(history, p2, p1),
      };
    default:
      return { text: `${type}: ${quote(e)}.` };
  }
}

/** Kafka: one sentence per kept example of each error type that makes the run invalid. */
export function explainKafka(result: CheckResult, history: readonly Op[]): Finding[] {
  const bad = Array.isArray(result["bad-error-types"]) ? result["bad-error-types"] : [];
  const out: Finding[] = [];
  for (const type of bad) {
    const entry = result[String(type)];
    if (!isRecord(entry)) continue;
    const errs = Array.isArray(entry.errs) ? entry.errs.filter(isRecord) : [];
    const count = typeof entry.count === "number" ? entry.count : errs.length;
    out.push(
      ...capped(
        errs.map((e) => _sentence(String(type), e, history)),
        count,
        `more ${type}`,
        3,
      ),
    );
  }
  return out;
}
