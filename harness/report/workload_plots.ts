/**
 * Plots for one workload, where a person would rather look than read: broadcast's stable-latency
 * distribution, a counter's reads against the bounds its adds allow, kafka's poll lag and offsets
 * per key; and, from
 * `anomaly_plots.ts`, a transaction anomaly's cycle and lin-kv's history around its culprit.
 *
 * @module
 */

import { type Op, pairOps } from "../history.ts";
import { setFullElements } from "../checkers/set_full.ts";
import { linKvKeyPlot, txnCyclePlot } from "./anomaly_plots.ts";
import { pollsOf, sendsOf } from "../checkers/kafka/log.ts";
import { isRecord } from "../../lib/message.ts";
import { axes, defaultFrame, escapeXml, linearScale, maxOf, minOf, svg } from "./svg.ts";

/** Histogram of the stable latencies (add invoked → on every node's reads) of set-full. */
export function stableLatencyPlot(history: readonly Op[], addF: string): string {
  const latencies = setFullElements(history, addF).flatMap((e) => e["stable-latency"] ?? []);
  if (latencies.length === 0) return "";
  const sorted = [...latencies].sort((a, b) => a - b);
  const max = Math.max(1, sorted[sorted.length - 1] ?? 1);
  const bins = 40;
  const counts = new Array<number>(bins).fill(0);
  for (const ms of latencies) counts[Math.min(bins - 1, Math.floor((ms / max) * bins))]!++;
  const frame = defaultFrame(240);
  const x = linearScale(0, max, frame.left, frame.right);
  const y = linearScale(0, maxOf(counts, 1), frame.bottom, frame.top);
  const bars = counts.map((c, i) =>
    c === 0
      ? ""
      : `<rect x="${x((i * max) / bins).toFixed(1)}" y="${y(c).toFixed(1)}" width="${
        Math.max(1, x(max / bins) - x(0) - 1).toFixed(1)
      }" height="${(frame.bottom - y(c)).toFixed(1)}" fill="#4062bb"/>`
  ).join("");
  const marks = ([["p50", 0.5], ["p99", 0.99]] as const).map(([label, q]) => {
    const v = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
    const px = x(v).toFixed(1);
    return `<line x1="${px}" x2="${px}" y1="${frame.top}" y2="${frame.bottom}" stroke="#d1495b" ` +
      `stroke-dasharray="4 3"/><text x="${px}" y="${
        frame.top + 10
      }" dx="3">${label} ${v} ms</text>`;
  }).join("");
  return svg(
    frame,
    `Stable latency of each ${addF} (invoked → seen by every later read), ${latencies.length} values`,
    axes(frame, x, y, "stable latency (ms)", addF === "add" ? "elements" : "messages") + bars +
      marks,
  );
}

/**
 * A counter's reads over time between the bounds its adds allow: the lower bound counts the
 * positive adds acknowledged so far and every negative one invoked; the upper, the reverse.
 */
export function counterPlot(history: readonly Op[], endS: number): string {
  const steps: { t: number; lo: number; hi: number }[] = [];
  const reads: { t: number; v: number; final: boolean }[] = [];
  for (const { invoke, complete } of pairOps(history)) {
    if (invoke.f === "add" && typeof invoke.value === "number" && complete?.type !== "fail") {
      const d = invoke.value;
      // An add may count from its invocation; it must count once acknowledged.
      steps.push({ t: invoke.time, lo: d < 0 ? d : 0, hi: d > 0 ? d : 0 });
      if (complete?.type === "ok") {
        steps.push({ t: complete.time, lo: d > 0 ? d : 0, hi: d < 0 ? d : 0 });
      }
    }
    if (invoke.f === "read" && complete?.type === "ok" && typeof complete.value === "number") {
      reads.push({ t: complete.time / 1e9, v: complete.value, final: complete.final === true });
    }
  }
  if (reads.length === 0) return "";
  steps.sort((a, b) => a.t - b.t);
  let lo = 0;
  let hi = 0;
  const lower: string[] = [];
  const upper: string[] = [];
  const frame = defaultFrame();
  const points = steps.map((s) => {
    lo += s.lo;
    hi += s.hi;
    return { t: s.t / 1e9, lo, hi };
  });
  const values = [...points.flatMap((p) => [p.lo, p.hi]), ...reads.map((r) => r.v), 0];
  const x = linearScale(0, Math.max(endS, 1), frame.left, frame.right);
  const y = linearScale(minOf(values), maxOf(values, 1), frame.bottom, frame.top);
  let prev = { lo: 0, hi: 0 };
  for (const p of [...points, { t: endS, lo, hi }]) {
    const px = x(p.t).toFixed(1);
    lower.push(`${px},${y(prev.lo).toFixed(1)} ${px},${y(p.lo).toFixed(1)}`);
    upper.push(`${px},${y(prev.hi).toFixed(1)} ${px},${y(p.hi).toFixed(1)}`);
    prev = p;
  }
  const seen = new Set<string>();
  const dots = reads.map((r) => {
    const cx = Math.round(x(r.t));
    const cy = Math.round(y(r.v));
    if (!r.final && seen.has(`${cx},${cy}`)) return "";
    seen.add(`${cx},${cy}`);
    return `<circle cx="${cx}" cy="${cy}" r="${r.final ? 3.5 : 1.8}" fill="${
      r.final ? "#d1495b" : "#2a9d4b"
    }"/>`;
  }).join("");
  const line = (pts: string[], colour: string) =>
    `<polyline points="${pts.join(" ")}" fill="none" stroke="${colour}" stroke-width="1.2"/>`;
  return svg(
    frame,
    "Counter reads (green; final reads red) between the lowest and highest value the adds allow",
    axes(frame, x, y, "time (s)", "value") + line(lower, "#4062bb") + line(upper, "#e09f3e") +
      dots +
      `<text x="${frame.right + 14}" y="${frame.top + 12}" fill="#4062bb">lower bound</text>` +
      `<text x="${frame.right + 14}" y="${frame.top + 28}" fill="#e09f3e">upper bound</text>`,
  );
}

