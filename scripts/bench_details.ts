/**
 * The per-challenge figures of `deno task bench` beyond the common row: final-read latency
 * (workloads with a final phase), abort rate and the consistency models checked and ruled out
 * (txn-rw-register), kills (kill nemesis), and each mode's own goal (broadcast's targets, tighter than the official
 * limits).
 *
 * @module
 */

import type { ResultRow } from "./results_table.ts";

/** Our own goal for a configuration: servers msgs/op, median and max latency (ms) at most. */
export interface Goal {
  msgsPerOp: number;
  medianMs: number;
  maxMs: number;
}

/** A bench row: the common figures plus the per-challenge ones. */
export interface BenchRow extends ResultRow {
  /** Median and max latency of the final-phase ops (ms). */
  finalMedian?: number;
  finalMax?: number;
  /** Failed client ops per client op (txn-rw-register: aborted txns). */
  abortRate?: number;
  /** The consistency models checked (they pass when the run is valid). */
  models?: string;
  /** The models the checker ruled out (`not`). */
  ruledOut?: string;
  /** How many times the kill nemesis killed a node (`--nemesis kill` runs). */
  kills?: number;
  /** How many times the pause nemesis froze a node (`--nemesis pause` runs). */
  pauses?: number;
}

function _record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? value as Record<string, unknown> : {};
}

function _num(value: unknown): number {
  return typeof value === "number" ? value : NaN;
}

function _names(value: unknown): string | undefined {
  return Array.isArray(value) ? value.map(String).join(", ") : undefined;
}

/** Median and max latency (ms) of the final-phase ops in a `history.jsonl` text (NaN if none). */
export function finalLatencies(historyJsonl: string): { p50: number; max: number } {
  const invokedAt = new Map<unknown, number>();
  const latencies: number[] = [];
  for (const line of historyJsonl.split("\n")) {
    if (line === "") continue;
    const op = _record(JSON.parse(line));
    if (op.final !== true || op.process === "nemesis") continue;
    const start = invokedAt.get(op.process);
    if (op.type === "invoke") invokedAt.set(op.process, _num(op.time));
    else if (start !== undefined) {
      latencies.push((_num(op.time) - start) / 1e6);
      invokedAt.delete(op.process);
    }
  }
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(latencies.length / 2)] ?? NaN, max: latencies.at(-1) ?? NaN };
}

/**
 * Adds the per-challenge figures of one run to `row`: final-read latency when the history has
 * final ops, the kill and pause counts under those nemeses, and for txn-rw-register the abort rate
 * (`fail-count / count`) and the models.
 */
export function addDetails(
  row: ResultRow,
  results: Record<string, unknown>,
  historyJsonl: string,
): BenchRow {
  const out: BenchRow = { ...row };
  const final = finalLatencies(historyJsonl);
  if (Number.isFinite(final.p50)) {
    out.finalMedian = final.p50;
    out.finalMax = final.max;
  }
  const { kills, pauses } = _record(results.nemesis);
  if (typeof kills === "number") out.kills = kills;
  if (typeof pauses === "number") out.pauses = pauses;
  const workload = _record(results.workload);
  const models = _names(workload.models);
  if (models !== undefined) {
    const stats = _record(results.stats);
    const count = _num(stats.count);
    if (count > 0) out.abortRate = _num(stats["fail-count"]) / count;
    out.models = models;
    out.ruledOut = _names(workload.not) ?? "";
  }
  return out;
}

/** `"≤ 12.5 / 110 / 220: yes"`, or which of the three figures missed; "" without a goal. */
export function formatGoal(row: ResultRow, goal: Goal | undefined): string {
  if (goal === undefined) return "";
  const misses = [
    [row.msgsPerOpServers, goal.msgsPerOp, "msgs/op"],
    [row.latencyMedian, goal.medianMs, "median"],
    [row.latencyMax, goal.maxMs, "max"],
  ].flatMap(([value, limit, name]) =>
    typeof value === "number" && value <= (limit as number) ? [] : [name as string]
  );
  const met = misses.length === 0 ? "yes" : `NO (${misses.join(", ")})`;
  return `≤ ${goal.msgsPerOp} / ${goal.medianMs} / ${goal.maxMs}: ${met}`;
}
