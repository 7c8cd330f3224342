/**
 * Elle's consistency-model lattice (`elle.consistency-model`, Elle 0.2.2, which Maelstrom v0.2.4
 * runs): which models imply which, which anomalies each model proscribes, and which anomalies
 * imply which. From these, as Elle does: the anomalies a set of models prohibits (a history
 * showing any of them fails), and the models a set of anomalies rules out (`not`, the weakest,
 * and `also-not`, the rest).
 *
 * Names: Elle works on canonical names (`PL-2` for read-committed) and reports friendly ones;
 * where two friendly names share a canonical one, we report `serializable` (as Elle does) and
 * `strict-serializable`.
 *
 * @module
 */

/** Friendly model names and their canonical forms (Adya's where Elle has one). */
const CANONICAL: Readonly<Record<string, string>> = {
  "consistent-view": "PL-2+",
  "conflict-serializable": "PL-3",
  "cursor-stability": "PL-CS",
  "forward-consistent-view": "PL-FCV",
  "monotonic-snapshot-read": "PL-MSR",
  "monotonic-view": "PL-2L",
  "read-committed": "PL-2",
  "read-uncommitted": "PL-1",
  "repeatable-read": "PL-2.99",
  "serializable": "PL-3",
  "snapshot-isolation": "PL-SI",
  "strict-serializable": "PL-SS",
  "strong-serializable": "PL-SS",
  "update-serializable": "PL-3U",
  "strong-session-read-uncommitted": "strong-session-PL-1",
  "strong-session-read-committed": "strong-session-PL-2",
  "strong-read-uncommitted": "strong-PL-1",
  "strong-read-committed": "strong-PL-2",
};

/** Canonical names back to the friendly names we report. */
const FRIENDLY: ReadonlyMap<string, string> = new Map(
  Object.entries(CANONICAL).filter(([f]) =>
    f !== "conflict-serializable" && f !== "strong-serializable"
  )
    .map(([f, c]) => [c, f]),
);

/** If a history satisfies a model, it satisfies each model listed for it (any names). */
const IMPLIES: Readonly<Record<string, readonly string[]>> = {
  "causal-cerone": ["read-atomic"],
  "consistent-view": ["cursor-stability", "monotonic-view"],
  "conflict-serializable": ["view-serializable"],
  "cursor-stability": ["read-committed", "PL-2"],
  "forward-consistent-view": ["consistent-view"],
  "PL-2": ["PL-1"],
  "PL-3": ["repeatable-read", "update-serializable"],
  "update-serializable": ["forward-consistent-view"],
  "monotonic-atomic-view": ["read-committed"],
  "monotonic-view": ["PL-2"],
  "monotonic-snapshot-read": ["PL-2"],
  "parallel-snapshot-isolation": ["causal-cerone", "update-atomic"],
  "prefix": ["causal-cerone"],
  "read-atomic": ["monotonic-atomic-view"],
  "read-committed": ["read-uncommitted"],
  "repeatable-read": ["cursor-stability", "monotonic-atomic-view"],
  "update-atomic": ["read-atomic"],
  "serializable": ["repeatable-read", "snapshot-isolation", "view-serializable"],
  "session-serializable": ["1SR"],
  "snapshot-isolation": [
    "forward-consistent-view",
    "monotonic-atomic-view",
    "monotonic-snapshot-read",
    "parallel-snapshot-isolation",
    "prefix",
  ],
  "strict-serializable": [
    "PL-3",
    "serializable",
    "linearizable",
    "snapshot-isolation",
    "strong-snapshot-isolation",
    "strong-session-serializable",
  ],
  "strong-session-PL-1": ["PL-1"],
  "strong-session-PL-2": ["PL-2", "strong-session-PL-1"],
  "strong-PL-1": ["strong-session-PL-1"],
  "strong-PL-2": ["strong-session-PL-2", "strong-PL-1"],
  "strong-session-serializable": ["serializable", "strong-session-snapshot-isolation"],
  "strong-session-snapshot-isolation": ["snapshot-isolation", "strong-session-PL-2"],
  "strong-serializable": ["session-serializable"],
  "strong-snapshot-isolation": ["strong-session-snapshot-isolation", "strong-PL-2"],
  "linearizable": ["sequential"],
  "sequential": ["causal"],
  "causal": ["writes-follow-reads", "PRAM"],
  "PRAM": ["monotonic-reads", "monotonic-writes", "read-your-writes"],
};

