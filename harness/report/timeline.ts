/**
 * A Lamport diagram of the first messages of a run: one vertical lane per endpoint, time running
 * down, an arrow from each send to its delivery, dropped messages dashed and crossed.
 *
 * @module
 */

import type { JournalEvent } from "../net/journal.ts";
import { escapeXml, maxOf, minOf, svg } from "./svg.ts";

/** Options of {@linkcode messageTimeline}. */
export interface TimelineOptions {
  /** At most this many messages (default 300). */
  maxMessages?: number;
  /** At most this many lanes (default 32); messages to other endpoints are left out. */
  maxLanes?: number;
  /** Only messages sent within this many seconds of the first one (default 2). */
  maxSeconds?: number;
}

interface Flight {
  src: string;
  dest: string;
  type: string;
  sent: number;
  received: number | undefined;
}

function laneOrder(a: string, b: string): number {
  const rank = (id: string) => (id.startsWith("c") ? 2 : id.startsWith("n") ? 0 : 1);
  return rank(a) - rank(b) || a.localeCompare(b, "en", { numeric: true });
}

/** Renders the diagram for the first messages of `journal` (times in ns). */
export function messageTimeline(
  journal: Iterable<JournalEvent>,
  options: TimelineOptions = {},
): string {
  const maxMessages = options.maxMessages ?? 300;
  const maxLanes = options.maxLanes ?? 32;
  const windowNs = (options.maxSeconds ?? 2) * 1e9;
  let first: number | undefined;
  const flights = new Map<number, Flight>();
  for (const event of journal) {
    if (event.type === "send") {
      first ??= event.time;
      if (flights.size >= maxMessages || event.time - first > windowNs) continue;
      flights.set(event.id, {
        src: event.src,
        dest: event.dest,
        type: event.bodyType,
        sent: event.time,
        received: undefined,
      });
    } else {
      const flight = flights.get(event.id);
      if (flight) flight.received = event.time;
    }
  }
  const lanes = [...new Set([...flights.values()].flatMap((f) => [f.src, f.dest]))].sort(laneOrder)
    .slice(0, maxLanes);
  const laneIndex = new Map(lanes.map((id, i) => [id, i]));
  const shown = [...flights.values()].filter((f) => laneIndex.has(f.src) && laneIndex.has(f.dest));
  if (shown.length === 0) return `<figure><figcaption>Messages: none</figcaption></figure>`;
  const t0 = minOf(shown.map((f) => f.sent));
  const t1 = maxOf(shown.map((f) => f.received ?? f.sent));
  const laneGap = Math.max(24, Math.min(90, 800 / Math.max(1, lanes.length)));
  const width = 60 + laneGap * Math.max(1, lanes.length);
  const height = 560;
  const top = 40;
  const bottom = height - 12;
  const span = t1 > t0 ? t1 - t0 : 1;
  const y = (t: number) => top + ((t - t0) / span) * (bottom - top);
  const x = (id: string) => 40 + laneGap * (laneIndex.get(id) ?? 0);
  const parts: string[] = [
    `<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" ` +
    `orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>`,
  ];
  for (const id of lanes) {
    parts.push(
      `<line x1="${x(id)}" x2="${x(id)}" y1="${top}" y2="${bottom}" class="lane"/>`,
      `<text x="${x(id)}" y="${top - 10}" text-anchor="middle">${escapeXml(id)}</text>`,
    );
  }
  for (const f of shown) {
    const x1 = x(f.src);
    const y1 = y(f.sent);
    const dropped = f.received === undefined;
    const x2 = dropped ? x1 + (x(f.dest) - x1) / 2 : x(f.dest);
    const y2 = dropped ? y1 + 10 : y(f.received as number);
    const ms = dropped ? "dropped" : `${((f.received as number - f.sent) / 1e6).toFixed(1)} ms`;
    parts.push(
      `<line x1="${x1}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ` +
        `class="${dropped ? "msg dropped" : "msg"}" marker-end="url(#arrow)"><title>${
          escapeXml(`${f.src} → ${f.dest} ${f.type} (${ms})`)
        }</title></line>`,
    );
  }
  const seconds = (span / 1e9).toFixed(2);
  return svg(
    { width, height, left: 0, right: width, top, bottom },
    `Messages: the first ${shown.length} (${seconds} s; hover an arrow for its type)`,
    parts.join(""),
  );
}
