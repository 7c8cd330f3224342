/**
 * The engine seam: the contract between what is tested (workloads with their generators, clients
 * and checkers; the services; the nemesis schedules; the run's phases) and how nodes run.
 *
 * An engine starts and initialises the nodes and the services, carries messages between them
 * with latency and partitions, kills and restarts nodes, opens client connections, and keeps the
 * run's time. {@linkcode ProcessEngine} (in `process_engine.ts`) runs each node as a real process
 * on real time, as Maelstrom does; `SimEngine` (in `sim/engine.ts`) runs nodes built with our
 * `lib/` inside the harness's process on virtual time, deterministically. Nothing on the tested side touches processes, the network's
 * internals or the wall clock: it asks the engine.
 *
 * @module
 */

import type { Journal } from "./net/journal.ts";
import type { LatencyObserved, ReplyTurnaround } from "./net/network.ts";
import type { ClosableConnection } from "./workers.ts";

/** A partition: for each node, the nodes whose messages it drops. */
export type Grudge = ReadonlyMap<string, ReadonlySet<string>>;

/** The run's time, as the engine keeps it. */
export interface EngineTime {
  /** Milliseconds on the engine's monotonic clock (only differences mean anything). */
  now(): number;
  /** Waits `ms`; resolves true, or false as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
  /**
   * Like {@linkcode EngineTime.sleep}, as precisely as the engine can: the stagger's waits are
   * often under a millisecond, where a timer would overshoot.
   */
  preciseSleep(ms: number, signal: AbortSignal): Promise<boolean>;
  /** A signal that aborts `ms` from now; `clear()` cancels it. */
  deadline(ms: number): { signal: AbortSignal; clear(): void };
}

/** The links between nodes, for the partition nemesis. */
export interface EngineLinks {
  /** Cuts the links `grudge` names, replacing any earlier partition. */
  cut(grudge: Grudge): void;
  /** Restores every link. */
  heal(): void;
}

/** The nodes' lives, for the kill and pause nemeses. */
export interface EngineNodes {
  /** Whether `node` is running. */
  isAlive(node: string): boolean;
  /** Crashes `node` with no grace; messages to it are dropped until it restarts. */
  kill(node: string): Promise<void>;
  /** Starts a killed `node` again and resolves once it answered `init`; throws otherwise. */
  restart(node: string): Promise<void>;
  /** Freezes `node`: it keeps its state and answers nothing; messages to it wait. */
  pause(node: string): Promise<void>;
  /** Lets a paused `node` go on, with the messages that waited. */
  resume(node: string): Promise<void>;
}

/** What the analysis reads from the network once the run is over. */
export interface EngineNetworkFigures {
  /** Every accepted send and every delivery. */
  readonly journal: Journal;
  /** Messages dropped because their recipient was dead. */
  readonly droppedToDown: number;
  /** Observed node-to-node delivery delay. */
  latencyObserved(): LatencyObserved;
  /** Each node's delay between a delivery and its reply. */
  replyTurnaround(): ReplyTurnaround;
}

/** How nodes run (see the module doc). */
export interface Engine {
  /** How, for `results.json`'s `engine`: real processes, or simulated in-process. */
  readonly kind: "process" | "simulated";
  /** The run's start on {@linkcode EngineTime.now}: history and journal times count from it. */
  readonly origin: number;
  readonly time: EngineTime;
  readonly links: EngineLinks;
  readonly nodes: EngineNodes;
  readonly network: EngineNetworkFigures;
  /** Aborts when a node exits on its own, which makes the run a harness failure. */
  readonly crashed: AbortSignal;
  /**
   * Starts the services and the nodes and sends every node `init`.
   *
   * @throws {import("./history.ts").HarnessFailure} Naming the node that failed to start or init.
   */
  start(): Promise<void>;
  /** Opens a client connection to `node` under a fresh client id. */
  connect(node: string, timeoutMs: number): ClosableConnection;
  /** Stops every node; returns a description of the failure when a node had exited early. */
  teardown(): Promise<string | undefined>;
  /** Per node that wrote any, its malformed output lines (count and first examples). */
  malformedOutput(): MalformedOutput | undefined;
  /** Stops every node at once, with no grace (a second interrupt: quit now). */
  killNow(): void;
}

/** The `malformed-stdout` section of `results.json`, per node. */
export type MalformedOutput = Record<
  string,
  { count: number; examples: { line: string; reason: string }[] }
>;
