/**
 * Finds and names dependency cycles as Elle 0.2.2 does for rw-register histories.
 *
 * Named cycles: per strongly connected component, a breadth-first search for a cycle through one
 * edge of a chosen kind whose other steps use only allowed kinds, named by the kinds its steps
 * take (a step carrying several is labelled as in `REL_NAMES`):
 * - no rw step: G0 if every step is ww (Adya's G0, over the committed versions Elle infers), else
 *   G1c;
 * - one rw step: G-single-item; more, no two adjacent (cyclically): G-nonadjacent-item; more, two
 *   adjacent: G2-item (Elle's G-single, G-nonadjacent and G2 need predicate edges, which
 *   registers never have);
 * - with a realtime step the name gets `-realtime`, else with a process step `-process`.
 *
 * Cycle existence: Elle also reports `<model>-cycle-exists` when the subgraph a model must keep
 * acyclic has a cycle (a nontrivial strongly connected component), skipping models that imply
 * one already reported, whatever the named searches found; the checker drops those a named
 * anomaly already rules out.
 * This makes the verdict independent of how far the named searches get (the search for
 * G-nonadjacent-item, say, keeps only simple cycles, and may miss one behind a shorter walk).
 *
 * @module
 */

import { type AnomalySink, type Deps, txnBrief } from "./deps.ts";
import { DepGraph, kindName, type Path, Rel } from "./graph.ts";
import { friendlyModel, modelsImplying } from "./models.ts";

/** Attempts per component and search before giving up on that search there. */
const MAX_ATTEMPTS = 200;

interface _Search {
  first: number;
  rest: number;
  /** No two rw steps in a row (the first step is rw). */
  spaced?: boolean;
}

/** Names a cycle by the kinds its steps take. */
export function cycleName(kinds: readonly number[]): string {
  const rw = kinds.filter((k) => k === Rel.rw).length;
  let base: string;
  if (rw === 0) base = kinds.includes(Rel.wr) ? "G1c" : "G0";
  else if (rw === 1) base = "G-single-item";
  else {
    const adjacent = kinds.some((k, i) => k === Rel.rw && kinds[(i + 1) % kinds.length] === Rel.rw);
    base = adjacent ? "G2-item" : "G-nonadjacent-item";
  }
  if (kinds.includes(Rel.realtime)) return `${base}-realtime`;
  return kinds.includes(Rel.process) ? `${base}-process` : base;
}

function _searches(extras: number): _Search[] {
  const { ww, wr, rw } = Rel;
  const searches: _Search[] = [
    { first: ww, rest: ww },
    { first: wr, rest: ww | wr },
    { first: rw, rest: ww | wr },
    { first: rw, rest: ww | wr | rw, spaced: true },
    { first: rw, rest: ww | wr | rw },
  ];
  if (extras === 0) return searches;
  return [
    ...searches,
    { first: extras, rest: ww | extras },
    { first: extras, rest: ww | wr | extras },
    { first: rw, rest: ww | wr | extras },
    { first: rw, rest: ww | wr | rw | extras, spaced: true },
    { first: rw, rest: ww | wr | rw | extras },
  ];
}

/**
 * Reports named cycles found in `deps.graph`. `extras` (`Rel.process` or `Rel.realtime`) are the
 * order edges present in the graph. Returns true when some search gave up early.
 */