function _countAbove(sorted: readonly number[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/**
 * Kafka's poll lag: for each key an ok poll returned, how many messages acknowledged before the
 * poll was invoked lie past the last offset it returned.
 */
export function pollLagPlot(history: readonly Op[], endS: number): string {
  const acked = new Map<string, number[]>();
  const lags: { t: number; lag: number }[] = [];
  for (const { invoke, complete } of pairOps(history)) {
    if (complete === undefined) continue;
    if (complete.type === "ok" && complete.f === "send") {
      for (const s of sendsOf(complete)) {
        if (s.offset === undefined) continue;
        const list = acked.get(s.key) ?? [];
        let i = list.length;
        while (i > 0 && (list[i - 1] as number) > s.offset) i--;
        list.splice(i, 0, s.offset);
        acked.set(s.key, list);
      }
    }
    if (complete.type === "ok" && complete.f === "poll") {
      for (const [key, pairs] of pollsOf(complete)) {
        const last = pairs[pairs.length - 1];
        if (last === undefined || typeof last[0] !== "number") continue;
        lags.push({ t: invoke.time / 1e9, lag: _countAbove(acked.get(key) ?? [], last[0]) });
      }
    }
  }
  if (lags.length === 0) return "";
  const frame = defaultFrame();
  const x = linearScale(0, Math.max(endS, 1), frame.left, frame.right);
  const y = linearScale(0, maxOf(lags.map((l) => l.lag), 1), frame.bottom, frame.top);
  const seen = new Set<string>();
  const dots = lags.map((l) => {
    const key = `${Math.round(x(l.t))},${Math.round(y(l.lag))}`;
    if (seen.has(key)) return "";
    seen.add(key);
    return `<circle cx="${Math.round(x(l.t))}" cy="${
      Math.round(y(l.lag))
    }" r="1.8" fill="#4062bb"/>`;
  }).join("");
  return svg(
    frame,
    "Poll lag: acknowledged messages past the last offset each poll returned, per key",
    axes(frame, x, y, "time (s)", "messages behind") + dots,
  );
}

const KEY_COLOURS = ["#4062bb", "#2a9d4b", "#e09f3e", "#8f2d56", "#59c3c3", "#d1495b", "#7b2cbf"];

/** Kafka: the offset of each acknowledged send over time, per key (the seven busiest keys). */
export function kafkaOffsetsPlot(history: readonly Op[], endS: number): string {
  const points: { t: number; key: string; offset: number }[] = [];
  const counts = new Map<string, number>();
  for (const op of history) {
    if (op.type !== "ok" || op.f !== "send") continue;
    for (const s of sendsOf(op)) {
      if (s.offset === undefined) continue;
      points.push({ t: op.time / 1e9, key: s.key, offset: s.offset });
      counts.set(s.key, (counts.get(s.key) ?? 0) + 1);
    }
  }
  if (points.length === 0) return "";
  const keys = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 7).map(([k]) => k);
  const colour = new Map(keys.map((k, i) => [k, KEY_COLOURS[i] as string]));
  const shown = points.filter((p) => colour.has(p.key));
  const frame = defaultFrame();
  const x = linearScale(0, Math.max(endS, 1), frame.left, frame.right);
  const y = linearScale(0, maxOf(shown.map((p) => p.offset), 1), frame.bottom, frame.top);
  const seen = new Set<string>();
  const dots = shown.map((p) => {
    const cx = Math.round(x(p.t));
    const cy = Math.round(y(p.offset));
    const id = `${cx},${cy},${p.key}`;
    if (seen.has(id)) return "";
    seen.add(id);
    return `<circle cx="${cx}" cy="${cy}" r="1.6" fill="${colour.get(p.key)}"/>`;
  }).join("");
  const legend = keys.map((k, i) =>
    `<rect x="${frame.right + 14}" y="${frame.top + 4 + i * 16}" width="10" height="10" fill="${
      colour.get(k)
    }"/><text x="${frame.right + 30}" y="${frame.top + 12 + i * 16}">key ${
      escapeXml(k.slice(0, 16))
    }</text>`
  ).join("");
  return svg(
    frame,
    "Offsets of acknowledged sends over time, per key",
    axes(frame, x, y, "time (s)", "offset") + dots + legend,
  );
}

/** The plots of the run's own workload (from `results.options.workload`); "" for the others. */
export function workloadPlots(
  results: Record<string, unknown>,
  history: readonly Op[],
  endS: number,
): string {
  const options = isRecord(results.options) ? results.options : {};
  const workload = isRecord(results.workload) ? results.workload : {};
  switch (options.workload) {
    case "broadcast":
      return stableLatencyPlot(history, "broadcast");
    case "g-set":
      return stableLatencyPlot(history, "add");
    case "g-counter":
    case "pn-counter":
      return counterPlot(history, endS);
    case "kafka":
      return pollLagPlot(history, endS) + kafkaOffsetsPlot(history, endS);
    case "txn-rw-register":
    case "txn-list-append":
      return txnCyclePlot(workload);
    case "lin-kv":
      return linKvKeyPlot(workload, history);
    default:
      return "";
  }
}
