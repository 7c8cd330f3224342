/**
 * Plots for one workload, where a person would rather look than read: broadcast's stable-latency
 * distribution, a counter's reads against the bounds its adds allow, kafka's poll lag, a
 * transaction anomaly's cycle with its wr / ww / rw edges, and lin-kv's history of the first key
 * that is not linearizable, around the op no order could place.
 *
 * @module
 */

import { type Op, pairOps } from "../history.ts";
import { setFullElements } from "../checkers/set_full.ts";
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

const EDGE_COLOURS: Record<string, string> = {
  ww: "#d1495b",
  "wider-ww": "#d1495b",
  wr: "#2a9d4b",
  rw: "#4062bb",
  process: "#6c757d",
  realtime: "#e09f3e",
};

/** The first cycle a transaction checker reported, drawn: its transactions on a ring, edges labelled. */
export function txnCyclePlot(workload: Record<string, unknown>): string {
  const anomalies = isRecord(workload.anomalies) ? workload.anomalies : {};
  let found: { type: string; cycle: unknown[]; steps: unknown[] } | undefined;
  for (const [type, examples] of Object.entries(anomalies)) {
    const e = Array.isArray(examples) ? examples.find(isRecord) : undefined;
    if (e !== undefined && Array.isArray(e.cycle) && Array.isArray(e.steps)) {
      found = { type, cycle: e.cycle, steps: e.steps };
      break;
    }
  }
  if (found === undefined) return "";
  const txns = found.cycle.slice(0, -1);
  const n = txns.length;
  const frame = { width: 860, height: 360, left: 0, right: 860, top: 0, bottom: 360 };
  const r = n <= 2 ? 90 : 130;
  const at = (i: number) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    return [430 + r * Math.cos(a), 180 + r * Math.sin(a)] as const;
  };
  const parts: string[] = [];
  found.steps.forEach((step, i) => {
    const s = isRecord(step) ? step : {};
    const kind = String(s.type);
    const [x1, y1] = at(i);
    const [x2, y2] = at((i + 1) % n);
    // Bend each edge outwards so a two-transaction cycle shows both edges.
    const mx = (x1 + x2) / 2 + (n <= 2 ? (i === 0 ? 60 : -60) : ((x1 + x2) / 2 - 430) * 0.35);
    const my = (y1 + y2) / 2 + (n <= 2 ? 0 : ((y1 + y2) / 2 - 180) * 0.35);
    const colour = EDGE_COLOURS[kind] ?? "#333";
    const label = `${kind}${s.key === undefined ? "" : ` k=${JSON.stringify(s.key)}`}${
      s.value === undefined ? "" : ` ${JSON.stringify(s.value)}`
    }${"value'" in s ? `→${JSON.stringify(s["value'"])}` : ""}`;
    parts.push(
      `<path d="M${x1.toFixed(1)},${y1.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${
        x2.toFixed(1)
      },${
        y2.toFixed(1)
      }" fill="none" stroke="${colour}" stroke-width="2" marker-end="url(#txn-arrow)" class="edge ${
        escapeXml(kind)
      }"/>`,
      `<text x="${mx.toFixed(1)}" y="${my.toFixed(1)}" text-anchor="middle" fill="${colour}">${
        escapeXml(label.slice(0, 60))
      }</text>`,
    );
  });
  txns.forEach((t, i) => {
    const [cx, cy] = at(i);
    const index = isRecord(t) ? t.index : "?";
    const value = isRecord(t) ? JSON.stringify(t.value) ?? "" : "";
    parts.push(
      `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="22" fill="#fff" stroke="#333"/>`,
      `<text x="${cx.toFixed(1)}" y="${
        cy.toFixed(1)
      }" text-anchor="middle" dominant-baseline="middle">op ${
        escapeXml(String(index))
      }</text><text x="${cx.toFixed(1)}" y="${
        (cy + 36).toFixed(1)
      }" text-anchor="middle" class="txn">${escapeXml(value.slice(0, 70))}</text>`,
    );
  });
  const defs =
    `<defs><marker id="txn-arrow" viewBox="0 0 8 8" refX="30" refY="4" markerWidth="8" ` +
    `markerHeight="8" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>`;
  return svg(
    frame,
    `${found.type}: the cycle of ${n} transactions (ww red, wr green, rw blue)`,
    defs + parts.join(""),
  );
}

