/**
 * What `deno task bench` runs: the fourteen official configurations (from
 * {@linkcode OFFICIAL_RUNS}, flags not repeated here) plus the extra design modes the challenge
 * issues define, each with the best published figure to compare against and its source.
 *
 * Published figures are cited, never reproduced from anyone's code.
 *
 * @module
 */

import type { Goal } from "./bench_details.ts";
import { OFFICIAL_RUNS, officialRun } from "./official.ts";

/** A published figure and where it comes from. */
export interface Published {
  /** The figure as printed, e.g. `"22.78 msgs/op, 177 / - / 237 ms"`. */
  figure: string;
  /** A short citation, e.g. `"community write-ups (Go)"`. */
  source: string;
}

/** One benchmark configuration. */
export interface BenchConfig {
  /** Short name: the official run's (`"3d"`) or `<official>-<variant>` for extras. */
  name: string;
  /** The challenge entrypoint's name (`challenges/<challenge>.ts`). */
  challenge: string;
  /** `maelstrom test` flags after `-w <workload> --bin <bin>`. */
  flags: readonly string[];
  /** Environment for the nodes; the other mode variables (`MODE_VARS`) are unset during the run. */
  env: Readonly<Record<string, string>>;
  /** What the run is held to (the official limit). */
  target: string;
  /** Our own, tighter goal for the design mode, if it has one. */
  goal?: Goal;
  /** Figures to print beside ours (may be empty). */
  published: readonly Published[];
  /** True for the fourteen official runs. */
  official: boolean;
}

const BEST_3D = {
  figure: "22.78 msgs/op, 177 / - / 237 ms",
  source: "community write-ups (Go, star on n0)",
};
const BEST_3E = [
  { figure: "2.80 msgs/op, 269 / - / 757 ms", source: "community write-ups (balance A)" },
  { figure: "1.92 msgs/op, 764 / - / 1087 ms", source: "community write-ups (balance B)" },
];
const KAFKA_5C = [
  { figure: "7.19 msgs/op all, 4.73 servers", source: "fly.io/dist-sys 5c seed solution" },
  { figure: "2.3 msgs/op all, availability 0.99915", source: "community write-ups" },
];
const TXN_G0 = {
  figure: "dirty writes (P0) not checked by Maelstrom; a warning here, fatal with --strict",
  source: "maelstrom #56",
};

/**
 * Published figures by configuration name: the best ones known to us. The official limits
 * (fly.io/dist-sys: 3d < 30 msgs/op, < 400 ms median, < 600 ms max; 3e < 20, < 1 s, < 2 s) are
 * the runs' targets, so they sit in the target column instead.
 */
export const PUBLISHED: Readonly<Record<string, readonly Published[]>> = {
  "3d": [BEST_3D],
  "3e": BEST_3E,
  "3de-latency": [BEST_3D],
  "3de-balanced": [BEST_3D, BEST_3E[0] as Published],
  "3de-efficient": BEST_3E,
  "3de-frugal": BEST_3E,
  "5c": KAFKA_5C,
  "5b-replicated": KAFKA_5C,
  "6a": [TXN_G0],
  "6b": [TXN_G0],
  "6c": [TXN_G0],
  "6c-read-atomic": [TXN_G0],
  "6c-5n": [TXN_G0],
  "6c-5n-strict": [TXN_G0],
  "6b-no-nemesis": [TXN_G0],
};

/**
 * Our goals per broadcast mode (servers msgs/op, stable latency median and max, ms): 3d runs
 * `latency` mode, 3e `efficient`; `balanced` (the default) is held within both official limits;
 * `frugal` spends the fewest messages inside the 3e limits with margin.
 */
export const GOALS: Readonly<Record<string, Goal>> = {
  "3d": { msgsPerOp: 12.5, medianMs: 110, maxMs: 220 },
  "3de-balanced": { msgsPerOp: 2.4, medianMs: 265, maxMs: 400 },
  "3e": { msgsPerOp: 1.5, medianMs: 330, maxMs: 500 },
  "3de-frugal": { msgsPerOp: 0.8, medianMs: 900, maxMs: 1800 },
};

/** Returns a copy of `flags` with `flag`'s value replaced (appended when absent). */
export function withFlag(flags: readonly string[], flag: string, value: string): string[] {
  const copy = [...flags];
  const at = copy.indexOf(flag);
  if (at === -1) copy.push(flag, value);
  else copy[at + 1] = value;
  return copy;
}

function _extra(
  name: string,
  base: string,
  change: { flags?: readonly string[]; env?: Record<string, string>; target?: string },
): Omit<BenchConfig, "published" | "official"> {
  const run = officialRun(base);
  return {
    name,
    challenge: run.challenge,
    flags: change.flags ?? run.flags,
    env: change.env ?? run.env ?? {},
    target: change.target ?? run.target,
  };
}

