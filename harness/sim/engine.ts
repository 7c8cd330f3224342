/**
 * The simulated engine: the run's nodes are lib {@linkcode Node}s built in this process by the
 * challenge's factory, and everything (nodes, network, services, clients, workload, nemesis)
 * shares one virtual clock, {@linkcode SimTime}, moved by its scheduler only when no work is
 * pending. Messages still go through the harness's {@linkcode Network} (latency, partitions,
 * receive loops, `messages.jsonl`) and the services are the process engine's, so a run is judged
 * exactly as a process run is; only time and process boundaries are simulated.
 *
 * Deterministic: the same seed and options give the same `history.jsonl` and `messages.jsonl`,
 * byte for byte, provided the node draws its randomness from `node.random` and its time and
 * timers from `node.clock`, and waits on no real I/O (see `docs/simulation.md`).
 *
 * @module
 */

import { ClientConnection, ClientIds } from "../client.ts";
import { registerServices } from "../cluster.ts";
import type {
  Engine,
  EngineLinks,
  EngineNetworkFigures,
  EngineNodes,
  MalformedOutput,
} from "../engine.ts";
import { HarnessFailure } from "../history.ts";
import { FileSink, type NetLog } from "../net/journal.ts";
import { type LatencyDist, Network } from "../net/network.ts";
import type { Rng } from "../rng.ts";
import type { EngineContext, EngineFactory } from "../run.ts";
import { RpcErrorReply, RpcTimeoutError } from "../workloads/contract.ts";
import type { ClosableConnection } from "../workers.ts";
import { type NodeFactory, SimNode } from "./sim_node.ts";
import { SimTime } from "./time.ts";
import { openRunNetwork } from "../net/run_network.ts";

export type { NodeFactory } from "./sim_node.ts";

/** Options of a {@linkcode SimEngine}. */
export interface SimEngineOptions {
  /** Print sends and/or deliveries to stderr as they are journalled. */
  logNet?: NetLog;
  nodes: readonly string[];
  factory: NodeFactory;
  latency: number;
  latencyDist: LatencyDist;
  /** seq-kv's ring-buffer wrap, as Maelstrom has it. */
  compat?: boolean;
  /** How long a node may take to answer init, virtual ms (Maelstrom: 10000). */
  initTimeoutMs?: number;
  /** The run directory: `messages.jsonl`, `node-logs/` and `node-dirs/` go here. */
  dir: string;
  netRng: Rng;
  servicesRng: Rng;
  /** Each node instance's random source is a fork of it, in start order. */
  nodesRng: Rng;
}

/** How long teardown lets the nodes' shutdown run, virtual ms. */
const _TEARDOWN_MS = 5000;

