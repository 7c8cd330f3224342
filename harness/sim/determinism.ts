/**
 * The determinism check: `deno task sim test … --determinism` runs the same command (same seed)
 * twice and compares what the two runs wrote, line by line: the message journal (every send and
 * delivery, with virtual times) and the history. A node that reads the wall clock, calls
 * `Math.random` or `crypto`, or sets real timers instead of using `node.clock` and `node.random`
 * makes them differ; the check names the first line where they do, which says which node and
 * which message went another way.
 *
 * @module
 */

/** Where two runs' files first differ. */
export interface Divergence {
  /** `messages.jsonl` or `history.jsonl`. */
  file: string;
  /** 1-based line number. */
  line: number;
  /** That line in each run (`(end of file)` when one run wrote fewer lines). */
  first: string;
  second: string;
}

/** The first line where `a` and `b` differ, or undefined when they are the same text. */
export function firstDifference(
  file: string,
  a: string,
  b: string,
): Divergence | undefined {
  if (a === b) return undefined;
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      return {
        file,
        line: i + 1,
        first: la[i] ?? "(end of file)",
        second: lb[i] ?? "(end of file)",
      };
    }
  }
  return undefined;
}

/** Compares two run directories: messages first (the earliest evidence), then the history. */
export async function compareRuns(dirA: string, dirB: string): Promise<Divergence | undefined> {
  for (const file of ["messages.jsonl", "history.jsonl"]) {
    const [a, b] = await Promise.all([
      Deno.readTextFile(`${dirA}/${file}`),
      Deno.readTextFile(`${dirB}/${file}`),
    ]);
    const divergence = firstDifference(file, a, b);
    if (divergence !== undefined) return divergence;
  }
  return undefined;
}

/** The check's report: deterministic, or the first divergence and what usually causes one. */
export function formatDivergence(divergence: Divergence | undefined, seed: number): string {
  if (divergence === undefined) {
    return `deterministic: two runs of seed ${seed} wrote identical messages and history`;
  }
  const cut = (line: string) => line.length > 300 ? `${line.slice(0, 300)}…` : line;
  return [
    `NOT deterministic: two runs of seed ${seed} differ first at ${divergence.file} line ${divergence.line}`,
    `  first run:  ${cut(divergence.first)}`,
    `  second run: ${cut(divergence.second)}`,
    "  a node reads the wall clock, Math.random or crypto, or sets real timers, instead of",
    "  node.clock and node.random (docs/simulation.md, Making a node simulatable)",
  ].join("\n");
}
