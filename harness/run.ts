/**
 * `runTest`: one Maelstrom-style test run, start to finish.
 *
 * Phases: services and nodes start in parallel; `init` to every node; the workload's setup; the
 * main phase (staggered ops, side stream, nemesis) for the time limit; then, for final-phase
 * workloads, heal, a pause and the final ops; teardown; analysis; the store.
 *
 * @module
 */

import process from "node:process";
import { analyze } from "./analysis.ts";
import { ClientConnection, ClientIds } from "./client.ts";
import { HarnessFailure, History } from "./history.ts";
import { FileSink } from "./net/journal.ts";
import { healNetwork, runPartitionNemesis } from "./nemesis/partition_schedule.ts";
import { emptyKillStats, type KillStats, runKillNemesis } from "./nemesis/kill.ts";
import { Network } from "./net/network.ts";
import {
  achievedRate,
  deadlineSignal,
  type MainPhaseResult,
  runFinalPhase,
  runMainPhase,
  sleepUnless,
  staggerFigures,
} from "./phases.ts";
import { PreciseSleeper } from "./precise_sleep.ts";
import { createRng } from "./rng.ts";
import { createRunDir, linkLatest, writeHistory, writeJson } from "./store.ts";
import { formatSummary } from "./summary.ts";
import { renderReport } from "./report/html.ts";
import type { TestOptions } from "./options.ts";
import type { Workload } from "./workloads/contract.ts";
import { workloads } from "./workloads/registry.ts";
import { WorkerPool } from "./workers.ts";
import { type Cluster, malformedStdout, startCluster } from "./cluster.ts";

/** The faults `--nemesis` accepts. */
export const NEMESES: readonly string[] = ["partition", "kill"];

/** Everything `runTest` needs: the test options plus how to run the nodes. */
export interface RunOptions extends TestOptions {
  /** The node program: an executable, or a `.ts`/`.js` file run with Deno. */
  bin: string;
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
}

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

/** Checks option ranges the engine relies on; throws RangeError naming the flag. */
export function validateOptions(o: TestOptions): void {
  const fail = (flag: string, why: string) => {
    throw new RangeError(`--${flag} ${why}`);
  };
  if (o.nodes.length === 0) fail("node-count", "must be at least 1");
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) {
    fail("concurrency", "must be a positive integer");
  }
  if (!(o.timeLimit > 0)) fail("time-limit", "must be positive");
  if (!(o.rate >= 0) || !Number.isFinite(o.rate)) fail("rate", "must be a number >= 0");
  if (!(o.latency >= 0) || !Number.isFinite(o.latency)) fail("latency", "must be a number >= 0");
  if (o.keyCount !== undefined && (!Number.isInteger(o.keyCount) || o.keyCount < 1)) {
    fail("key-count", "must be a positive integer");
  }
  if (!Number.isInteger(o.maxTxnLength) || o.maxTxnLength < 1) {
    fail("max-txn-length", "must be a positive integer");
  }
  if (!Number.isInteger(o.maxWritesPerKey) || o.maxWritesPerKey < 1) {
    fail("max-writes-per-key", "must be a positive integer");
  }
  if (!["constant", "uniform", "exponential"].includes(o.latencyDist)) {
    fail("latency-dist", "must be constant, uniform or exponential");
  }
  if (!(o.nemesisInterval > 0)) fail("nemesis-interval", "must be positive");
  if (o.finalReads === true && o.workload !== "txn-rw-register") {
    fail("final-reads", "applies to -w txn-rw-register only");
  }
  for (const n of o.nemesis) {
    if (!NEMESES.includes(n)) {
      fail("nemesis", `has no fault ${JSON.stringify(n)} (${NEMESES.join(", ")})`);
    }
  }
}

/** The signals that end a run early (none on Windows, where Deno cannot listen for them). */
const _INTERRUPTS: readonly Deno.Signal[] = Deno.build.os === "windows"
  ? []
  : ["SIGINT", "SIGTERM"];

