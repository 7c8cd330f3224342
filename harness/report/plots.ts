/**
 * The report's history plots: latency over time, latency quantiles over time, latency
 * distribution, and operation rate by outcome, with partitions and killed nodes shaded.
 *
 * @module
 */

import { type OpPair, pairOps } from "../history.ts";
import type { Op } from "../history.ts";
import {
  axes,
  defaultFrame,
  escapeXml,
  type Frame,
  linearScale,
  logScale,
  maxOf,
  type Scale,
  shade,
  svg,
} from "./svg.ts";

/** The partition windows, in seconds since the start, from the nemesis ops. */
export function partitionWindows(history: readonly Op[], endS: number): [number, number][] {
  const windows: [number, number][] = [];
  let start: number | undefined;
  for (const op of history) {
    if (op.process !== "nemesis") continue;
    if (op.f === "start-partition" && start === undefined) start = op.time / 1e9;
    if (op.f === "stop-partition" && start !== undefined) {
      windows.push([start, op.time / 1e9]);
      start = undefined;
    }
  }
  if (start !== undefined) windows.push([start, endS]);
  return windows;
}

/**
 * The windows in which a node was out (kill nemesis: `kill` to `restart`, "down"; pause nemesis:
 * `pause` to `resume`, "paused"; value = node), in seconds since the start, labelled with the
 * node; a node never brought back is out to the end.
 */
export function downWindows(history: readonly Op[], endS: number): [number, number, string][] {
  const windows: [number, number, string][] = [];
  const kinds: Record<string, { end: string; label: string }> = {
    kill: { end: "restart", label: "down" },
    pause: { end: "resume", label: "paused" },
  };
  const since = new Map<string, { at: number; label: string }>();
  for (const op of history) {
    if (op.process !== "nemesis" || typeof op.value !== "string") continue;
    const start = kinds[op.f];
    const key = (f: string) => `${f} ${op.value}`;
    if (start !== undefined && !since.has(key(op.f))) {
      since.set(key(op.f), { at: op.time / 1e9, label: `${op.value} ${start.label}` });
      continue;
    }
    for (const [f, kind] of Object.entries(kinds)) {
      const from = since.get(key(f));
      if (op.f !== kind.end || from === undefined) continue;
      windows.push([from.at, op.time / 1e9, from.label]);
      since.delete(key(f));
    }
  }
  for (const { at, label } of since.values()) windows.push([at, endS, label]);
  return windows.sort((a, b) => a[0] - b[0]);
}

/** The colours of the shaded fault windows; html.ts's `.partition` and `.down` use them. */
export const FAULT_COLOURS = { partition: "#d1495b", down: "#4062bb" } as const;

/**
 * Shades partitions and node-down windows; with any shown, one legend line below `rows`
 * legend rows: "partition / node down".
 */
function _faults(frame: Frame, x: Scale, history: readonly Op[], endS: number, rows: number) {
  const partitions = partitionWindows(history, endS);
  const down = downWindows(history, endS);
  const bands = shade(frame, x, partitions) + shade(frame, x, down, "down");
  if (partitions.length === 0 && down.length === 0) return bands;
  const px = frame.right + 14;
  const y = frame.top + 12 + rows * 16;
  const swatch = (dx: number, cls: keyof typeof FAULT_COLOURS) =>
    `<rect x="${px + dx}" y="${y - 8}" width="10" height="10" class="${cls}-key" fill="${
      FAULT_COLOURS[cls]
    }" opacity="0.35"/>`;
  return bands + swatch(0, "partition") + swatch(12, "down") +
    `<text x="${px + 28}" y="${y}" dominant-baseline="middle">partition / node down</text>`;
}

const COLOURS = { ok: "#2a9d4b", fail: "#d1495b", info: "#e09f3e" } as const;

interface Sample {
  t: number;
  ms: number;
  type: "ok" | "fail" | "info";
  f: string;
}

function samples(pairs: readonly OpPair[]): Sample[] {
  const out: Sample[] = [];
  for (const { invoke, complete } of pairs) {
    if (!complete || complete.type === "invoke") continue;
    out.push({
      t: invoke.time / 1e9,
      ms: (complete.time - invoke.time) / 1e6,
      type: complete.type,
      f: invoke.f,
    });
  }
  return out;
}

function legend(frame: Frame, entries: [string, string][]): string {
  return entries.map(([label, colour], i) => {
    const x = frame.right + 14;
    const y = frame.top + 12 + i * 16;
    return `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${colour}"/>` +
      `<text x="${x + 16}" y="${y}" dominant-baseline="middle">${escapeXml(label)}</text>`;
  }).join("");
}

function timeScale(frame: Frame, endS: number): Scale {
  return linearScale(0, Math.max(endS, 1), frame.left, frame.right);
}

/**
 * Scatter of each op's latency against its invocation time, by outcome (log latency axis). Ops
 * that land on the same pixel with the same outcome are drawn once, so the page stays small
 * however long the run (a 500 000-op run draws at most a few thousand dots).
 */
export function latencyRawPlot(history: readonly Op[], endS: number): string {
  const frame = defaultFrame();
  const points = samples(pairOps(history));
  const x = timeScale(frame, endS);
  const y = logScale(0.1, maxOf(points.map((p) => p.ms), 1), frame.bottom, frame.top);
  const drawn = new Set<string>();
  const dots: string[] = [];
  for (const p of points) {
    const cx = Math.round(x(p.t));
    const cy = Math.round(y(p.ms));
    const key = `${cx},${cy},${p.type}`;
    if (drawn.has(key)) continue;
    drawn.add(key);
    dots.push(`<circle cx="${cx}" cy="${cy}" r="1.8" fill="${COLOURS[p.type]}"/>`);
  }
  const body = _faults(frame, x, history, endS, 3) +
    axes(frame, x, y, "time (s)", "latency (ms)") + dots.join("") +
    legend(frame, Object.entries(COLOURS) as [string, string][]);
  return svg(frame, "Latency of each operation over time", body);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}