/** The anomalies each model proscribes beyond those of the models it implies (any names). */
const PROSCRIBES: Readonly<Record<string, readonly string[]>> = {
  "causal-cerone": ["internal", "G1a"],
  "cursor-stability": ["G1", "G-cursor", "lost-update"],
  "monotonic-view": ["G1", "G-monotonic"],
  "monotonic-snapshot-read": ["G1", "G-MSR"],
  "consistent-view": ["G1", "G-single"],
  "forward-consistent-view": ["G1", "G-SIb"],
  "parallel-snapshot-isolation": ["internal", "G1a"],
  "PL-3": ["G1", "G2", "predicate-read-miss", "PL-3-cycle-exists"],
  "PL-2": ["G1", "PL-2-cycle-exists"],
  "PL-1": ["G0", "duplicate-elements", "cyclic-versions", "PL-1-cycle-exists"],
  "prefix": ["internal", "G1a"],
  "serializable": ["internal"],
  "snapshot-isolation": ["internal", "G1", "G-SI", "G-nonadjacent", "PL-SI-cycle-exists"],
  "read-atomic": ["internal", "G1a", "future-read"],
  "repeatable-read": ["G1", "G2-item", "PL-2.99-cycle-exists", "lost-update"],
  "update-atomic": ["lost-update"],
  "strict-serializable": ["G1", "G1c-realtime", "G2-realtime", "PL-SS-cycle-exists"],
  "strong-session-PL-1": ["strong-session-PL-1-cycle-exists", "G0-process"],
  "strong-session-PL-2": ["strong-session-PL-2-cycle-exists", "G1c-process"],
  "strong-PL-1": ["strong-PL-1-cycle-exists", "G0-realtime"],
  "strong-PL-2": ["strong-PL-2-cycle-exists", "G1c-realtime"],
  "strong-session-snapshot-isolation": [
    "internal",
    "G1-process",
    "G-nonadjacent-process",
    "strong-session-snapshot-isolation-cycle-exists",
  ],
  "strong-snapshot-isolation": [
    "internal",
    "G1-realtime",
    "G-nonadjacent-realtime",
    "strong-snapshot-isolation-cycle-exists",
  ],
  "strong-session-serializable": [
    "G1-process",
    "G2-process",
    "strong-session-serializable-cycle-exists",
  ],
  "update-serializable": ["G1", "G-update"],
};

/** Each anomaly implies the anomalies listed for it (a G0 cycle is also a G1c cycle, ...). */
const ANOMALY_IMPLIES: Readonly<Record<string, readonly string[]>> = {
  "G0": ["G1c", "G0-process"],
  "G0-process": ["G1c-process", "G0-realtime"],
  "G0-realtime": ["G1c-realtime"],
  "G1a": ["G1"],
  "G1b": ["G1"],
  "G1c": ["G1", "G1c-process"],
  "G1c-process": ["G1c-realtime", "G1-process"],
  "G1c-realtime": ["G1-realtime"],
  "G1": ["G1-process"],
  "G1-process": ["G1-realtime"],
  "G-single-item": ["G-single", "G-single-item-process", "G-nonadjacent-item"],
  "G-single-item-process": [
    "G-single-process",
    "G-single-item-realtime",
    "G-nonadjacent-item-process",
  ],
  "G-single-item-realtime": ["G-single-realtime", "G-nonadjacent-item-realtime"],
  "G-single": ["G-nonadjacent", "GSIb", "G-single-process"],
  "G-single-process": ["G-nonadjacent-process", "G-single-realtime"],
  "G-single-realtime": ["G-nonadjacent-realtime"],
  "G-nonadjacent-item": ["G-nonadjacent", "G2-item", "G-nonadjacent-item-process"],
  "G-nonadjacent-item-process": [
    "G-nonadjacent-process",
    "G2-item-process",
    "G-nonadjacent-item-realtime",
  ],
  "G-nonadjacent-item-realtime": ["G2-item-realtime", "G-nonadjacent-realtime"],
  "G-nonadjacent": ["G2", "G-nonadjacent-process"],
  "G-nonadjacent-process": ["G2-process", "G-nonadjacent-realtime"],
  "G-nonadjacent-realtime": ["G2-realtime"],
  "G2": ["G2-process"],
  "G2-item": ["G2", "G2-item-process"],
  "G2-item-process": ["G2-process", "G2-item-realtime"],
  "G2-item-realtime": ["G2-realtime"],
  "G2-process": ["G2-realtime"],
  "GSIa": ["GSI"],
  "GSIb": ["GSI"],
  "incompatible-order": ["G1a"],
  "future-read": ["G1c"],
  "dirty-update": ["G1a"],
  "lost-update": ["write-skew", "G2-item"],
  "write-skew": ["G2"],
};

