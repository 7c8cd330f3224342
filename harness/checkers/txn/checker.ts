/**
 * The txn-rw-register checker. By default its verdict is Maelstrom v0.2.4's: Elle 0.2.2's
 * rw-register check under `--consistency-models` (default strict-serializable), seen through
 * Maelstrom's wrapper, which calls a history valid only when Elle reports nothing (a cycle-search
 * timeout aside).
 *
 * Pipeline: Elle's dependency graph (`txn_deps.ts`), Elle's direct checks (`txn_direct.ts`),
 * named cycles and cycle existence (`txn_cycles.ts`); then checks of ours that Elle does not make
 * (`txn_extra.ts`, `txn_dirty.ts`), listed under `warnings` and fatal only with `strict`.
 *
 * Verdict: false if an anomaly the models prohibit is found (Elle's lattice, `txn_models.ts`) or
 * the transaction graph is empty (Elle says unknown, Maelstrom's wrapper invalid); else unknown
 * if Elle would throw (a value read externally that two ok transactions wrote last); else true.
 * With `strict`, any of our own findings the models cover makes it false first.
 *
 * Differences from Maelstrom, on purpose, none changing the verdict of a run both check:
 * `--consistency-models` is split on commas (Maelstrom's regex wants spaces around them) and an
 * unknown model is rejected up front (Elle would throw: unknown); `anomaly-types` lists every
 * type found, prohibited or not, and our own; a cycle of ww edges is named G0 where Elle's
 * explainer, preferring wr, calls it G1c and adds PL-1-cycle-exists; every named search runs in
 * every component (Elle skips types implied by one found there); searches give up after a number
 * of attempts, not a time.
 *
 * @module
 */

import type { CheckResult } from "../../workloads/contract.ts";
import type { Op } from "../../history.ts";
import { cycleExistence, findCycles } from "./cycles.ts";
import { inferAppendDeps } from "./append.ts";
import { inferDeps } from "./deps.ts";
import { directAnomalies } from "./direct.ts";
import { dirtyWrites } from "./dirty.ts";
import { EXTRA_CHECKS, fracturedReads, valueAnomalies } from "./extra.ts";
import { Rel } from "./graph.ts";
import {
  ALL_MODELS,
  boundary,
  impossibleModels,
  modelImplies,
  prohibitedAnomalies,
} from "./models.ts";

/**
 * Splits and validates `--consistency-models` values (each may hold a comma list); any model
 * Elle knows is accepted.
 *
 * @throws {RangeError} When a model is unknown to Elle.
 */
export function parseModels(models: readonly string[]): string[] {
  const out = models.flatMap((m) => m.split(",")).map((m) => m.trim()).filter((m) => m !== "");
  for (const model of out) {
    if (!ALL_MODELS.has(model)) {
      throw new RangeError(
        `--consistency-models: unknown model ${JSON.stringify(model)}; known: ${
          [...ALL_MODELS].sort().join(", ")
        }`,
      );
    }
  }
  return out.length === 0 ? ["strict-serializable"] : out;
}

/** Options of {@linkcode checkTxn}. */
export interface CheckTxnOptions {
  /** Make our checks beyond Elle's fatal (`--strict`). */
  strict?: boolean;
  /**
   * The data model: `rw-register` (txn-rw-register, the default) or `list-append`
   * (txn-list-append: `append.ts` infers the graph; the checks of ours beyond Elle's are
   * rw-register's only).
   */
  kind?: "rw-register" | "list-append";
}

/** How many examples each anomaly type keeps. */
const EXAMPLES = 8;

const CYCLES = ["G0", "G1c", "G-single-item", "G-single", "G-nonadjacent-item", "G-nonadjacent"];

/** The order edges Elle adds for these prohibited anomalies: realtime, else process, else none. */
function _orderEdges(prohibited: ReadonlySet<string>): number {
  const any = (suffix: string) =>
    [...CYCLES, "G2-item", "G2"].some((c) => prohibited.has(`${c}-${suffix}`));
  return any("realtime") ? Rel.realtime : any("process") ? Rel.process : 0;
}

/**
 * Checks a txn-rw-register (or, with `kind: "list-append"`, a txn-list-append) history against
 * `models` (already split; default
 * strict-serializable). Output: `valid`, `models`, `anomaly-types` (every type found, Elle's and
 * ours), `anomalies` (`{type: [examples]}`), `counts`, `not` and `also-not` (Elle's boundary of the
 * models Elle's anomalies rule out), `warnings` (one sentence per kind of finding Elle does not
 * make), `error` (when Elle would throw).
 */