/** Latency quantiles (0.5, 0.95, 0.99, max) per time bucket. */
export function latencyQuantilesPlot(history: readonly Op[], endS: number): string {
  const frame = defaultFrame();
  const points = samples(pairOps(history));
  const bucketS = Math.max(0.5, endS / 40);
  const buckets = new Map<number, number[]>();
  for (const p of points) {
    const b = Math.floor(p.t / bucketS);
    const list = buckets.get(b) ?? [];
    list.push(p.ms);
    buckets.set(b, list);
  }
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  const x = timeScale(frame, endS);
  const y = logScale(0.1, maxOf(points.map((p) => p.ms), 1), frame.bottom, frame.top);
  const series: [string, number, string][] = [
    ["p50", 0.5, "#4062bb"],
    ["p95", 0.95, "#59c3c3"],
    ["p99", 0.99, "#e09f3e"],
    ["max", 1, "#d1495b"],
  ];
  // A line breaks where a bucket has no ops (the pause before final reads), instead of
  // drawing a slope through a stretch with no data.
  const runs: number[][] = [];
  for (const k of keys) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[last.length - 1] === k - 1) last.push(k);
    else runs.push([k]);
  }
  const lines = series.map(([, q, colour]) =>
    runs.map((run) => {
      const coords = run.map((k) => {
        const sorted = [...(buckets.get(k) ?? [])].sort((a, b) => a - b);
        return `${x((k + 0.5) * bucketS).toFixed(1)},${y(quantile(sorted, q)).toFixed(1)}`;
      });
      return `<polyline points="${
        coords.join(" ")
      }" fill="none" stroke="${colour}" stroke-width="1.5"/>`;
    }).join("")
  ).join("");
  const body = _faults(frame, x, history, endS, series.length) +
    axes(frame, x, y, "time (s)", "latency (ms)") + lines +
    legend(frame, series.map(([label, , colour]) => [label, colour]));
  return svg(frame, "Latency quantiles over time", body);
}

/** Histogram of op latencies on log-spaced buckets. */
export function latencyDistributionPlot(history: readonly Op[]): string {
  const frame = defaultFrame(240);
  const points = samples(pairOps(history)).filter((p) => p.type === "ok");
  const maxMs = maxOf(points.map((p) => p.ms), 1);
  const perDecade = 8;
  const lo = 0.1;
  const bins = Math.ceil(Math.log10(maxMs / lo) * perDecade) + 1;
  const counts = new Array<number>(bins).fill(0);
  for (const p of points) {
    const i = Math.max(0, Math.floor(Math.log10(Math.max(p.ms, lo) / lo) * perDecade));
    counts[Math.min(bins - 1, i)]!++;
  }
  const x = logScale(lo, lo * 10 ** (bins / perDecade), frame.left, frame.right);
  const y = linearScale(0, maxOf(counts, 1), frame.bottom, frame.top);
  const bars = counts.map((count, i) => {
    const a = x(lo * 10 ** (i / perDecade));
    const b = x(lo * 10 ** ((i + 1) / perDecade));
    return count === 0
      ? ""
      : `<rect x="${a.toFixed(1)}" y="${y(count).toFixed(1)}" width="${
        Math.max(1, b - a - 1).toFixed(1)
      }" height="${(frame.bottom - y(count)).toFixed(1)}" fill="#4062bb"/>`;
  }).join("");
  return svg(
    frame,
    "Latency distribution of ok operations",
    axes(frame, x, y, "latency (ms)", "ops") + bars,
  );
}

/** Completed operations per second, stacked by outcome. */
export function ratePlot(history: readonly Op[], endS: number): string {
  const frame = defaultFrame();
  const bucketS = Math.max(0.5, endS / 60);
  const n = Math.ceil(Math.max(endS, 1) / bucketS);
  const counts = {
    ok: new Array<number>(n).fill(0),
    fail: new Array<number>(n).fill(0),
    info: new Array<number>(n).fill(0),
  };
  for (const op of history) {
    if (op.process === "nemesis" || op.type === "invoke") continue;
    const b = Math.min(n - 1, Math.floor(op.time / 1e9 / bucketS));
    counts[op.type][b]!++;
  }
  const totals = counts.ok.map((c, i) => (c + counts.fail[i]! + counts.info[i]!) / bucketS);
  const x = timeScale(frame, endS);
  const y = linearScale(0, maxOf(totals, 1), frame.bottom, frame.top);
  const bars: string[] = [];
  for (let i = 0; i < n; i++) {
    let base = 0;
    for (const type of ["ok", "fail", "info"] as const) {
      const rate = counts[type][i]! / bucketS;
      if (rate === 0) continue;
      const top = y(base + rate);
      bars.push(
        `<rect x="${x(i * bucketS).toFixed(1)}" y="${top.toFixed(1)}" width="${
          Math.max(1, x((i + 1) * bucketS) - x(i * bucketS) - 1).toFixed(1)
        }" height="${(y(base) - top).toFixed(1)}" fill="${COLOURS[type]}"/>`,
      );
      base += rate;
    }
  }
  const body = _faults(frame, x, history, endS, 3) +
    axes(frame, x, y, "time (s)", "completions / s") + bars.join("") +
    legend(frame, Object.entries(COLOURS) as [string, string][]);
  return svg(frame, "Operation rate by outcome", body);
}
