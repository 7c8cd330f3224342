/**
 * Explanations of the small checkers: echo, unique-ids, the counters, and set-full (broadcast,
 * g-set). Each takes the checker's result and the history, and names the ops behind it.
 *
 * @module
 */

import { type Op, pairOps } from "../../history.ts";
import { jsonEqual, jsonKey } from "../../json_value.ts";
import type { CheckResult } from "../../workloads/contract.ts";
import { at, capped, type Finding, opName, quote } from "./finding.ts";

/** Echo: which op's reply did not echo its payload, and what the node sent instead. */
export function explainEcho(result: CheckResult, history: readonly Op[]): Finding[] {
  const errors = Array.isArray(result.errors) ? result.errors : [];
  const pairs = pairOps(history).filter((p) => p.invoke.f === "echo");
  const used = new Set<number>();
  const out = errors.slice(0, 5).map((error): Finding => {
    const [, sent, how, received] = Array.isArray(error) ? error : [];
    const pair = pairs.find((p) => !used.has(p.invoke.index) && jsonEqual(p.invoke.value, sent));
    if (pair !== undefined) used.add(pair.invoke.index);
    const op = pair?.complete ?? pair?.invoke;
    const node = op?.node ?? "the node";
    const what = how === "But received"
      ? `${node} replied ${quote(received)}`
      : `${String(how).replace(/^But the/, "the")}${
        received === null ? "" : ` (${quote(received)})`
      }`;
    return {
      text: `${op === undefined ? "An op" : opName(history, op)} sent echo ${
        quote(sent)
      }, and ${what} instead of echoing it.`,
      ...(op === undefined ? {} : at(history, op)),
    };
  });
  return capped(out, errors.length, "more echo errors");
}

/** Unique-ids: each id handed out more than once, with the ops that got it. */
export function explainUniqueIds(result: CheckResult, history: readonly Op[]): Finding[] {
  const duplicated = result.duplicated;
  if (typeof duplicated !== "object" || duplicated === null) return [];
  const out: Finding[] = [];
  for (const [id, count] of Object.entries(duplicated)) {
    const ops = history.filter((op) =>
      op.f === "generate" && op.type === "ok" && jsonKey(op.value) === id
    );
    out.push({
      text: `Id ${id} was handed out ${count} times: ${
        ops.slice(0, 4).map((op) => `${opName(history, op)}`).join(", ")
      }.`,
      ...at(history, ...ops),
    });
  }
  const total = typeof result["duplicated-count"] === "number" ? result["duplicated-count"] : 0;
  return capped(out, total, "more duplicated ids");
}

function _interval([lo, hi]: [number, number]): string {
  return lo === hi ? String(lo) : `${lo}..${hi}`;
}

/** A counter: each final read outside the acceptable values, with the sum it should have been. */
export function explainCounter(result: CheckResult, history: readonly Op[]): Finding[] {
  const errors = Array.isArray(result.errors) ? result.errors as Op[] : [];
  const acceptable = Array.isArray(result.acceptable)
    ? (result.acceptable as [number, number][]).map(_interval).join(" or ")
    : "?";
  const out = errors.map((op): Finding => ({
    text: `Final read ${opName(history, op)} returned ${
      quote(op.value)
    }, but the adds allow only ${acceptable} (acknowledged adds, plus any subset of the indeterminate ones).`,
    ...at(history, op),
  }));
  return capped(out, errors.length, "more bad final reads");
}

function _has(value: unknown, element: unknown, elements: (v: unknown) => readonly unknown[]) {
  return elements(value).some((e) => jsonEqual(e, element));
}

/**
 * Set-full (broadcast, g-set): each lost element, the op that added it, the last read that held
 * it and the later read that did not; or, with nothing stable, why the verdict is unknown.
 */
export function explainSetFull(
  result: CheckResult,
  history: readonly Op[],
  addF: string,
): Finding[] {
  const elements = (value: unknown): readonly unknown[] => Array.isArray(value) ? value : [];
  const lost = Array.isArray(result.lost) ? result.lost : [];
  const reads = history.filter((op) => op.f === "read" && op.type === "ok");
  const out = lost.slice(0, 5).map((element): Finding => {
    const add = history.find((op) =>
      op.f === addF && op.type === "ok" && jsonEqual(op.value, element)
    ) ?? history.find((op) => op.f === addF && jsonEqual(op.value, element));
    const present = reads.filter((op) => _has(op.value, element, elements));
    const absent = reads.filter((op) =>
      !_has(op.value, element, elements) && op.index > (add?.index ?? -1)
    );
    const lastAbsent = absent[absent.length - 1];
    const lastPresent = present[present.length - 1];
    const added = add === undefined ? "" : `, added by ${opName(history, add)},`;
    const seen = lastPresent === undefined
      ? "no read ever returned it"
      : `${opName(history, lastPresent)} still read it`;
    const missing = lastAbsent === undefined
      ? ""
      : `; then ${opName(history, lastAbsent)} replied without it`;
    return {
      text: `Value ${quote(element)}${added} was lost: ${seen}${missing}.`,
      ...at(history, lastAbsent ?? add, lastPresent, add),
    };
  });
  if (result.valid === "unknown" && lost.length === 0) {
    out.push({
      text: `No ${addF} became stable: ${
        result["attempt-count"] === 0
          ? `no ${addF} was attempted`
          : `no read after a ${addF} returned it`
      }, so the verdict is unknown.`,
    });
  }
  const total = typeof result["lost-count"] === "number" ? result["lost-count"] : lost.length;
  return capped(out, Math.max(total, out.length), "more lost values");
}
