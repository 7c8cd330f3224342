/**
 * The store: one directory per run, `store/<workload>/<yyyyMMddTHHmmss.SSS>/`, holding
 * `results.json`, `history.jsonl`, `messages.jsonl` and `node-logs/`, plus the symlinks
 * `store/latest` and `store/<workload>/latest`.
 *
 * @module
 */

import type { Op } from "./history.ts";

function _pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** The run directory's name for `date`, in local time: `yyyyMMddTHHmmss.SSS`. */
export function timestampName(date: Date): string {
  return `${date.getFullYear()}${_pad(date.getMonth() + 1)}${_pad(date.getDate())}T` +
    `${_pad(date.getHours())}${_pad(date.getMinutes())}${_pad(date.getSeconds())}.` +
    _pad(date.getMilliseconds(), 3);
}

/**
 * Creates a fresh run directory with its `node-logs/` and returns its path. A name already taken
 * (two runs in one millisecond) moves on by a millisecond.
 */
export async function createRunDir(
  root: string,
  workload: string,
  date = new Date(),
): Promise<string> {
  await Deno.mkdir(`${root}/${workload}`, { recursive: true });
  for (let ms = date.getTime();; ms++) {
    const dir = `${root}/${workload}/${timestampName(new Date(ms))}`;
    try {
      await Deno.mkdir(dir);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) continue;
      throw error;
    }
    await Deno.mkdir(`${dir}/node-logs`);
    return dir;
  }
}

/** Writes `value` as pretty JSON. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}

/** How many characters of history {@linkcode writeHistory} encodes at a time. */
const _HISTORY_CHUNK_CHARS = 1 << 20;

/**
 * Writes the history, one op per line, a chunk of about a megabyte at a time, so a long run's
 * history is never held as one string (a 25-node run at rate 1000 writes over 100 MB).
 */
export async function writeHistory(path: string, ops: Iterable<Op>): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let chunk: string[] = [];
  let chars = 0;
  const flush = async () => {
    const bytes = encoder.encode(chunk.join(""));
    chunk = [];
    chars = 0;
    for (let written = 0; written < bytes.length;) {
      written += await file.write(bytes.subarray(written));
    }
  };
  for (const op of ops) {
    const line = JSON.stringify(op) + "\n";
    chunk.push(line);
    chars += line.length;
    if (chars >= _HISTORY_CHUNK_CHARS) await flush();
  }
  if (chars > 0) await flush();
}

/** Points `link` at `target` (relative), replacing any old link atomically via rename. */
async function _relink(link: string, target: string): Promise<void> {
  const temp = `${link}.tmp-${crypto.randomUUID()}`;
  await Deno.symlink(target, temp);
  try {
    await Deno.rename(temp, link);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** Points `store/latest` and `store/<workload>/latest` at the run directory `dir`. */
export async function linkLatest(root: string, workload: string, dir: string): Promise<void> {
  const name = dir.slice(dir.lastIndexOf("/") + 1);
  await _relink(`${root}/${workload}/latest`, name);
  await _relink(`${root}/latest`, `${workload}/${name}`);
}
