/**
 * Explanations of the transaction checkers' anomalies (txn-rw-register, txn-list-append): for a
 * cycle, each step with its edge kind (ww, wr, rw, process, realtime) and the key and values that
 * make it; for a direct anomaly, the reading op and the writer.
 *
 * @module
 */

import type { Op } from "../../history.ts";
import { isRecord } from "../../../lib/message.ts";
import type { CheckResult } from "../../workloads/contract.ts";
import { at, capped, type Finding, opName, quote } from "./finding.ts";

type _Ex = Record<string, unknown>;

const _STEP: Record<string, string> = {
  ww: "wrote it before",
  "wider-ww": "wrote it before",
  wr: "wrote what was read by",
  rw: "read it before it was overwritten by",
  process: "came before, in the same process,",
  realtime: "completed before the invocation of",
};

function _index(brief: unknown): string {
  return isRecord(brief) ? `op ${quote(brief.index)}` : "op ?";
}

/** One step of a cycle: `op 12 wrote key 3 = 5 before op 15 (ww)`. */
function _step(step: unknown, from: unknown, to: unknown): string {
  const s = isRecord(step) ? step : {};
  const type = String(s.type);
  const values = "value'" in s
    ? `${quote(s.value)} → ${quote(s["value'"])}`
    : s.value === undefined
    ? ""
    : quote(s.value);
  const on = s.key === undefined ? "" : ` (key ${quote(s.key)}${values ? `: ${values}` : ""})`;
  return `${_index(from)} ${_STEP[type] ?? type} ${_index(to)}${on} [${type}]`;
}

function _sentence(type: string, e: _Ex, history: readonly Op[]): Finding {
  const op = (brief: unknown) => opName(history, brief);
  if (Array.isArray(e.cycle) && Array.isArray(e.steps)) {
    const cycle = e.cycle;
    const steps = e.steps.map((s, i) => _step(s, cycle[i], cycle[i + 1]));
    return {
      text: `${type}: a cycle of ${cycle.length - 1} transactions, ${
        cycle.slice(0, -1).map(op).join(", ")
      }: ${steps.join("; ")}.`,
      ...at(history, ...cycle),
    };
  }
  if (type.endsWith("-cycle-exists")) {
    return {
      text: `Not ${quote(e.not)}: ${quote(e["scc-size"])} transactions depend on each other in a ` +
        `cycle (ops ${quote(e.scc)}).`,
      ...at(history, ...(Array.isArray(e.scc) ? e.scc : [])),
    };
  }
  const mop = Array.isArray(e.mop) ? e.mop : [];
  const read = mop.length > 0 ? `key ${quote(mop[1])} = ${quote(mop[2])}` : "";
  switch (type) {
    case "G1a":
      return {
        text: `G1a (aborted read): ${op(e.op)} read ${read}, written by ${
          op(e.writer)
        }, which failed.`,
        ...at(history, e.op, e.writer),
      };
    case "G1b":
      return {
        text: `G1b (intermediate read): ${op(e.op)} read ${read}, which ${
          op(e.writer)
        } overwrote within the same transaction.`,
        ...at(history, e.op, e.writer),
      };
    case "internal":
      return {
        text: `internal: ${op(e.op)} read ${read} after writing ${quote(e.expected)} itself.`,
        ...at(history, e.op),
      };
    case "lost-update":
    case "duplicate-writes": {
      const txns = Array.isArray(e.txns) ? e.txns : [];
      return {
        text: `${type}: ${txns.map(op).join(" and ")} ${
          type === "lost-update" ? "both read" : "both wrote"
        } key ${quote(e.key)} = ${quote(e.value)}${
          type === "lost-update" ? ", then both wrote it" : ""
        }.`,
        ...at(history, ...txns),
      };
    }
    case "fractured-read":
      return {
        text: `fractured-read: ${op(e.op)} read key ${quote(e["read-key"])} from ${
          op(e.writer)
        } but missed its write of key ${quote(e["missed-key"])}.`,
        ...at(history, e.op, e.writer),
      };
    case "garbage-read":
      return {
        text: `garbage-read: ${op(e.op)} read ${read}, a value no transaction wrote.`,
        ...at(history, e.op),
      };
    case "empty-transaction-graph":
      return {
        text: `empty-transaction-graph: none of the ${
          quote(e["txn-count"])
        } transactions depends on another, so there was nothing to check (Maelstrom fails this).`,
      };
    default:
      return { text: `${type}: ${quote(e)}.`, ...(e.op === undefined ? {} : at(history, e.op)) };
  }
}

/** A transaction checker: up to two sentences per anomaly type found. */
export function explainTxn(result: CheckResult, history: readonly Op[]): Finding[] {
  const anomalies = isRecord(result.anomalies) ? result.anomalies : {};
  const counts = isRecord(result.counts) ? result.counts : {};
  const out: Finding[] = [];
  for (const [type, examples] of Object.entries(anomalies)) {
    const list = Array.isArray(examples) ? examples.filter(isRecord) : [];
    const count = typeof counts[type] === "number" ? counts[type] : list.length;
    out.push(...capped(list.map((e) => _sentence(type, e, history)), count, `more ${type}`, 2));
  }
  return out;
}
