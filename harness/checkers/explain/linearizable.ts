/**
 * Explanation of the lin-kv checker: per key that is not linearizable, the op no legal order
 * could place, what the register could hold just before it, and the ops concurrent with it.
 *
 * @module
 */

import type { Op } from "../../history.ts";
import { isRecord } from "../../../lib/message.ts";
import type { CheckResult } from "../../workloads/contract.ts";
import { at, capped, type Finding, opName, quote } from "./finding.ts";

function _what(op: Op): string {
  const [, value] = Array.isArray(op.value) ? op.value : [];
  if (op.f === "read") return op.type === "ok" ? `read ${quote(value)}` : "read";
  if (op.f === "write") return `write ${quote(value)}`;
  const [from, to] = Array.isArray(value) ? value : [];
  return `cas ${quote(from)} → ${quote(to)}`;
}

/** Lin-kv: one sentence per failing key (the first few), around its first impossible op. */
export function explainLinearizable(result: CheckResult, history: readonly Op[]): Finding[] {
  const failures = Array.isArray(result.failures) ? result.failures : [];
  const results = isRecord(result.results) ? result.results : {};
  const out: Finding[] = [];
  for (const key of failures) {
    const entry = results[JSON.stringify(key)] ?? results[String(key)];
    const example = isRecord(entry) && isRecord(entry.counterexample)
      ? entry.counterexample
      : undefined;
    const op = example?.op as Op | undefined;
    if (op === undefined) {
      out.push({ text: `Key ${quote(key)} is not linearizable.` });
      continue;
    }
    const concurrent = Array.isArray(example?.concurrent) ? example.concurrent as Op[] : [];
    const values = Array.isArray(example?.values) ? example.values : [];
    out.push({
      text: `Key ${quote(key)} is not linearizable: ${opName(history, op)} did ${
        _what(op)
      }, but every legal order of the ops before it left the register at ${
        values.length === 0 ? "nothing" : values.map(quote).join(" or ")
      }${
        concurrent.length === 0
          ? ""
          : `, even counting the ${concurrent.length} concurrent op(s) (${
            concurrent.slice(0, 4).map((c) => `op ${c.index} ${_what(c)}`).join(", ")
          })`
      }.`,
      ...at(history, op),
    });
  }
  return capped(out, failures.length, "more keys not linearizable");
}