export function checkTxn(
  history: readonly Op[],
  models: readonly string[],
  options: CheckTxnOptions = {},
): CheckResult {
  const chosen = parseModels(models);
  const prohibited = prohibitedAnomalies(chosen);
  const extras = _orderEdges(prohibited);
  const anomalies: Record<string, unknown[]> = {};
  const counts: Record<string, number> = {};
  const report = (type: string, example: Record<string, unknown>) => {
    counts[type] = (counts[type] ?? 0) + 1;
    const list = anomalies[type] ??= [];
    if (list.length < EXAMPLES) list.push(example);
  };
  const registers = options.kind !== "list-append";
  const deps = registers
    ? inferDeps(history, extras, report)
    : inferAppendDeps(history, extras, report);
  if (registers) directAnomalies(deps.txns, report);
  const incomplete = findCycles(deps, extras, report);
  cycleExistence(deps, report);
  if (deps.empty) report("empty-transaction-graph", { "txn-count": deps.txns.length });
  let dirtyIncomplete = false;
  if (registers) {
    valueAnomalies(deps.txns, report);
    fracturedReads(deps, report);
    dirtyIncomplete = dirtyWrites(deps.txns, deps.graph, report);
  }
  _dropExplainedExistence(anomalies, counts);

  const types = Object.keys(anomalies).sort();
  const elle = types.filter((t) => !EXTRA_CHECKS.has(t));
  const ours = types.filter((t) => EXTRA_CHECKS.has(t));
  const strict = options.strict === true;
  const fatal = (type: string) => {
    const from = EXTRA_CHECKS.get(type)?.from;
    return from === undefined || chosen.some((m) => modelImplies(m, from));
  };
  const failsElle = elle.some((t) => prohibited.has(t) || t === "empty-transaction-graph");
  const failsOurs = strict && ours.some(fatal);
  const error = _ambiguity(deps.ambiguous);
  const { not, alsoNot } = boundary(elle);
  const result: CheckResult = {
    valid: failsOurs ? false : error !== undefined ? "unknown" : !failsElle,
    models: chosen,
    "anomaly-types": types,
    anomalies,
    counts,
    not,
    "also-not": alsoNot,
    "txn-count": deps.txns.length,
  };
  if (ours.length > 0) {
    result.warnings = ours.map((t) =>
      _warning(t, counts[t] ?? 0, anomalies[t]?.[0], strict ? fatal(t) : undefined)
    );
  }
  if (error !== undefined) result.error = error;
  if (incomplete || dirtyIncomplete) result["cycle-search-incomplete"] = true;
  return result;
}

/** Drops `<model>-cycle-exists` findings whose model another anomaly found already rules out. */
function _dropExplainedExistence(
  anomalies: Record<string, unknown[]>,
  counts: Record<string, number>,
): void {
  const suffix = "-cycle-exists";
  const named = Object.keys(anomalies).filter((t) => !t.endsWith(suffix) && !EXTRA_CHECKS.has(t));
  const ruledOut = impossibleModels(named);
  for (const type of Object.keys(anomalies)) {
    if (type.endsWith(suffix) && ruledOut.has(type.slice(0, -suffix.length))) {
      delete anomalies[type];
      delete counts[type];
    }
  }
}

/** The error Elle's wr inference would throw on a value with two external writers, if any. */
function _ambiguity(ambiguous: ReturnType<typeof inferDeps>["ambiguous"]): string | undefined {
  const first = ambiguous[0];
  if (first === undefined) return undefined;
  const ops = first.writers.map((w) => w.op.index).join(", ");
  return `Elle would throw (Maelstrom's verdict is then unknown): key ${
    JSON.stringify(first.key)
  } had value ${JSON.stringify(first.value)} written by more than one op (${ops})`;
}

/** One sentence for a kind of finding Elle does not make. */
function _warning(type: string, count: number, example: unknown, fatal?: boolean): string {
  const check = EXTRA_CHECKS.get(type);
  const noun = check?.noun[count === 1 ? 0 : 1] ?? type;
  const scope = check?.from === undefined ? "" : ` under ${check.from} and stronger models`;
  const tail = fatal === undefined
    ? `--strict makes it fatal${scope}`
    : fatal
    ? "fatal here (--strict)"
    : "the chosen models allow it even with --strict";
  return `${type}: ${count} ${noun}${_example(example)}; Maelstrom does not check this, ${tail}`;
}

function _example(example: unknown): string {
  if (typeof example !== "object" || example === null) return "";
  const ex = example as Record<string, unknown>;
  const index = (brief: unknown) => (brief as { index?: unknown } | undefined)?.index;
  if (Array.isArray(ex.mop)) {
    const [, k, v] = ex.mop as unknown[];
    return ` (e.g. op ${index(ex.op)} read key ${JSON.stringify(k)} = ${JSON.stringify(v)})`;
  }
  if (Array.isArray(ex.cycle)) return ` (e.g. ops ${ex.cycle.slice(1).map(index).join(", ")})`;
  if (Array.isArray(ex.txns)) {
    return ` (e.g. key ${JSON.stringify(ex.key)} = ${JSON.stringify(ex.value)} by ops ${
      ex.txns.map(index).join(" and ")
    })`;
  }
  if (ex["missed-key"] !== undefined) {
    return ` (e.g. op ${index(ex.op)} read key ${JSON.stringify(ex["read-key"])} from op ${
      index(ex.writer)
    } but missed its write of key ${JSON.stringify(ex["missed-key"])})`;
  }
  return "";
}
