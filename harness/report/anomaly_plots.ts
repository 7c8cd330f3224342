/**
 * The anomalies a person should see drawn: a transaction anomaly's cycle, its transactions on a
 * ring with their ww / wr / rw edges labelled; and lin-kv's first key that is not linearizable,
 * its ops around the one no legal order could place.
 *
 * @module
 */

import { type Op, pairOps } from "../history.ts";
import { isRecord } from "../../lib/message.ts";
import { axes, escapeXml, linearScale, maxOf, minOf, svg } from "./svg.ts";

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
