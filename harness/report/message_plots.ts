/**
 * The report's network plots: messages sent per second by type over time, and messages sent and
 * received per node (a hub's load shows at a glance).
 *
 * @module
 */

import type { JournalEvent } from "../net/journal.ts";
import { axes, defaultFrame, escapeXml, linearScale, maxOf, svg } from "./svg.ts";
import { laneOrder } from "./diagram_data.ts";

const PALETTE = [
  "#4062bb",
  "#2a9d4b",
  "#e09f3e",
  "#8f2d56",
  "#59c3c3",
  "#d1495b",
  "#7b2cbf",
  "#6c757d",
];

function _legend(x: number, top: number, entries: readonly [string, string][]): string {
  return entries.map(([label, colour], i) => {
    const y = top + 12 + i * 16;
    return `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${colour}"/>` +
      `<text x="${x + 16}" y="${y}" dominant-baseline="middle">${escapeXml(label)}</text>`;
  }).join("");
}

/** Messages sent per second, stacked by body type (the seven commonest, then "other"). */
export function messageRatePlot(journal: Iterable<JournalEvent>, endS: number): string {
  const sends: { t: number; type: string }[] = [];
  const totals = new Map<string, number>();
  for (const e of journal) {
    if (e.type !== "send") continue;
    sends.push({ t: e.time / 1e9, type: e.bodyType });
    totals.set(e.bodyType, (totals.get(e.bodyType) ?? 0) + 1);
  }
  if (sends.length === 0) return "";
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
  const shown = ranked.length <= 8 ? ranked : [...ranked.slice(0, 7), "other"];
  const series = new Map(shown.map((t, i) => [t, i]));
  const span = Math.max(endS, 1);
  const bucketS = Math.max(0.25, span / 80);
  const n = Math.ceil(span / bucketS);
  const counts = shown.map(() => new Array<number>(n).fill(0));
  for (const { t, type } of sends) {
    const s = series.get(type) ?? shown.length - 1;
    counts[s]![Math.min(n - 1, Math.floor(t / bucketS))]!++;
  }
  const stacked = new Array<number>(n).fill(0);
  for (const c of counts) c.forEach((v, i) => stacked[i]! += v / bucketS);
  const frame = defaultFrame();
  const x = linearScale(0, span, frame.left, frame.right);
  const y = linearScale(0, maxOf(stacked, 1), frame.bottom, frame.top);
  const bars: string[] = [];
  const base = new Array<number>(n).fill(0);
  counts.forEach((c, s) => {
    for (let i = 0; i < n; i++) {
      const rate = c[i]! / bucketS;
      if (rate === 0) continue;
      const top = y(base[i]! + rate);
      bars.push(
        `<rect x="${x(i * bucketS).toFixed(1)}" y="${top.toFixed(1)}" width="${
          Math.max(1, x((i + 1) * bucketS) - x(i * bucketS) - 0.5).toFixed(1)
        }" height="${(y(base[i]!) - top).toFixed(1)}" fill="${PALETTE[s % PALETTE.length]}"/>`,
      );
      base[i]! += rate;
    }
  });
  const legend = _legend(frame.right + 14, frame.top, shown.map((t, i) => [t, PALETTE[i]!]));
  return svg(
    frame,
    "Messages sent per second, by type",
    axes(frame, x, y, "time (s)", "messages / s") + bars.join("") + legend,
  );
}

/** Messages each node sent and received over the run, side by side. */
export function messagesPerNodePlot(journal: Iterable<JournalEvent>): string {
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  for (const e of journal) {
    if (e.type === "send" && /^n\d/.test(e.src)) sent.set(e.src, (sent.get(e.src) ?? 0) + 1);
    if (e.type === "recv" && /^n\d/.test(e.dest)) {
      received.set(e.dest, (received.get(e.dest) ?? 0) + 1);
    }
  }
  const nodes = [...new Set([...sent.keys(), ...received.keys()])].sort(laneOrder);
  if (nodes.length === 0) return "";
  const frame = defaultFrame(240);
  const x = linearScale(0, nodes.length, frame.left, frame.right);
  x.ticks = nodes.length <= 30
    ? nodes.map((_, i) => i + 0.5)
    : nodes.map((_, i) => i + 0.5).filter((_, i) => i % Math.ceil(nodes.length / 25) === 0);
  x.format = (v) => nodes[Math.floor(v)] ?? "";
  const y = linearScale(
    0,
    maxOf([...sent.values(), ...received.values()], 1),
    frame.bottom,
    frame.top,
  );
  const w = (frame.right - frame.left) / nodes.length;
  const bars = nodes.map((node, i) =>
    [[sent.get(node) ?? 0, 0, "#4062bb"], [received.get(node) ?? 0, 1, "#e09f3e"]].map(
      ([count, k, colour]) =>
        `<rect x="${(x(i) + w * (0.1 + 0.4 * Number(k))).toFixed(1)}" y="${
          y(Number(count)).toFixed(1)
        }" width="${(w * 0.4).toFixed(1)}" height="${
          (frame.bottom - y(Number(count))).toFixed(1)
        }" fill="${colour}"><title>${
          escapeXml(`${node} ${k === 0 ? "sent" : "received"} ${count}`)
        }</title></rect>`,
    ).join("")
  ).join("");
  return svg(
    frame,
    "Messages per node: sent and received",
    axes(frame, x, y, "node", "messages") + bars +
      _legend(frame.right + 14, frame.top, [["sent", "#4062bb"], ["received", "#e09f3e"]]),
  );
}
