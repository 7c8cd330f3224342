/**
 * Finds and names dependency cycles, as Elle does: per strongly connected component, a search for
 * a cycle through one edge of a chosen kind whose other steps use only allowed kinds, named by
 * the kinds it actually uses:
 * - only ww: G0; ww and wr: G1c; exactly one rw: G-single; two or more rw: G2-item;
 * - with a realtime step, the name gets `-realtime`; else with a process step, `-process`.
 *
 * @module
 */

import { type AnomalySink, type Deps, txnBrief } from "./txn_deps.ts";
import { Rel, stepKind } from "./txn_graph.ts";

/** Attempts per component and search before giving up on that search there. */
const MAX_ATTEMPTS = 200;

interface _Search {
  first: number;
  rest: number;
}

function _name(kinds: string[]): string {
  const rw = kinds.filter((k) => k === "rw").length;
  const base = rw === 0 ? (kinds.includes("wr") ? "G1c" : "G0") : rw === 1 ? "G-single" : "G2-item";
  if (kinds.includes("realtime")) return `${base}-realtime`;
  return kinds.includes("process") ? `${base}-process` : base;
}

/**
 * Reports every cycle class found in `deps.graph`. `extras` (`Rel.process`, `Rel.realtime`) are
 * the non-dependency edges present in the graph. Returns true when some search gave up early.
 */
export function findCycles(deps: Deps, extras: number, report: AnomalySink): boolean {
  const { ww, wr, rw } = Rel;
  const searches: _Search[] = [
    { first: ww, rest: ww },
    { first: wr, rest: ww | wr },
    { first: rw, rest: ww | wr },
    { first: rw, rest: ww | wr | rw },
  ];
  if (extras !== 0) {
    searches.push(
      { first: extras, rest: ww | wr | extras },
      { first: rw, rest: ww | wr | extras },
      { first: rw, rest: ww | wr | rw | extras },
    );
  }
  const found = new Set<string>();
  let gaveUp = false;
  for (const { first, rest } of searches) {
    for (const component of deps.graph.components(first | rest)) {
      const within = new Set(component);
      let attempts = 0;
      search: for (const from of component) {
        for (const [to, kinds] of deps.graph.out[from] as Map<number, number>) {
          if ((kinds & first) === 0 || !within.has(to)) continue;
          if (++attempts > MAX_ATTEMPTS) {
            gaveUp = true;
            break search;
          }
          const back = deps.graph.path(to, from, rest, within);
          if (back === undefined) continue;
          const cycle = [from, ...back];
          const steps = cycle.slice(1).map((b, i) => {
            const a = cycle[i] as number;
            const kind = stepKind(deps.graph.kinds(a, b) & (i === 0 ? first : rest));
            const bit = ({ ww, wr, rw, process: Rel.process, realtime: Rel.realtime } as Record<
              string,
              number
            >)[kind] ?? 0;
            return { type: kind, ...(deps.why.get(`${a}>${b}>${bit}`) ?? {}) };
          });
          const name = _name(steps.map((s) => s.type));
          const tag = `${name}|${Math.min(...component)}`;
          if (found.has(tag)) break search;
          found.add(tag);
          report(name, {
            cycle: cycle.map((id) => txnBrief(deps.txns[id] as (typeof deps.txns)[number])),
            steps,
          });
          break search;
        }
      }
    }
  }
  return gaveUp;
}