/**
 * Lin-kv: the first key that is not linearizable, its ops as bars (one lane per process) over a
 * window around the op no legal order could place, which is outlined.
 */
export function linKvKeyPlot(workload: Record<string, unknown>, history: readonly Op[]): string {
  const failures = Array.isArray(workload.failures) ? workload.failures : [];
  const results = isRecord(workload.results) ? workload.results : {};
  const key = failures[0];
  if (key === undefined) return "";
  const entry = results[JSON.stringify(key)];
  const bad = isRecord(entry) && isRecord(entry.counterexample)
    ? entry.counterexample.op
    : undefined;
  if (!isRecord(bad) || typeof bad.time !== "number") return "";
  const keyOf = (op: Op) => (Array.isArray(op.value) ? JSON.stringify(op.value[0]) : undefined);
  const target = JSON.stringify(key);
  const pairs = pairOps(history).filter((p) => keyOf(p.invoke) === target);
  const at = pairs.findIndex((p) =>
    p.complete?.index === bad.index || p.invoke.index === bad.index
  );
  const window = pairs.slice(Math.max(0, at - 15), at + 16);
  if (window.length === 0) return "";
  const t0 = minOf(window.map((p) => p.invoke.time));
  const t1 = maxOf(window.map((p) => p.complete?.time ?? p.invoke.time), t0 + 1);
  const processes = [...new Set(window.map((p) => p.invoke.process as number))].sort((a, b) =>
    a - b
  );
  const row = 22;
  const frame = {
    width: 860,
    height: 60 + row * processes.length,
    left: 64,
    right: 840,
    top: 16,
    bottom: 16 + row * processes.length,
  };
  const x = linearScale(0, (t1 - t0) / 1e6, frame.left, frame.right);
  const y = linearScale(0, processes.length, frame.top, frame.bottom);
  y.ticks = processes.map((_, i) => i + 0.5);
  y.format = (v) => String(processes[Math.floor(v)] ?? "");
  const colours = { ok: "#2a9d4b", fail: "#d1495b", info: "#e09f3e" } as const;
  const bars = window.map(({ invoke, complete }) => {
    const lane = processes.indexOf(invoke.process as number);
    const a = x((invoke.time - t0) / 1e6);
    const b = x(((complete?.time ?? t1) - t0) / 1e6);
    const v = complete?.type === "ok" ? complete.value : invoke.value;
    const label = `${invoke.f} ${JSON.stringify(Array.isArray(v) ? v[1] : v)}`;
    const isBad = complete?.index === bad.index || invoke.index === bad.index;
    const fill = complete === undefined ? "#999" : colours[complete.type as keyof typeof colours] ??
      "#999";
    return `<rect x="${a.toFixed(1)}" y="${frame.top + lane * row + 2}" width="${
      Math.max(2, b - a).toFixed(1)
    }" height="${row - 4}" fill="${fill}" opacity="0.75"${
      isBad ? ' stroke="#000" stroke-width="2" class="culprit"' : ""
    }><title>${
      escapeXml(`op ${invoke.index}: ${label} → ${complete?.type ?? "?"}`)
    }</title></rect>` +
      `<text x="${(a + 3).toFixed(1)}" y="${
        frame.top + lane * row + row / 2 + 1
      }" dominant-baseline="middle">${escapeXml(label.slice(0, 24))}</text>`;
  }).join("");
  return svg(
    frame,
    `lin-kv key ${target}: the ops around op ${bad.index}, which no legal order could place (outlined)`,
    axes(frame, x, y, "time (ms)", "process") + bars,
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
      return pollLagPlot(history, endS);
    case "txn-rw-register":
    case "txn-list-append":
      return txnCyclePlot(workload);
    case "lin-kv":
      return linKvKeyPlot(workload, history);
    default:
      return "";
  }
}
