/**
 * The per-process timeline, as Maelstrom's `timeline.html`: one lane per client process, each
 * operation a bar from its invocation to its completion, coloured by outcome (ok, fail, info; an
 * op never completed runs to the end in grey), with partitions and nodes down shaded.
 *
 * @module
 */

import { type Op, pairOps } from "../history.ts";
import { downWindows, partitionWindows } from "./plots.ts";
import { axes, escapeXml, type Frame, linearScale, shade, svg } from "./svg.ts";

/** Options of {@linkcode processTimeline}. */
export interface ProcessTimelineOptions {
  /** At most this many lanes (default 200); later processes are left out. */
  maxLanes?: number;
  /** Bars get a hover title when there are at most this many (default 6000). */
  maxTitles?: number;
}

const COLOURS = { ok: "#2a9d4b", fail: "#d1495b", info: "#e09f3e", pending: "#999" } as const;

/** Renders the timeline of `history` over `endS` seconds. */
export function processTimeline(
  history: readonly Op[],
  endS: number,
  options: ProcessTimelineOptions = {},
): string {
  const pairs = pairOps(history);
  const all = [...new Set(pairs.map((p) => p.invoke.process as number))].sort((a, b) => a - b);
  const processes = all.slice(0, options.maxLanes ?? 200);
  if (processes.length === 0) return "";
  const lane = new Map(processes.map((p, i) => [p, i]));
  const row = Math.max(3, Math.min(14, Math.floor(480 / processes.length)));
  const top = 16;
  const bottom = top + row * processes.length;
  const frame: Frame = { width: 860, height: bottom + 40, left: 64, right: 840, top, bottom };
  const x = linearScale(0, Math.max(endS, 1), frame.left, frame.right);
  const y = linearScale(0, processes.length, top, bottom);
  y.ticks = processes.length <= 30
    ? processes.map((_, i) => i + 0.5)
    : processes.map((_, i) => i + 0.5).filter((_, i) => i % Math.ceil(processes.length / 20) === 0);
  y.format = (v) => String(processes[Math.floor(v)] ?? "");
  const titles = pairs.length <= (options.maxTitles ?? 6000);
  // Per lane, bars in invocation order; narrow bars of one outcome that touch are merged, so a
  // million ops draw as a few rectangles per lane.
  const last = new Map<number, { a: number; b: number; type: string }>();
  const bars: string[] = [];
  const rect = (i: number, a: number, b: number, type: string, title: string) =>
    `<rect x="${a.toFixed(1)}" y="${(top + i * row + 1).toFixed(1)}" width="${
      Math.max(1, b - a).toFixed(1)
    }" height="${Math.max(1, row - 2)}" fill="${
      COLOURS[type as keyof typeof COLOURS]
    }" class="op ${type}">${title}</rect>`;
  const flush = (i: number) => {
    const open = last.get(i);
    if (open !== undefined) bars.push(rect(i, open.a, open.b, open.type, ""));
    last.delete(i);
  };
  for (const { invoke, complete } of pairs) {
    const i = lane.get(invoke.process as number);
    if (i === undefined) continue;
    const type = complete?.type === "ok" || complete?.type === "fail" || complete?.type === "info"
      ? complete.type
      : "pending";
    const a = x(invoke.time / 1e9);
    const b = Math.max(a + 1, x((complete?.time ?? endS * 1e9) / 1e9));
    if (!titles) {
      const open = last.get(i);
      if (open !== undefined && open.type === type && a <= open.b + 1) {
        open.b = Math.max(open.b, b);
        continue;
      }
      flush(i);
      last.set(i, { a, b, type });
      continue;
    }
    const ms = complete === undefined
      ? "never completed"
      : `${((complete.time - invoke.time) / 1e6).toFixed(1)} ms`;
    const title = `<title>${
      escapeXml(
        `op ${invoke.index}: ${invoke.f} ${JSON.stringify(invoke.value)} → ${type} ${
          JSON.stringify(complete?.error ?? complete?.value ?? null)
        } (${ms}${invoke.node === undefined ? "" : `, ${invoke.node}`})`.slice(0, 300),
      )
    }</title>`;
    bars.push(rect(i, a, b, type, title));
  }
  for (const i of [...last.keys()]) flush(i);
  const faults = shade(frame, x, partitionWindows(history, endS)) +
    shade(frame, x, downWindows(history, endS), "down");
  const omitted = all.length - processes.length;
  return svg(
    frame,
    `Operations per process: one lane per client process, invoke → completion, ok green, fail ` +
      `red, info orange${omitted > 0 ? ` (${omitted} later processes left out)` : ""}`,
    faults + axes(frame, x, y, "time (s)", "process") + bars.join(""),
  );
}