/** The extra modes from the challenge issues, before duplicates of official runs are dropped. */
function _extras(): Omit<BenchConfig, "published" | "official">[] {
  const c6 = officialRun("6c").flags;
  const fiveNodes = withFlag(c6, "--node-count", "5");
  const calm6b = officialRun("6b").flags.filter((f, i, all) =>
    f !== "--nemesis" && all[i - 1] !== "--nemesis"
  );
  return [
    ...["latency", "balanced", "efficient"].map((mode) =>
      _extra(`3de-${mode}`, "3d", {
        env: { BROADCAST_MODE: mode },
        target: "3d and 3e limits (< 20 msgs/op, < 400 ms median, < 600 ms max)",
      })
    ),
    _extra("3de-frugal", "3d", {
      env: { BROADCAST_MODE: "frugal" },
      target: "3e limits with margin (< 20 msgs/op, ≤ 900 ms median, ≤ 1.8 s max)",
    }),
    _extra("4-crdt", "4", { env: { COUNTER_MODE: "crdt" } }),
    _extra("5b-lin-kv", "5b", { env: { KAFKA_MODE: "lin-kv" } }),
    _extra("5b-replicated", "5b", { env: {} }),
    _extra("6c-read-atomic", "6c", {
      flags: withFlag(c6, "--consistency-models", "read-atomic"),
    }),
    _extra("6b-no-nemesis", "6b", { flags: calm6b }),
    _extra("6c-5n", "6c", { flags: withFlag(fiveNodes, "--consistency-models", "read-atomic") }),
    _extra("6c-5n-strict", "6c", {
      flags: [...withFlag(fiveNodes, "--consistency-models", "read-atomic"), "--strict"],
    }),
    ...faultConfigs(),
  ];
}

/**
 * The fault rows: every official run again with `--nemesis partition,kill,pause` at a 5 s interval
 * (in 20 s, two or three kills, each node restarted from its own directory, and as many pauses,
 * each freezing a node for 2.5–7.5 s), beyond Maelstrom. A request to a dead or frozen node times
 * out, so `--availability total` is dropped (availability is reported, not required); transaction
 * runs add `--final-reads`, so a write lost on a restart is reported.
 * 3c's row would repeat 3b's (3c is 3b with partitions) and is dropped with the other repeats.
 * Echo has none: it keeps no state to lose, and Maelstrom's echo checker fails every request that
 * is not answered, so a request to a dead node fails the run whatever the node does.
 */
export function faultConfigs(): Omit<BenchConfig, "published" | "official">[] {
  return OFFICIAL_RUNS.filter((run) => run.challenge !== "echo").map((run) => {
    let flags = run.flags.filter((f, i, all) =>
      f !== "--availability" && all[i - 1] !== "--availability"
    );
    flags = withFlag(
      withFlag(flags, "--nemesis", "partition,kill,pause"),
      "--nemesis-interval",
      "5",
    );
    if (run.challenge === "txn-rw-register") flags.push("--final-reads");
    return _extra(`${run.name}-faults`, run.name, {
      flags,
      target: "valid under partition,kill,pause: nothing acknowledged lost",
    });
  });
}

function _key(c: { challenge: string; flags: readonly string[]; env?: Record<string, string> }) {
  const env = Object.entries(c.env ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([c.challenge, c.flags, env]);
}

/**
 * Every benchmark configuration: the official runs in order, then the extras that differ from
 * every official run (3d already is `latency` mode, 3e `efficient`, 5b `lin-kv`: those extras
 * would repeat them and are dropped).
 */
export function benchConfigs(): BenchConfig[] {
  const official: BenchConfig[] = OFFICIAL_RUNS.map((run) => ({
    name: run.name,
    challenge: run.challenge,
    flags: run.flags,
    env: run.env ?? {},
    target: run.target,
    published: PUBLISHED[run.name] ?? [],
    official: true,
    ...(GOALS[run.name] === undefined ? {} : { goal: GOALS[run.name] as Goal }),
  }));
  const seen = new Set(OFFICIAL_RUNS.map(_key));
  const extras: BenchConfig[] = [];
  for (const extra of _extras()) {
    const key = _key(extra);
    if (seen.has(key)) continue;
    seen.add(key);
    const goal = GOALS[extra.name];
    extras.push({
      ...extra,
      published: PUBLISHED[extra.name] ?? [],
      official: false,
      ...(goal === undefined ? {} : { goal }),
    });
  }
  return [...official, ...extras];
}

/**
 * Keeps the configurations named in `only` (all when undefined), in table order. A name is a
 * configuration's (`3d`), a challenge's (`g-counter`: all of its configurations), or `faults`
 * (every fault row of {@linkcode faultConfigs}).
 *
 * @throws {RangeError} When a name matches no configuration; the message lists the names.
 */
export function selectConfigs(
  configs: readonly BenchConfig[],
  only: readonly string[] | undefined,
): BenchConfig[] {
  if (only === undefined) return [...configs];
  const names = new Set(configs.flatMap((c) => [c.name, c.challenge]));
  names.add("faults");
  const unknown = only.filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new RangeError(
      `--only: unknown configuration ${unknown.join(", ")}; known: ${[...names].join(", ")}`,
    );
  }
  return configs.filter((c) =>
    only.includes(c.name) || only.includes(c.challenge) ||
    (only.includes("faults") && c.name.endsWith("-faults"))
  );
}