/** Returns the canonical name of a model (itself when it has no other). */
export function canonicalModel(model: string): string {
  return CANONICAL[model] ?? model;
}

/** Returns the name a model is reported by. */
export function friendlyModel(model: string): string {
  return FRIENDLY.get(canonicalModel(model)) ?? model;
}

/** A graph over canonical names, both ways. */
interface _Dag {
  out: Map<string, Set<string>>;
  in: Map<string, Set<string>>;
}

function _dag(edges: Readonly<Record<string, readonly string[]>>, name: (s: string) => string) {
  const dag: _Dag = { out: new Map(), in: new Map() };
  for (const [from, tos] of Object.entries(edges)) {
    for (const to of tos) {
      const [a, b] = [name(from), name(to)];
      (dag.out.get(a) ?? dag.out.set(a, new Set()).get(a) as Set<string>).add(b);
      (dag.in.get(b) ?? dag.in.set(b, new Set()).get(b) as Set<string>).add(a);
    }
  }
  return dag;
}

const MODELS = _dag(IMPLIES, canonicalModel);
const DIRECT = _dag(PROSCRIBES, (s) => (s in PROSCRIBES ? canonicalModel(s) : s));
const ANOMALIES = _dag(ANOMALY_IMPLIES, (s) => s);

/** Everything reachable from `start` (itself included) along `next`. */
function _reach(start: Iterable<string>, next: Map<string, Set<string>>): Set<string> {
  const seen = new Set(start);
  const queue = [...seen];
  for (let i = 0; i < queue.length; i++) {
    for (const n of next.get(queue[i] as string) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

/** Every model name Elle knows, friendly and canonical. */
export const ALL_MODELS: ReadonlySet<string> = new Set([
  ...MODELS.out.keys(),
  ...MODELS.in.keys(),
  ...Object.keys(CANONICAL),
  ...Object.values(CANONICAL),
]);

/** The anomalies a history must not show if all of `models` hold (Elle's `anomalies-prohibited-by`). */
export function prohibitedAnomalies(models: readonly string[]): Set<string> {
  const implied = _reach(models.map(canonicalModel), MODELS.out);
  const direct = [...implied].flatMap((m) => [...(DIRECT.out.get(m) ?? [])]);
  return _reach(direct, ANOMALIES.in);
}

/** The canonical models that anomalies of these types rule out (Elle's `anomalies->impossible-models`). */
export function impossibleModels(anomalies: Iterable<string>): Set<string> {
  const implied = _reach(anomalies, ANOMALIES.out);
  const direct = [...implied].flatMap((a) => [...(DIRECT.in.get(a) ?? [])]);
  return _reach(direct, MODELS.in);
}

/** Whether `model` implies `other` (any names; a model implies itself). */
export function modelImplies(model: string, other: string): boolean {
  return _reach([canonicalModel(model)], MODELS.out).has(canonicalModel(other));
}

/** The canonical models implying `model`, itself included: those ruled out with it. */
export function modelsImplying(model: string): Set<string> {
  return _reach([canonicalModel(model)], MODELS.in);
}

/**
 * The models that anomalies of these types rule out, as Elle's `friendly-boundary`: `not` holds
 * the weakest (none of them implies another of the set), `also-not` the rest; both friendly and
 * sorted.
 */
export function boundary(anomalies: Iterable<string>): { not: string[]; alsoNot: string[] } {
  const impossible = impossibleModels(anomalies);
  const weakest = [...impossible].filter((m) =>
    ![..._reach([m], MODELS.out)].some((w) => w !== m && impossible.has(w))
  );
  const sorted = (ms: string[]) => [...new Set(ms.map(friendlyModel))].sort();
  return {
    not: sorted(weakest),
    alsoNot: sorted([...impossible].filter((m) => !weakest.includes(m))),
  };
}
