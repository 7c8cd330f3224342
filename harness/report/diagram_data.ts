/**
 * The whole run's messages as the report's diagram draws them: columnar arrays (lane of the
 * sender and of the recipient, type, send and delivery times) that a page parses in a few
 * milliseconds, the bodies for hovering, and the fault windows to shade. Bodies come from
 * `messages.jsonl` ({@linkcode readBodies}), since the in-memory journal keeps only types.
 *
 * @module
 */

import type { JournalEvent } from "../net/journal.ts";
import type { Op } from "../history.ts";
import { downWindows, partitionWindows } from "./plots.ts";
import { LineSplitter } from "../../lib/line_stream.ts";

/** What the page's diagram script reads (times in ms since the start, rounded to 1 µs). */
export interface DiagramData {
  lanes: string[];
  types: string[];
  /** Per message: index into `lanes` of its sender and its recipient. */
  src: number[];
  dest: number[];
  /** Per message: index into `types`. */
  type: number[];
  sent: number[];
  /** Delivery time, or -1 for a message never delivered (dropped by a partition or a crash). */
  recv: number[];
  /** The body as JSON (cut to {@linkcode BODY_CHARS}), or "" where not embedded. */
  bodies: string[];
  /** Partitions: `[from, to]`; nodes down or paused: `[from, to, label, lane]`. */
  partitions: [number, number][];
  down: [number, number, string, number][];
  /** The end of the run (ms). */
  end: number;
  /** Messages left out past {@linkcode DiagramOptions.maxMessages}. */
  omitted: number;
}

/** Options of {@linkcode diagramData}. */
export interface DiagramOptions {
  /** Bodies by the network's message id (from {@linkcode readBodies}). */
  bodies?: ReadonlyMap<number, string>;
  /**
   * At most this many messages, the first ones (default 100 000: about 3.5 MB of page; 3d has
   * about 29 000).
   */
  maxMessages?: number;
}

/** How many characters of a body the report keeps for hovering. */
export const BODY_CHARS = 600;

/** Nodes first (n0, n1, … in numeric order), then services, then clients. */
export function laneOrder(a: string, b: string): number {
  const rank = (id: string) => (id.startsWith("c") ? 2 : /^n\d/.test(id) ? 0 : 1);
  return rank(a) - rank(b) || a.localeCompare(b, "en", { numeric: true });
}

function _ms(ns: number): number {
  return Math.round(ns / 1e3) / 1e3;
}

/** Builds the diagram's data from the journal and the history (for the fault windows). */
export function diagramData(
  journal: Iterable<JournalEvent>,
  history: readonly Op[],
  options: DiagramOptions = {},
): DiagramData {
  const max = options.maxMessages ?? 100_000;
  const at = new Map<number, number>();
  const flights: { src: string; dest: string; type: string; sent: number; id: number }[] = [];
  const recv: number[] = [];
  let omitted = 0;
  let end = 0;
  for (const event of journal) {
    end = Math.max(end, event.time);
    if (event.type === "send") {
      if (flights.length >= max) {
        omitted++;
        continue;
      }
      at.set(event.id, flights.length);
      flights.push({
        src: event.src,
        dest: event.dest,
        type: event.bodyType,
        sent: event.time,
        id: event.id,
      });
      recv.push(-1);
    } else {
      const i = at.get(event.id);
      if (i !== undefined) recv[i] = _ms(event.time);
    }
  }
  const last = history[history.length - 1];
  if (last !== undefined) end = Math.max(end, last.time);
  const lanes = [...new Set(flights.flatMap((f) => [f.src, f.dest]))].sort(laneOrder);
  const laneIndex = new Map(lanes.map((id, i) => [id, i]));
  const types = [...new Set(flights.map((f) => f.type))].sort();
  const typeIndex = new Map(types.map((t, i) => [t, i]));
  const endS = end / 1e9;
  return {
    lanes,
    types,
    src: flights.map((f) => laneIndex.get(f.src) ?? 0),
    dest: flights.map((f) => laneIndex.get(f.dest) ?? 0),
    type: flights.map((f) => typeIndex.get(f.type) ?? 0),
    sent: flights.map((f) => _ms(f.sent)),
    recv,
    bodies: flights.map((f) => options.bodies?.get(f.id) ?? ""),
    partitions: partitionWindows(history, endS).map(([a, b]) => [a * 1e3, b * 1e3]),
    down: downWindows(history, endS).flatMap(([a, b, label]) => {
      const lane = laneIndex.get(label.split(" ")[0] ?? "");
      return lane === undefined ? [] : [[a * 1e3, b * 1e3, label, lane] as const];
    }).map(([a, b, label, lane]) => [a, b, label, lane]),
    end: _ms(end),
    omitted,
  };
}

const _SEND_PREFIX = '{"type":"send",';
const _SEND_ID = /^\{"type":"send","time":-?[\d.e+]+,"id":(\d+),/;
const _BODY_FIELD = ',"body":';

const _encoder = new TextEncoder();
const _decoder = new TextDecoder();

/** `text` as a string of its own (a slice of a longer string shares, and keeps, its parent). */
function _copy(text: string): string {
  return _decoder.decode(_encoder.encode(text));
}

/** Options of {@linkcode readBodies}. */
export interface ReadBodiesOptions {
  /** Stop keeping bodies past this many characters in all (default 6 million). */
  maxChars?: number;
}

/**
 * The bodies of the sends in a `messages.jsonl` file, by message id, each cut to
 * {@linkcode BODY_CHARS}; streamed, so a long run's file is never held whole. Empty when the
 * file is missing.
 */
export async function readBodies(
  path: string,
  options: ReadBodiesOptions = {},
): Promise<Map<number, string>> {
  const budget = options.maxChars ?? 6_000_000;
  const bodies = new Map<number, string>();
  let file;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return bodies;
    throw error;
  }
  let chars = 0;
  const splitter = new LineSplitter();
  const onLine = (line: string) => {
    if (chars >= budget || !line.startsWith(_SEND_PREFIX)) return;
    // The network writes each send as `{"type":"send","time":…,"id":…,"src":…,"dest":…,"body":…}`
    // (journal.ts): the id and the body's text are cut out of the line, not parsed, so a long
    // run's big bodies (broadcast's read replies) make no garbage. Inside a JSON string a quote
    // is escaped, so the first `,"body":` is the field's.
    const id = _SEND_ID.exec(line);
    const at = line.indexOf(_BODY_FIELD);
    if (id === null || at < 0 || !line.endsWith("}")) return;
    const end = Math.min(line.length - 1, at + _BODY_FIELD.length + BODY_CHARS);
    // A slice would keep the whole chunk read from the file alive: copy the text out.
    const text = _copy(line.slice(at + _BODY_FIELD.length, end));
    const body = end < line.length - 1 ? `${text}…` : text;
    chars += body.length;
    bodies.set(Number(id[1]), body);
  };
  for await (const chunk of file.readable.pipeThrough(new TextDecoderStream())) {
    splitter.push(chunk, onLine);
    if (chars >= budget) break;
  }
  splitter.flush(onLine);
  return bodies;
}