export function findCycles(deps: Deps, extras: number, report: AnomalySink): boolean {
  const { graph } = deps;
  const found = new Set<string>();
  let gaveUp = false;
  for (const { first, rest, spaced } of _searches(extras)) {
    for (const component of graph.components(first | rest)) {
      const within = new Set(component);
      let attempts = 0;
      search: for (const from of component) {
        for (const [to, kinds] of graph.out[from] as Map<number, number>) {
          if ((kinds & first) === 0 || !within.has(to)) continue;
          if (++attempts > MAX_ATTEMPTS) {
            gaveUp = true;
            break search;
          }
          const back: Path | undefined = spaced
            ? graph.spacedPath(to, from, rest, Rel.rw, within)
            : graph.path(to, from, rest, within);
          // A walk through a vertex twice is not a cycle (the same rw step taken twice, say).
          if (back === undefined || new Set(back.vertices).size < back.vertices.length) continue;
          const vertices = [from, ...back.vertices];
          const stepKinds = [spaced ? Rel.rw : _firstBit(kinds & first), ...back.kinds];
          const name = cycleName(stepKinds);
          const tag = `${name}|${component.reduce((a, b) => Math.min(a, b))}`;
          if (found.has(tag)) break search;
          found.add(tag);
          report(name, {
            cycle: vertices.map((id) => txnBrief(deps.txns[id] as (typeof deps.txns)[number])),
            steps: stepKinds.map((bit, i) => {
              const [a, b] = [vertices[i] as number, vertices[i + 1] as number];
              return { type: kindName(bit), ...deps.why.get(`${a}>${b}>${bit}`) };
            }),
          });
          break search;
        }
      }
    }
  }
  return gaveUp;
}

function _firstBit(kinds: number): number {
  return kinds & -kinds;
}

const REL_BITS = [Rel.ww, Rel.wr, Rel.rw, Rel.process, Rel.realtime];

/** Elle's cycle-existence checks, in its order: a model, and the edges its subgraph takes. */
const EXISTENCE: readonly { model: string; mask: number; extension?: boolean }[] = (() => {
  const { ww, wr, rw, process, realtime } = Rel;
  return [
    { model: "PL-1", mask: ww },
    { model: "PL-2", mask: ww | wr },
    { model: "PL-SI", mask: ww | wr, extension: true },
    { model: "PL-2.99", mask: ww | wr | rw },
    { model: "PL-3", mask: ww | wr | rw },
    { model: "strong-session-PL-1", mask: ww | process },
    { model: "strong-session-PL-2", mask: ww | wr | process },
    { model: "strong-session-snapshot-isolation", mask: ww | wr | process, extension: true },
    { model: "strong-session-serializable", mask: ww | wr | rw | process },
    { model: "strong-PL-1", mask: ww | realtime },
    { model: "strong-PL-2", mask: ww | wr | realtime },
    { model: "strong-snapshot-isolation", mask: ww | wr | realtime, extension: true },
    { model: "PL-SS", mask: ww | wr | rw | realtime },
  ];
})();

/**
 * The nontrivial strongly connected components of `graph` over `mask`; with `extension`, over
 * Elle's sequential extension by rw (a cycle may take rw steps, never two in a row): computed
 * on a graph of (transaction, arrived by rw?) states.
 */
function _components(graph: DepGraph, mask: number, extension: boolean): number[][] {
  if (!extension) return graph.components(mask);
  const states = new DepGraph(graph.size * 2);
  graph.out.forEach((edges, v) => {
    for (const [w, kinds] of edges) {
      if ((kinds & mask) !== 0) {
        states.link(2 * v, 2 * w, 1);
        states.link(2 * v + 1, 2 * w, 1);
      }
      if ((kinds & Rel.rw) !== 0) states.link(2 * v, 2 * w + 1, 1);
    }
  });
  return states.components(1).map((c) => [...new Set(c.map((s) => s >> 1))]);
}

/** Reports Elle's `<model>-cycle-exists` anomalies, skipping models a weaker one's rules out. */
export function cycleExistence(deps: Deps, report: AnomalySink): void {
  const ruledOut = new Set<string>();
  for (const { model, mask, extension } of EXISTENCE) {
    if (ruledOut.has(model)) continue;
    const components = _components(deps.graph, mask, extension === true);
    if (components.length === 0) continue;
    const smallest = components.reduce((a, b) => (b.length < a.length ? b : a));
    const union = ["union", ...REL_BITS.filter((b) => (mask & b) !== 0).map(kindName)];
    report(`${model}-cycle-exists`, {
      not: friendlyModel(model),
      subgraph: extension ? ["extension", union, ["union", "rw"]] : union,
      "scc-size": smallest.length,
      scc: smallest.map((id) => deps.txns[id]?.op.index).sort((a, b) => (a ?? 0) - (b ?? 0)),
    });
    for (const m of modelsImplying(model)) ruledOut.add(m);
  }
}
