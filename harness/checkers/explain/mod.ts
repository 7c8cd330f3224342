/**
 * What is wrong with a run, one sentence per anomaly: each checker's result explained by its own
 * function ({@linkcode explainEcho}, {@linkcode explainSetFull}, {@linkcode explainKafka}, …),
 * then the generic checkers (availability, stats) and any harness error. The report puts these
 * on its first screen.
 *
 * @module
 */

import type { Op } from "../../history.ts";
import { isRecord } from "../../../lib/message.ts";
import type { CheckResult } from "../../workloads/contract.ts";
import type { Finding } from "./finding.ts";
import { explainCounter, explainEcho, explainSetFull, explainUniqueIds } from "./simple.ts";
import { explainKafka } from "./kafka.ts";
import { explainLinearizable } from "./linearizable.ts";
import { explainTxn } from "./txn.ts";

export type { Finding } from "./finding.ts";
export { explainCounter, explainEcho, explainSetFull, explainUniqueIds } from "./simple.ts";
export { explainKafka } from "./kafka.ts";
export { explainLinearizable } from "./linearizable.ts";
export { explainTxn } from "./txn.ts";

/** Each workload's explanation of its checker's result. */
export const EXPLAINERS: Record<string, (r: CheckResult, h: readonly Op[]) => Finding[]> = {
  "echo": explainEcho,
  "unique-ids": explainUniqueIds,
  "broadcast": (r, h) => explainSetFull(r, h, "broadcast"),
  "g-set": (r, h) => explainSetFull(r, h, "add"),
  "g-counter": explainCounter,
  "pn-counter": explainCounter,
  "kafka": explainKafka,
  "lin-kv": explainLinearizable,
  "txn-rw-register": explainTxn,
  "txn-list-append": explainTxn,
};

function _percent(x: unknown): string {
  return typeof x === "number" ? `${(x * 100).toFixed(2)} %` : "?";
}

/**
 * The findings of a run that is not valid, from its `results.json` object and history; empty for
 * a valid run. A checker that found nothing it can name still gets a sentence from its `error`.
 */
export function explainRun(results: Record<string, unknown>, history: readonly Op[]): Finding[] {
  if (results.valid === true) return [];
  const out: Finding[] = [];
  for (const key of ["harness-error", "error"]) {
    if (typeof results[key] === "string") out.push({ text: String(results[key]) });
  }
  const options = isRecord(results.options) ? results.options : {};
  const workload = isRecord(results.workload) ? results.workload : undefined;
  if (workload !== undefined && workload.valid !== true) {
    const explain = EXPLAINERS[String(options.workload)];
    const found = explain === undefined
      ? []
      : explain({ ...workload, valid: workload.valid === false ? false : "unknown" }, history);
    const warnings = Array.isArray(workload.warnings) ? workload.warnings : [];
    if (found.length === 0 && results.strict === true && warnings.length > 0) {
      out.push(
        ...warnings.slice(0, 3).map((w) => ({ text: `Fatal under --strict: ${String(w)}` })),
      );
    } else if (found.length === 0) {
      out.push({
        text: `The ${String(options.workload ?? "workload")} checker says ${
          String(workload.valid)
        }${typeof workload.error === "string" ? `: ${workload.error}` : ""}.`,
      });
    }
    out.push(...found);
  }
  const availability = isRecord(results.availability) ? results.availability : {};
  if (availability.valid === false) {
    out.push({
      text: `Only ${_percent(availability["ok-fraction"])} of operations completed ok, below ` +
        `the required availability (${String(options.availability)}).`,
    });
  }
  const stats = isRecord(results.stats) ? results.stats : {};
  const byF = isRecord(stats["by-f"]) ? stats["by-f"] : {};
  for (const [f, counts] of Object.entries(byF)) {
    if (!isRecord(counts) || counts.valid !== false) continue;
    out.push({
      text: `No ${f} completed ok: ${counts["fail-count"]} failed and ${
        counts["info-count"]
      } timed out or crashed, of ${counts.count}.`,
    });
  }
  const net = isRecord(results.net) ? results.net : {};
  if (net.valid === false) out.push({ text: "The network checker found the run not valid." });
  return out;
}
