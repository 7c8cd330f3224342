/**
 * `runTest`: one Maelstrom-style test run, start to finish, as a sequence of named steps:
 * prepare (options, workload, store directory, seeded generators), start (the engine's services
 * and nodes, `init`, the workload's setup), the main phase with its faults, the final phase (heal,
 * pause, final ops), teardown, results, store. How nodes run is the {@linkcode Engine}'s business
 * (a {@linkcode ProcessEngine} unless `RunOptions.engine` names another, such as the simulator's);
 * this module only orders the steps.
 *
 * @module
 */

import process from "node:process";
import { analyze } from "./analysis.ts";
import type { Engine } from "./engine.ts";
import { HarnessFailure, History } from "./history.ts";
import { healNetwork, runPartitionNemesis } from "./nemesis/partition_schedule.ts";
import {
  emptyFaultStats,
  killFault,
  type NodeFaultStats,
  pauseFault,
  runNodeFaults,
} from "./nemesis/node_faults.ts";
import {
  achievedRate,
  type MainPhaseResult,
  runFinalPhase,
  runMainPhase,
  staggerFigures,
} from "./phases.ts";
import { ProcessEngine } from "./process_engine.ts";
import { createRng, type Rng } from "./rng.ts";
import { createRunDir, linkLatest, writeHistory, writeJson } from "./store.ts";
import { formatSummary } from "./summary.ts";
import { renderReport } from "./report/html.ts";
import { readBodies } from "./report/diagram_data.ts";
import { explainRun } from "./checkers/explain/mod.ts";
import type { Workload } from "./workloads/contract.ts";
import { type TestOptions, validateOptions } from "./options.ts";
import { workloads } from "./workloads/registry.ts";
import { type ClosableConnection, WorkerPool } from "./workers.ts";

/** Everything `runTest` needs: the test options plus how to run the nodes. */
export interface RunOptions extends TestOptions {
  /** The node program: an executable, or a `.ts`/`.js` file run with Deno. */
  bin: string;
  /**
   * How many times the command line runs the test (`--test-count`, seeds seed, seed + 1, …,
   * stopping at the first run that is not valid); one `runTest` is one run whatever it says.
   */
  testCount?: number;
  /** Extra arguments for the node program. */
  binArgs: readonly string[];
  /** Extra environment variables for the nodes (a design mode such as `BROADCAST_MODE`). */
  env?: Readonly<Record<string, string>>;
  /** Root of the store; defaults to `store`. */
  storeDir?: string;
  /** No summary on stdout. */
  quiet?: boolean;
  /** Overrides the registry (tests use stand-in workloads). */
  workloadImpl?: Workload;
  /** The pause before final ops, seconds (Maelstrom: 10). */
  finalPauseS?: number;
  /** Cut-off of the final phase, seconds (default 60). */
  finalCutoffS?: number;
  /** How long a node may take to answer init, ms (Maelstrom: 10000). */
  initTimeoutMs?: number;
  /** Reproduce Maelstrom's bugs: silenced nodes, seq-kv's ring-buffer wrap. Default false. */
  compat?: boolean;
  /** How nodes run; defaults to {@linkcode processEngine} (real processes, real time). */
  engine?: EngineFactory;
  /** The command that replays this run, shown at the top of a simulated run's summary. */
  replay?: string;
}

/** What an engine is built from: the run's options, its directory and its generators. */
export interface EngineContext {
  options: RunOptions;
  /** The run directory: `messages.jsonl`, `node-logs/` and `node-dirs/` go here. */
  dir: string;
  /** Draws latencies. */
  netRng: Rng;
  /** Seeds the services (seq-kv's staleness). */
  servicesRng: Rng;
  /** Seeds the nodes' random sources (an engine that can inject them: the simulator). */
  nodesRng: Rng;
}

/** Builds the engine of one run. */
export type EngineFactory = (context: EngineContext) => Engine;

/** The outcome of a run. */
export interface RunResult {
  /** The results map written to `results.json`. */
  results: Record<string, unknown> & { valid: boolean | "unknown" };
  /** The run directory, or "" when the run stopped before creating it. */
  storePath: string;
  /**
   * 0 valid, 1 invalid, 2 unknown or harness failure; 130 or 143 when SIGINT or SIGTERM ended
   * the run (as a shell reports a process those signals killed).
   */
  exitCode: 0 | 1 | 2 | 130 | 143;
}