function _failure(error: unknown): string {
  if (error instanceof HarnessFailure) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs one test and writes its store directory. Never throws for node or workload faults. */
export async function runTest(o: RunOptions): Promise<RunResult> {
  const registered = o.workloadImpl ?? workloads.get(o.workload);
  let workload: Workload;
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
    workload = registered.forOptions?.(o) ?? registered;
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    console.error(`Bad options: ${error.message}`);
    return { results: { valid: "unknown", error: error.message }, storePath: "", exitCode: 2 };
  }
  const root = o.storeDir ?? "store";
  const dir = await createRunDir(root, o.workload);
  const rng = createRng(o.seed);
  const rngs = {
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
  };
  // One origin for history and journal times, so the two line up in reports.
  const origin = performance.now();
  const history = new History(origin);
  const sink = new FileSink(`${dir}/messages.jsonl`);
  const network = new Network({
    nodes: o.nodes,
    latency: o.latency,
    latencyDist: o.latencyDist,
    rng: rngs.net,
    sink,
    origin,
  });
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  let cluster: Cluster | undefined;
  let failure: string | undefined;
  let pool: WorkerPool | undefined;
  const crashed = new AbortController();
  const killOn = o.nemesis.includes("kill");
  const kills: KillStats = emptyKillStats();
  // Stops the kill nemesis however the run ends, so no node is respawned after the teardown.
  const killStop = new AbortController();
  let killLoop: Promise<void> = Promise.resolve();
  let killFailure: unknown;
  // Started now so its worker has loaded by the main phase, whose stagger it times.
  const sleeper = new PreciseSleeper();
  let main: MainPhaseResult | undefined;
  // SIGINT or SIGTERM ends the run early with results and no node left running; a second one
  // kills the nodes and exits at once.
  let interruptedBy: Deno.Signal | undefined;
  const interrupted = () => new HarnessFailure(`interrupted by ${interruptedBy}`);
  const listeners = _INTERRUPTS.map((signal) => {
    const listener = () => {
      if (interruptedBy !== undefined) {
        for (const node of cluster?.nodes.values() ?? []) node.killNow();
        Deno.exit(130);
      }
      interruptedBy = signal;
      console.error(`${signal}: ending the run and writing its results (again to quit at once)`);
      crashed.abort();
    };
    Deno.addSignalListener(signal, listener);
    return { signal, listener };
  });
  try {
    cluster = await startCluster({
      options: o,
      network,
      logDir: `${dir}/node-logs`,
      nodeDirs: `${dir}/node-dirs`,
      servicesRng: rngs.services,
      // A dead node makes the run a harness failure anyway: stop early instead of timing out.
      onNodeExit: () => crashed.abort(),
      ...(o.initTimeoutMs === undefined ? {} : { initTimeoutMs: o.initTimeoutMs }),
    });
    const ids = new ClientIds();
    await cluster.init(ids);
    const timeoutMs = workload.timeoutMs(o);
    const connect = (node: string) => new ClientConnection(network, ids, node, { timeoutMs });
    if (workload.setup !== undefined) {
      const setupConns: ClientConnection[] = [];
      try {
        await workload.setup({
          options: o,
          rng: rngs.setup,
          connect: (node) => {
            const conn = connect(node);
            setupConns.push(conn);
            return conn;
          },
        });
      } catch (error) {
        throw new HarnessFailure(`Workload setup failed: ${_failure(error)}`);
      } finally {
        for (const conn of setupConns) conn.close();
      }
    }
    await sleeper.ready();
    const generator = workload.generator(o, rngs.generator);
    pool = new WorkerPool({
      workload,
      options: o,
      history,
      connect,
      rng: rngs.pick,
      ...(generator.observe === undefined ? {} : { onComplete: (op) => generator.observe?.(op) }),
    });
    const limit = deadlineSignal(o.timeLimit * 1000);
    const mainSignal = AbortSignal.any([limit.signal, crashed.signal]);
    const nemesisOn = o.nemesis.includes("partition");
    try {
      if (killOn) {
        const c = cluster;
        killLoop = runKillNemesis({
          nodes: o.nodes,
          intervalS: o.nemesisInterval,
          rng: rngs.kill,
          target: {
            isAlive: (node) => c.nodes.get(node)?.alive ?? false,
            kill: (node) => c.kill(node),
            restart: (node) => c.restart(node, ids),
          },
          history,
          signal: AbortSignal.any([mainSignal, killStop.signal]),
          stats: kills,
        }).then(() => {}, (error) => {
          killFailure = error;
          crashed.abort();
        });
      }
      const nemesis = nemesisOn
        ? runPartitionNemesis({
          nodes: o.nodes,
          intervalS: o.nemesisInterval,
          rng: rngs.nemesis,
          network,
          history,
          signal: mainSignal,
        })
        : Promise.resolve();
      main = await runMainPhase({
        pool,
        generator,
        sideStream: workload.sideStream?.(o, rngs.side),
        sideRng: rngs.side,
        staggerRng: rngs.stagger,
        rate: o.rate,
        signal: mainSignal,
        sleep: (ms, signal) => sleeper.sleep(ms, signal),
      });
      await nemesis;
      await killLoop;
      if (crashed.signal.aborted) {
        pool.stop();
        pool.close();
      }
      await pool.idle();
    } finally {
      limit.clear();
    }
    if (interruptedBy !== undefined) throw interrupted();
    if (killFailure !== undefined) throw killFailure;
    if (crashed.signal.aborted) throw new HarnessFailure("A node exited during the run");
    if (workload.hasFinalPhase) {
      if (nemesisOn) healNetwork(network, history);
      await sleepUnless((o.finalPauseS ?? 10) * 1000, crashed.signal);
      if (interruptedBy !== undefined) throw interrupted();
      const finalRngs = Array.from({ length: o.concurrency }, () => rngs.final.fork());
      await runFinalPhase({
        pool,
        workload,
        options: o,
        history,
        rngs: finalRngs,
        orderRng: rngs.finalOrder,
        cutoffMs: (o.finalCutoffS ?? 60) * 1000,
      });
      pool.stop();
      await pool.idle();
    }
  } catch (error) {
    failure = _failure(error);
  } finally {
    for (const { signal, listener } of listeners) Deno.removeSignalListener(signal, listener);
    sleeper.close();
    pool?.stop();
    pool?.close();
    killStop.abort();
    await killLoop;
    const crash = await cluster?.teardown();
    // The teardown's description (which node, status, stderr) beats a generic failure.
    if (crash !== undefined) failure = crash;
    network.close();
    await sink.close().catch((error) => console.error(`messages.jsonl: ${error}`));
  }
  // Everything from here on is post-processing: analysis, history, report, results.
  const postStart = performance.now();
  const optionsOut: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) {
    if (key === "workloadImpl" || value === undefined) continue;
    optionsOut[key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = value;
  }
  const results: Record<string, unknown> & { valid: boolean | "unknown" } = failure === undefined
    ? { ...analyze({ workload, options: o, history: history.ops, network }) }
    : { valid: "unknown" as const, "harness-error": failure };
  const malformed = cluster === undefined ? undefined : malformedStdout(cluster.nodes);
  // The harness's own use, measured again once the report is written (see _harnessFigures).
  const harness = _harnessFigures(cpuStart, wallStart, postStart);
  const full: Record<string, unknown> & { valid: boolean | "unknown" } = {
    ...results,
    ...(killOn
      ? {
        nemesis: {
          ...kills,
          killed: [...kills.killed],
          "dropped-to-dead": network.droppedToDown,
        },
      }
      : {}),
    ...(malformed === undefined ? {} : { "malformed-stdout": malformed }),
    ...(interruptedBy === undefined ? {} : { interrupted: interruptedBy }),
    options: optionsOut,
    strict: o.strict,
    seed: o.seed,
    ...(main === undefined
      ? {}
      : { "achieved-rate": achievedRate(main), stagger: staggerFigures(main) }),
    harness,
  };
  await writeHistory(`${dir}/history.jsonl`, history.ops);
  await writeJson(`${dir}/results.json`, full);
  try {
    await Deno.writeTextFile(
      `${dir}/report.html`,
      renderReport({
        results: full,
        history: history.ops,
        journal: network.journal,
        title: `${o.workload}: ${o.bin} (${o.nodes.length} nodes, seed ${o.seed})`,
      }),
    );
  } catch (error) {
    // The verdict stands in results.json; the run still fails as a harness failure (exit 2).
    failure ??= `report.html not written: ${error instanceof Error ? error.message : error}`;
    full["harness-error"] = failure;
  }
  // Rewritten with the harness's figures now that analysis, history and report are all done.
  full.harness = _harnessFigures(cpuStart, wallStart, postStart);
  await writeJson(`${dir}/results.json`, full);
  await linkLatest(root, o.workload, dir);
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
    console.log(
      formatSummary({ results: full, storePath: dir, seed: o.seed, history: history.ops }),
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
