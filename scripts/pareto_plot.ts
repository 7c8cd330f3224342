/**
 * The broadcast trade-off drawn: servers msgs/op (log scale) against stable latency, one panel for
 * the median and one for the max, each design's points joined in tick order, the official 3d and
 * 3e limits as boxes, and the published peers as labelled crosses. A standalone SVG file.
 *
 * @module
 */

import {
  axes,
  escapeXml,
  type Frame,
  linearScale,
  logScale,
  maxOf,
  minOf,
} from "../harness/report/svg.ts";

/** One measured point of the curve (medians over seeds). */
export interface ParetoPoint {
  /** The design (a `BROADCAST_MODE`). */
  design: string;
  /** Its tick, ms. */
  tickMs: number;
  msgsPerOp: number;
  medianMs: number;
  maxMs: number;
  /** Runs valid of runs made. */
  valid: number;
  runs: number;
}

/** A published figure to draw beside ours. */
export interface PeerPoint {
  label: string;
  source: string;
  msgsPerOp: number;
  medianMs: number;
  maxMs: number;
}

/** An official limit: msgs/op and the stable-latency median and max, ms. */
export interface Limit {
  label: string;
  msgsPerOp: number;
  medianMs: number;
  maxMs: number;
}

const _COLOURS = ["#2f6690", "#d1495b", "#3a7d44", "#edae49", "#7b2d8b"];

const _STYLE = `<style>text{font:11px sans-serif;fill:#333}.grid{stroke:#eee}.axis{stroke:#333}` +
  `.limit{fill:none;stroke:#999;stroke-dasharray:4 3}.peer{stroke:#555;stroke-width:1.5}</style>`;

/** One panel: msgs/op on x, `y` (median or max latency) on y. */
function _panel(
  frame: Frame,
  points: readonly ParetoPoint[],
  peers: readonly PeerPoint[],
  limits: readonly Limit[],
  y: "medianMs" | "maxMs",
  title: string,
): string {
  const xs = [...points.map((p) => p.msgsPerOp), ...peers.map((p) => p.msgsPerOp)];
  const ys = [...points.map((p) => p[y]), ...peers.map((p) => p[y]), ...limits.map((l) => l[y])];
  const x = logScale(Math.max(0.1, minOf(xs) / 1.5), maxOf(xs) * 1.5, frame.left, frame.right);
  const yScale = linearScale(0, maxOf(ys) * 1.1, frame.bottom, frame.top);
  const parts = [axes(frame, x, yScale, "servers msgs/op (log)", `stable latency ${title} (ms)`)];
  for (const limit of limits) {
    const right = Math.min(frame.right, x(limit.msgsPerOp));
    const top = yScale(limit[y]);
    parts.push(
      `<rect x="${frame.left}" y="${top.toFixed(1)}" width="${(right - frame.left).toFixed(1)}" ` +
        `height="${(frame.bottom - top).toFixed(1)}" class="limit"/>`,
      `<text x="${(right - 4).toFixed(1)}" y="${(top + 12).toFixed(1)}" text-anchor="end">${
        escapeXml(limit.label)
      }</text>`,
    );
  }
  const designs = [...new Set(points.map((p) => p.design))];
  designs.forEach((design, i) => {
    const colour = _COLOURS[i % _COLOURS.length];
    const own = points.filter((p) => p.design === design).sort((a, b) => a.tickMs - b.tickMs);
    const path = own.map((p) => `${x(p.msgsPerOp).toFixed(1)},${yScale(p[y]).toFixed(1)}`);
    parts.push(`<polyline points="${path.join(" ")}" fill="none" stroke="${colour}"/>`);
    for (const p of own) {
      parts.push(
        `<circle cx="${x(p.msgsPerOp).toFixed(1)}" cy="${yScale(p[y]).toFixed(1)}" r="3.5" ` +
          `fill="${colour}"><title>${
            escapeXml(
              `${design} tick ${p.tickMs} ms: ` +
                `${p.msgsPerOp} msgs/op, ${p.medianMs} / ${p.maxMs} ms`,
            )
          }</title></circle>`,
      );
    }
    parts.push(
      `<text x="${frame.right + 12}" y="${frame.top + 14 * (i + 1)}" fill="${colour}" ` +
        `style="fill:${colour}">● ${escapeXml(design)}</text>`,
    );
  });
  for (const peer of peers) {
    const [px, py] = [x(peer.msgsPerOp), yScale(peer[y])];
    const at = (dx: number, dy: number) => `${(px + dx).toFixed(1)},${(py + dy).toFixed(1)}`;
    parts.push(
      `<path d="M${at(-4, -4)}L${at(4, 4)}M${at(-4, 4)}L${at(4, -4)}" class="peer"><title>${
        escapeXml(`${peer.label} (${peer.source})`)
      }</title></path>`,
      `<text x="${(px + 6).toFixed(1)}" y="${(py - 6).toFixed(1)}">${escapeXml(peer.label)}</text>`,
    );
  }
  return `<g>${parts.join("")}</g>`;
}

/** The whole figure: the median panel above the max panel, as one SVG document. */
export function paretoSvg(
  points: readonly ParetoPoint[],
  peers: readonly PeerPoint[],
  limits: readonly Limit[],
): string {
  const height = 300;
  const frame = (top: number): Frame => ({
    width: 860,
    height: top + height,
    left: 64,
    right: 700,
    top: top + 16,
    bottom: top + height - 40,
  });
  const median = _panel(frame(0), points, peers, limits, "medianMs", "median");
  const max = _panel(frame(height), points, peers, limits, "maxMs", "max");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="860" height="${2 * height}" ` +
    `viewBox="0 0 860 ${2 * height}" role="img" aria-label="broadcast: messages against ` +
    `latency">${_STYLE}${median}${max}</svg>\n`;
}