/** The signals that end a run early (none on Windows, where Deno cannot listen for them). */
const _INTERRUPTS: readonly Deno.Signal[] = Deno.build.os === "windows"
  ? []
  : ["SIGINT", "SIGTERM"];

function _failure(error: unknown): string {
  if (error instanceof HarnessFailure) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The run's seeded generators, one fork per concern, forked in a fixed order. */
interface _Rngs {
  net: Rng;
  services: Rng;
  generator: Rng;
  side: Rng;
  nemesis: Rng;
  pick: Rng;
  stagger: Rng;
  setup: Rng;
  final: Rng;
  kill: Rng;
  finalOrder: Rng;
  pause: Rng;
  nodes: Rng;
}

function _forkRngs(seed: number): _Rngs {
  const rng = createRng(seed);
  return {
    net: rng.fork(),
    services: rng.fork(),
    generator: rng.fork(),
    side: rng.fork(),
    nemesis: rng.fork(),
    pick: rng.fork(),
    stagger: rng.fork(),
    setup: rng.fork(),
    final: rng.fork(),
    // Forked last, so adding the kill nemesis changed no other stream of a seed.
    kill: rng.fork(),
    // Forked after kill for the same reason: the start order of the final phase's threads.
    finalOrder: rng.fork(),
    // And the pause nemesis after that.
    pause: rng.fork(),
    // And last again: the nodes' random sources, which only a simulated run injects.
    nodes: rng.fork(),
  };
}

/** The workload for `o` once every option checks out, or why not. */
function _prepareWorkload(o: RunOptions): Workload | string {
  const registered = o.workloadImpl ?? workloads.get(o.workload);
  try {
    if (registered === undefined) {
      throw new RangeError(
        `-w: unknown workload ${JSON.stringify(o.workload)} (known: ${
          [...workloads.keys()].sort().join(", ")
        })`,
      );
    }
    validateOptions(o);
    registered.validate?.(o);
    return registered.forOptions?.(o) ?? registered;
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    return error.message;
  }
}

/** Everything the steps of one run share. */
interface _Run {
  o: RunOptions;
  workload: Workload;
  engine: Engine;
  history: History;
  rngs: _Rngs;
  /** Aborted to end the run early: an interrupt, a node's crash, a failed restart. */
  stop: AbortController;
  pool?: WorkerPool;
  main?: MainPhaseResult;
  /** What the kill and pause nemeses did. */
  kills: NodeFaultStats;
  pauses: NodeFaultStats;
}

/** Runs the workload's setup through fresh connections, closed afterwards. */
async function _setup(run: _Run): Promise<void> {
  const { workload, o, engine } = run;
  if (workload.setup === undefined) return;
  const conns: ClosableConnection[] = [];
  try {
    await workload.setup({
      options: o,
      rng: run.rngs.setup,
      connect: (node) => {
        const conn = engine.connect(node, workload.timeoutMs(o));
        conns.push(conn);
        return conn;
      },
    });
  } catch (error) {
    throw new HarnessFailure(`Workload setup failed: ${_failure(error)}`);
  } finally {
    for (const conn of conns) conn.close();
  }
}

/** The faults of the main phase, running until `signal` aborts. */
function _startFaults(run: _Run, signal: AbortSignal): Promise<void> {
  const { o, engine, history, rngs } = run;
  const faults: Promise<unknown>[] = [];
  const nodeFaults = [
    {
      on: o.nemesis.includes("kill"),
      fault: killFault(engine.nodes),
      rng: rngs.kill,
      stats: run.kills,
    },
    {
      on: o.nemesis.includes("pause"),
      fault: pauseFault(engine.nodes),
      rng: rngs.pause,
      stats: run.pauses,
    },
  ];
  for (const { on, fault, rng, stats } of nodeFaults) {
    if (!on) continue;
    faults.push(
      runNodeFaults({
        nodes: o.nodes,
        intervalS: o.nemesisInterval,
        rng,
        fault,
        time: engine.time,
        history,
        signal,
        stats,
      }).catch((error) => {
        // A node that will not come back ends the run; the error is its failure.
        run.stop.abort();
        throw error;
      }),
    );
  }
  if (o.nemesis.includes("partition")) {
    faults.push(runPartitionNemesis({
      nodes: o.nodes,
      intervalS: o.nemesisInterval,
      rng: rngs.nemesis,
      links: engine.links,
      time: engine.time,
      history,
      signal,
    }));
  }
  return Promise.all(faults).then(() => {});
}

/**
 * The main phase: staggered ops from the workload's generator (and its side stream) for the time
 * limit, with the faults alongside, then every op in flight finished.
 */
async function _mainPhase(run: _Run): Promise<void> {
  const { o, workload, engine, history, rngs } = run;
  const generator = workload.generator(o, rngs.generator);
  const pool = new WorkerPool({
    workload,
    options: o,
    history,
    connect: (node) => engine.connect(node, workload.timeoutMs(o)),
    rng: rngs.pick,
    ...(generator.observe === undefined ? {} : { onComplete: (op) => generator.observe?.(op) }),
  });
  run.pool = pool;
  const limit = engine.time.deadline(o.timeLimit * 1000);
  // Ends the faults however the phase ends, so no node is killed or restarted after it.
  const phaseOver = new AbortController();
  const signal = AbortSignal.any([limit.signal, run.stop.signal, phaseOver.signal]);
  const faults = _startFaults(run, signal);
  try {
    run.main = await runMainPhase({
      pool,
      generator,
      sideStream: workload.sideStream?.(o, rngs.side),
      sideRng: rngs.side,
      staggerRng: rngs.stagger,
      rate: o.rate,
      signal,
      time: engine.time,
    });
  } finally {
    phaseOver.abort();
    limit.clear();
    await faults.catch(() => {});
  }
  await faults;
  if (run.stop.signal.aborted) {
    pool.stop();
    pool.close();
  }
  await pool.idle();
}

/** The final phase: heal, Maelstrom's pause, then each thread's final ops. */
async function _finalPhase(run: _Run): Promise<void> {
  const { o, workload, engine, history, rngs, pool } = run;
  if (!workload.hasFinalPhase || pool === undefined) return;
  if (o.nemesis.includes("partition")) healNetwork(engine.links, history);
  await engine.time.sleep((o.finalPauseS ?? 10) * 1000, run.stop.signal);
  if (run.stop.signal.aborted) return;
  await runFinalPhase({
    pool,
    workload,
    options: o,
    history,
    rngs: Array.from({ length: o.concurrency }, () => rngs.final.fork()),
    orderRng: rngs.finalOrder,
    cutoffMs: (o.finalCutoffS ?? 60) * 1000,
    time: engine.time,
  });
  pool.stop();
  await pool.idle();
}

/**
 * Listens for SIGINT and SIGTERM: the first ends the run (results written, marked interrupted),
 * a second kills the nodes and exits at once.
 */
function _listenForInterrupts(
  run: _Run,
  killNow: () => void,
): { interruptedBy(): Deno.Signal | undefined; close(): void } {
  let by: Deno.Signal | undefined;
  const listeners = _INTERRUPTS.map((signal) => {
    const listener = () => {
      if (by !== undefined) {
        killNow();
        Deno.exit(130);
      }
      by = signal;
      console.error(`${signal}: ending the run and writing its results (again to quit at once)`);
      run.stop.abort();
    };
    Deno.addSignalListener(signal, listener);
    return { signal, listener };
  });
  return {
    interruptedBy: () => by,
    close: () => {
      for (const { signal, listener } of listeners) Deno.removeSignalListener(signal, listener);
    },
  };
}

/** Starts the engine, sets up, runs both phases; returns why the run failed, if it did. */
async function _execute(
  run: _Run,
  interruptedBy: () => Deno.Signal | undefined,
): Promise<string | undefined> {
  const { engine } = run;
  // A node that exits on its own makes the run a harness failure: stop early, not at timeouts.
  const onCrash = () => run.stop.abort();
  engine.crashed.addEventListener("abort", onCrash, { once: true });
  let failure: string | undefined;
  try {
    const check = () => {
      const by = interruptedBy();
      if (by !== undefined) throw new HarnessFailure(`interrupted by ${by}`);
      if (engine.crashed.aborted) throw new HarnessFailure("A node exited during the run");
    };
    await engine.start();
    await _setup(run);
    check();
    await _mainPhase(run);
    check();
    await _finalPhase(run);
    check();
  } catch (error) {
    failure = _failure(error);
  } finally {
    engine.crashed.removeEventListener("abort", onCrash);
    run.pool?.stop();
    run.pool?.close();
    const crash = await engine.teardown();
    // The teardown's description (which node, status, stderr) beats a generic failure.
    if (crash !== undefined) failure = crash;
  }
  return failure;
}

/** `results.json`'s `options`: every option that was set, in Maelstrom's kebab-case. */
function _optionsOut(o: RunOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) {
    if (key === "workloadImpl" || key === "engine" || key === "replay" || value === undefined) {
      continue;
    }
    out[key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = value;
  }
  return out;
}

/** `results.json`'s `nemesis`: what the kill and pause nemeses did. */
function _nemesisCounts(run: _Run, droppedToDead: number): Record<string, unknown> {
  const { o, kills, pauses } = run;
  return {
    ...(o.nemesis.includes("kill")
      ? {
        kills: kills.starts,
        restarts: kills.ends,
        killed: [...kills.nodes],
        "dropped-to-dead": droppedToDead,
      }
      : {}),
    ...(o.nemesis.includes("pause")
      ? { pauses: pauses.starts, resumes: pauses.ends, paused: [...pauses.nodes] }
      : {}),
  };
}

/** The results map: the checkers' verdicts (or the failure) and what the run measured. */
function _results(
  run: _Run,
  engine: Engine,
  failure: string | undefined,
  interruptedBy: Deno.Signal | undefined,
): Record<string, unknown> & { valid: boolean | "unknown" } {
  const { o, workload, history, main } = run;
  const verdict: Record<string, unknown> & { valid: boolean | "unknown" } = failure === undefined
    ? analyze({ workload, options: o, history: history.ops, network: engine.network })
    : { valid: "unknown" as const, "harness-error": failure };
  const malformed = engine.malformedOutput();
  return {
    ...verdict,
    ...(o.nemesis.includes("kill") || o.nemesis.includes("pause")
      ? { nemesis: _nemesisCounts(run, engine.network.droppedToDown) }
      : {}),
    ...(malformed === undefined ? {} : { "malformed-stdout": malformed }),
    ...(interruptedBy === undefined ? {} : { interrupted: interruptedBy }),
    options: _optionsOut(o),
    strict: o.strict,
    seed: o.seed,
    engine: engine.kind,
    ...(main === undefined
      ? {}
      : { "achieved-rate": achievedRate(main), stagger: staggerFigures(main) }),
  };
}

/** The default engine: the run's nodes as processes, messages through the harness's network. */
export function processEngine(context: EngineContext): Engine {
  const { options: o, dir } = context;
  return new ProcessEngine({
    nodes: o.nodes,
    bin: o.bin,
    binArgs: o.binArgs,
    ...(o.env === undefined ? {} : { env: o.env }),
    latency: o.latency,
    latencyDist: o.latencyDist,
    logStderr: o.logStderr,
    ...(o.compat === undefined ? {} : { compat: o.compat }),
    ...(o.initTimeoutMs === undefined ? {} : { initTimeoutMs: o.initTimeoutMs }),
    logNet: { send: o.logNetSend === true, recv: o.logNetRecv === true },
    dir,
    netRng: context.netRng,
    servicesRng: context.servicesRng,
    // One origin for history and journal times, so the two line up in reports.
    origin: performance.now(),
  });
}

/**
 * Writes the run directory: the history, the report, then `results.json` with the harness's
 * figures measured last; points `latest` at it. Returns why the report failed, if it did (the
 * verdict still stands in `results.json`).
 */
async function _writeStore(
  run: _Run,
  dir: string,
  full: Record<string, unknown>,
  cost: () => Record<string, number>,
): Promise<string | undefined> {
  const { o, history, engine } = run;
  let failure: string | undefined;
  await writeHistory(`${dir}/history.jsonl`, history.ops);
  // What is wrong, one sentence per anomaly: for the report, and kept with the results for the
  // store's web UI and the summary.
  const findings = explainRun(full, history.ops);
  if (full.valid !== true) full.findings = findings.map((f) => f.text);
  try {
    await Deno.writeTextFile(
      `${dir}/report.html`,
      renderReport({
        results: full,
        history: history.ops,
        journal: engine.network.journal,
        title: `${o.workload}: ${o.bin} (${o.nodes.length} nodes, seed ${o.seed})`,
        bodies: await readBodies(`${dir}/messages.jsonl`),
        findings,
      }),
    );
  } catch (error) {
    failure = `report.html not written: ${error instanceof Error ? error.message : error}`;
    full["harness-error"] ??= failure;
  }
  full.harness = cost();
  await writeJson(`${dir}/results.json`, full);
  await linkLatest(o.storeDir ?? "store", o.workload, dir);
  return failure;
}

/** Runs one test and writes its store directory. Never throws for node or workload faults. */
export async function runTest(o: RunOptions): Promise<RunResult> {
  const workload = _prepareWorkload(o);
  if (typeof workload === "string") {
    console.error(`Bad options: ${workload}`);
    return { results: { valid: "unknown", error: workload }, storePath: "", exitCode: 2 };
  }
  const dir = await createRunDir(o.storeDir ?? "store", o.workload);
  const rngs = _forkRngs(o.seed);
  const engine = (o.engine ?? processEngine)({
    options: o,
    dir,
    netRng: rngs.net,
    servicesRng: rngs.services,
    nodesRng: rngs.nodes,
  });
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const run: _Run = {
    o,
    workload,
    engine,
    history: new History(engine.origin, () => engine.time.now()),
    rngs,
    stop: new AbortController(),
    kills: emptyFaultStats(),
    pauses: emptyFaultStats(),
  };
  const interrupts = _listenForInterrupts(run, () => engine.killNow());
  let failure: string | undefined;
  try {
    failure = await _execute(run, interrupts.interruptedBy);
  } finally {
    interrupts.close();
  }
  const interruptedBy = interrupts.interruptedBy();
  // Everything from here on is post-processing: analysis, history, report, results.
  const postStart = performance.now();
  const results = _results(run, engine, failure, interruptedBy);
  const cost = () => _harnessFigures(cpuStart, wallStart, postStart);
  const full: Record<string, unknown> & { valid: boolean | "unknown" } = {
    ...results,
    harness: cost(),
  };
  // Written whatever happened (not inside `??=`, which would skip it after a failure).
  const storeFailure = await _writeStore(run, dir, full, cost);
  failure ??= storeFailure;
  const exitCode = interruptedBy !== undefined
    ? (interruptedBy === "SIGINT" ? 130 : 143)
    : failure !== undefined
    ? 2
    : results.valid === true
    ? 0
    : results.valid === false
    ? 1
    : 2;
  if (failure !== undefined) console.error(`HARNESS FAILURE: ${failure}`);
  if (!o.quiet) {
    if (engine.kind === "simulated") {
      console.log(
        `simulated (virtual time, seed ${o.seed})${
          o.replay === undefined ? "" : `; replay: ${o.replay}`
        }`,
      );
    }
    console.log(
      formatSummary({ results: full, storePath: dir, seed: o.seed, history: run.history.ops }),
    );
  }
  return { results: full, storePath: dir, exitCode };
}

/**
 * The harness process's own cost: CPU since the cluster started (analysis and report included),
 * wall time, the post-processing time after the nodes are torn down, and the process's peak RSS
 * (Linux's VmHWM; left out where /proc is missing).
 */
function _harnessFigures(
  cpuStart: NodeJS.CpuUsage,
  wallStart: number,
  postStart: number,
): Record<string, number> {
  const cpu = process.cpuUsage(cpuStart);
  const now = performance.now();
  const figures: Record<string, number> = {
    "cpu-user-ms": Math.round(cpu.user / 1000),
    "cpu-system-ms": Math.round(cpu.system / 1000),
    "wall-ms": Math.round(now - wallStart),
    "post-processing-ms": Math.round(now - postStart),
  };
  const peak = _peakRssKiB();
  if (peak !== undefined) figures["peak-rss-mib"] = Math.round(peak / 1024);
  return figures;
}

/** This process's peak resident set in KiB, from /proc/self/status; undefined elsewhere. */
function _peakRssKiB(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(Deno.readTextFileSync("/proc/self/status"));
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}