/** Runs lib nodes in this process on virtual time (see the module doc). */
export class SimEngine implements Engine {
  readonly kind = "simulated";
  readonly origin = 0;
  readonly time: SimTime = new SimTime();
  readonly links: EngineLinks;
  readonly nodes: EngineNodes;
  readonly network: EngineNetworkFigures;
  readonly #crashed = new AbortController();
  readonly #o: SimEngineOptions;
  readonly #sink: FileSink;
  readonly #net: Network;
  readonly #ids = new ClientIds();
  readonly #slots = new Map<string, SimNode>();
  readonly #exits: string[] = [];
  #driver: { stop(): Promise<void> } | undefined;
  #tornDown = false;
  #onRejection = (event: PromiseRejectionEvent): void => {
    // A lib node in a process logs these and lives on (catchGlobalErrors): so does the run.
    event.preventDefault();
    console.error(`sim: unhandled rejection in a node: ${event.reason}`);
  };

  constructor(options: SimEngineOptions) {
    this.#o = options;
    const { net, sink, links } = openRunNetwork({
      ...options,
      clock: this.time,
      origin: this.origin,
    });
    this.#sink = sink;
    this.#net = net;
    this.network = net;
    this.links = links;
    this.nodes = {
      isAlive: (node) => this.#slots.get(node)?.alive ?? false,
      kill: (node) => Promise.resolve(this.#kill(node)),
      restart: (node) => this.#restart(node),
      pause: (node) => Promise.resolve(this.#slots.get(node)?.pause()),
      resume: (node) => Promise.resolve(this.#slots.get(node)?.resume()),
    };
  }

  get crashed(): AbortSignal {
    return this.#crashed.signal;
  }

  async start(): Promise<void> {
    const o = this.#o;
    globalThis.addEventListener("unhandledrejection", this.#onRejection);
    this.#driver = this.time.drive();
    registerServices(this.#net, o.servicesRng, o.compat ?? false);
    for (const id of o.nodes) {
      const dir = `${o.dir}/node-dirs/${id}`;
      Deno.mkdirSync(dir, { recursive: true });
      const slot = new SimNode({
        id,
        factory: o.factory,
        clock: this.time,
        dir,
        send: (src, dest, body) => this.#net.send(src, dest, body),
        onExit: (node, why) => {
          this.#exits.push(`node ${node} exited early: ${why}`);
          this.#crashed.abort();
        },
      });
      this.#slots.set(id, slot);
      this.#net.register(id, slot);
      this.#startInstance(slot);
    }
    // Connections are created in node order before any await, so init clients are c0…c{n-1}.
    const results = await Promise.allSettled(o.nodes.map((id) => this.#init(id)));
    const failed = results.find((r) => r.status === "rejected");
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }

  connect(node: string, timeoutMs: number): ClosableConnection {
    return new ClientConnection(this.#net, this.#ids, node, { timeoutMs, clock: this.time });
  }

  malformedOutput(): MalformedOutput | undefined {
    const out: MalformedOutput = {};
    for (const [id, slot] of this.#slots) {
      if (slot.malformedCount > 0) {
        out[id] = { count: slot.malformedCount, examples: [...slot.malformedExamples] };
      }
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }

  /** Nothing runs outside this process: teardown is already immediate. */
  killNow(): void {}

  async teardown(): Promise<string | undefined> {
    if (this.#tornDown) return undefined;
    this.#tornDown = true;
    const early = [...this.#exits];
    // Every node shuts down as at end of input; a handler that never settles is cut off.
    const done = Promise.all([...this.#slots.values()].map((slot) => slot.kill()));
    const bound = this.time.deadline(_TEARDOWN_MS);
    if (this.#driver !== undefined) {
      await Promise.race([done, new Promise((resolve) => bound.signal.onabort = resolve)]);
    }
    bound.clear();
    await this.#driver?.stop();
    globalThis.removeEventListener("unhandledrejection", this.#onRejection);
    this.#net.close();
    await this.#sink.close().catch((error) => console.error(`messages.jsonl: ${error}`));
    await this.#writeLogs();
    return early.length === 0 ? undefined : early.join("\n");
  }

  #startInstance(slot: SimNode): void {
    try {
      slot.start(this.#o.nodesRng.fork().next);
    } catch (error) {
      throw new HarnessFailure(`cannot start node ${slot.id}: ${error}`);
    }
  }

  #kill(id: string): void {
    const slot = this.#slot(id);
    this.#net.setDown(id, true);
    slot.logLines.push(`--- killed by the nemesis at ${this.time.now()} ms (virtual) ---`);
    // Its shutdown runs on unobserved: a crashed process is not waited for either.
    slot.kill().catch(() => {});
  }

  async #restart(id: string): Promise<void> {
    const slot = this.#slot(id);
    slot.logLines.push(`--- restarted at ${this.time.now()} ms (virtual) ---`);
    this.#startInstance(slot);
    this.#net.setDown(id, false);
    try {
      await this.#init(id);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new HarnessFailure(`after a kill-nemesis restart of ${id}: ${why}`);
    }
  }

  /** Sends `init` through a fresh client and waits for `init_ok`. */
  async #init(id: string): Promise<void> {
    const timeoutMs = this.#o.initTimeoutMs ?? 10000;
    const conn = new ClientConnection(this.#net, this.#ids, id, { timeoutMs, clock: this.time });
    try {
      const reply = await conn.rpc({ type: "init", node_id: id, node_ids: [...this.#o.nodes] });
      if (reply.type !== "init_ok") {
        throw new HarnessFailure(`node ${id} answered init with ${JSON.stringify(reply)}`);
      }
    } catch (error) {
      if (error instanceof RpcTimeoutError) {
        throw new HarnessFailure(`node ${id} did not answer init within ${timeoutMs} ms`);
      }
      if (error instanceof RpcErrorReply) {
        throw new HarnessFailure(`node ${id} answered init with an error: ${error.message}`);
      }
      throw error;
    } finally {
      conn.close();
    }
  }

  #slot(id: string): SimNode {
    const slot = this.#slots.get(id);
    if (slot === undefined) throw new RangeError(`No node ${id}`);
    return slot;
  }

  async #writeLogs(): Promise<void> {
    const dir = `${this.#o.dir}/node-logs`;
    await Deno.mkdir(dir, { recursive: true });
    await Promise.all(
      [...this.#slots.values()].map((slot) =>
        Deno.writeTextFile(
          `${dir}/${slot.id}.log`,
          slot.logLines.length === 0 ? "" : slot.logLines.join("\n") + "\n",
        )
      ),
    );
  }
}

/**
 * The {@linkcode EngineFactory} that simulates the run's nodes with `factory`: pass it as
 * `RunOptions.engine`.
 */
export function simEngine(factory: NodeFactory): EngineFactory {
  return (context: EngineContext) => {
    const o = context.options;
    return new SimEngine({
      nodes: o.nodes,
      factory,
      latency: o.latency,
      latencyDist: o.latencyDist,
      ...(o.compat === undefined ? {} : { compat: o.compat }),
      ...(o.initTimeoutMs === undefined ? {} : { initTimeoutMs: o.initTimeoutMs }),
      logNet: { send: o.logNetSend === true, recv: o.logNetRecv === true },
      dir: context.dir,
      netRng: context.netRng,
      servicesRng: context.servicesRng,
      nodesRng: context.nodesRng,
    });
  };
}
