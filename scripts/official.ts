/**
 * The fourteen official Gossip Glomers runs (fly.io/dist-sys, challenges 1–6c), as
 * `maelstrom test` flags. One list serves the local harness (`deno task challenges`), the
 * benchmarks and the real-Maelstrom runner.
 *
 * @module
 */

/** One official configuration. */
export interface OfficialRun {
  /** Short name, e.g. `"3d"`. */
  name: string;
  /** The challenge entrypoint's name (`challenges/<challenge>.ts`, `bin/<challenge>`). */
  challenge: string;
  /** `maelstrom test` flags after `-w <workload> --bin <bin>`. */
  flags: string[];
  /** Environment for the nodes (a design mode). */
  env?: Record<string, string>;
  /** What the run is held to, as printed in the table. */
  target: string;
}

/** Splits a Maelstrom command line's flags, as written on the challenge pages. */
function flags(text: string): string[] {
  return text.split(" ");
}

const BROADCAST_25 = flags("--node-count 25 --time-limit 20 --rate 100 --latency 100");
const KAFKA = "--concurrency 2n --time-limit 20 --rate 1000";
const TXN = "--concurrency 2n --time-limit 20 --rate 1000";

/** The official runs, in challenge order. The workload is the challenge's name. */
export const OFFICIAL_RUNS: readonly OfficialRun[] = [
  { name: "1", challenge: "echo", flags: flags("--node-count 1 --time-limit 10"), target: "valid" },
  {
    name: "2",
    challenge: "unique-ids",
    flags: flags(
      "--time-limit 30 --rate 1000 --node-count 3 --availability total --nemesis partition",
    ),
    target: "valid, availability 1",
  },
  {
    name: "3a",
    challenge: "broadcast",
    flags: flags("--node-count 1 --time-limit 20 --rate 10"),
    target: "valid",
  },
  {
    name: "3b",
    challenge: "broadcast",
    flags: flags("--node-count 5 --time-limit 20 --rate 10"),
    target: "valid",
  },
  {
    name: "3c",
    challenge: "broadcast",
    flags: flags("--node-count 5 --time-limit 20 --rate 10 --nemesis partition"),
    target: "valid",
  },
  {
    name: "3d",
    challenge: "broadcast",
    flags: BROADCAST_25,
    env: { BROADCAST_MODE: "latency" },
    target: "msgs/op < 30, median < 400 ms, max < 600 ms",
  },
  {
    name: "3e",
    challenge: "broadcast",
    flags: BROADCAST_25,
    env: { BROADCAST_MODE: "efficient" },
    target: "msgs/op < 20, median < 1 s, max < 2 s",
  },
  {
    name: "4",
    challenge: "g-counter",
    flags: flags("--node-count 3 --rate 100 --time-limit 20 --nemesis partition"),
    target: "valid",
  },
  { name: "5a", challenge: "kafka", flags: flags(`--node-count 1 ${KAFKA}`), target: "valid" },
  {
    name: "5b",
    challenge: "kafka",
    flags: flags(`--node-count 2 ${KAFKA}`),
    env: { KAFKA_MODE: "lin-kv" },
    target: "valid",
  },
  {
    name: "5c",
    challenge: "kafka",
    flags: flags(`--node-count 2 ${KAFKA}`),
    target: "valid, msgs/op (all) ≤ 2.2",
  },
  {
    name: "6a",
    challenge: "txn-rw-register",
    flags: flags(
      "--node-count 1 --time-limit 20 --rate 1000 --concurrency 2n " +
        "--consistency-models read-uncommitted --availability total",
    ),
    target: "valid, availability 1",
  },
  {
    name: "6b",
    challenge: "txn-rw-register",
    flags: flags(
      `--node-count 2 ${TXN} --consistency-models read-uncommitted --availability total --nemesis partition`,
    ),
    target: "valid, availability 1",
  },
  {
    name: "6c",
    challenge: "txn-rw-register",
    flags: flags(
      `--node-count 2 ${TXN} --consistency-models read-committed --availability total --nemesis partition`,
    ),
    target: "valid, availability 1",
  },
];

/** Returns a copy of `flags` with `--time-limit` replaced by `seconds`. */
export function withTimeLimit(flags: readonly string[], seconds: number): string[] {
  const copy = [...flags];
  const at = copy.indexOf("--time-limit");
  if (at === -1) copy.push("--time-limit", String(seconds));
  else copy[at + 1] = String(seconds);
  return copy;
}

/**
 * The official run named `name`.
 *
 * @throws {RangeError} For an unknown name, listing the known ones.
 */
export function officialRun(name: string): OfficialRun {
  const run = OFFICIAL_RUNS.find((r) => r.name === name);
  if (run === undefined) {
    throw new RangeError(
      `No official run "${name}"; known: ${OFFICIAL_RUNS.map((r) => r.name).join(", ")}`,
    );
  }
  return run;
}

/** The design switches the challenges read; a scripted run sees only the ones it sets. */
export const MODE_VARS: readonly string[] = [
  "BROADCAST_MODE",
  "BROADCAST_TICK_MS",
  "COUNTER_MODE",
  "KAFKA_MODE",
];

/**
 * The nodes' environment for `env`: every {@linkcode MODE_VARS} empty (the challenges read that as
 * unset) unless `env` sets it, so a mode left in the caller's shell cannot change a scripted run.
 * (`deno task harness test` passes the caller's environment on, as Maelstrom does: that is how a
 * user picks a mode for one run.)
 */
export function nodeEnv(env: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...Object.fromEntries(MODE_VARS.map((key) => [key, ""])), ...env };
}

/** Whether a run's exit code says SIGINT or SIGTERM ended it: a script stops there, too. */
export function interrupted(exitCode: number): boolean {
  return exitCode === 130 || exitCode === 143;
}

/** Every challenge with an official run, in challenge order: the programs the scripts build and measure. */
export const CHALLENGES: readonly string[] = [...new Set(OFFICIAL_RUNS.map((r) => r.challenge))];
