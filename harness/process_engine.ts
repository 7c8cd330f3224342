/**
 * The process engine: Maelstrom's way of running nodes. Each node is a real process (its own
 * process group, stdin/stdout JSON lines), messages go through the harness's {@linkcode Network}
 * (latency, partitions, per-recipient receive loops), services live in the harness, and time is
 * the wall clock.
 *
 * @module
 */

import { ClientConnection, ClientIds } from "./client.ts";
import { type Cluster, malformedStdout, startCluster } from "./cluster.ts";
import type {
  Engine,
  EngineLinks,
  EngineNetworkFigures,
  EngineNodes,
  MalformedOutput,
} from "./engine.ts";
import { HarnessFailure } from "./history.ts";
import { FileSink, type NetLog } from "./net/journal.ts";
import { type LatencyDist, Network } from "./net/network.ts";
import { RealTime } from "./real_time.ts";
import type { Rng } from "./rng.ts";
import type { ClosableConnection } from "./workers.ts";
import { openRunNetwork } from "./net/run_network.ts";

/** Options of a {@linkcode ProcessEngine}. */
export interface ProcessEngineOptions {
  /** Print sends and/or deliveries to stderr as they are journalled. */
  logNet?: NetLog;
  nodes: readonly string[];
  /** The node program: an executable, or a `.ts`/`.js` file run with Deno. */
  bin: string;
  binArgs: readonly string[];
  /** Extra environment variables for the nodes. */
  env?: Readonly<Record<string, string>>;
  latency: number;
  latencyDist: LatencyDist;
  logStderr: boolean;
  /** Reproduce Maelstrom's bugs: silenced nodes, seq-kv's ring-buffer wrap. */
  compat?: boolean;
  /** How long a node may take to answer init, ms (Maelstrom: 10000). */
  initTimeoutMs?: number;
  /** The run directory: `messages.jsonl`, `node-logs/` and `node-dirs/` go here. */
  dir: string;
  /** Draws latencies. */
  netRng: Rng;
  /** Seeds the services (seq-kv's staleness). */
  servicesRng: Rng;
  /** The test's start on `performance.now()`: journal times count from it. */
  origin: number;
}

/** Runs nodes as processes on real time (see the module doc). */
export class ProcessEngine implements Engine {
  readonly kind = "process";
  readonly origin: number;
  readonly time: RealTime = new RealTime();
  readonly links: EngineLinks;
  readonly nodes: EngineNodes;
  readonly network: EngineNetworkFigures;
  readonly #crashed = new AbortController();
  readonly #options: ProcessEngineOptions;
  readonly #sink: FileSink;
  readonly #net: Network;
  readonly #ids = new ClientIds();
  #cluster: Cluster | undefined;

  constructor(options: ProcessEngineOptions) {
    this.#options = options;
    this.origin = options.origin;
    const { net, sink, links } = openRunNetwork(options);
    this.#sink = sink;
    this.#net = net;
    this.network = net;
    this.links = links;
    this.nodes = {
      isAlive: (node) => this.#cluster?.nodes.get(node)?.alive ?? false,
      kill: (node) => this.#running().kill(node),
      restart: (node) => this.#running().restart(node, this.#ids),
      pause: (node) => this.#running().pause(node),
      resume: (node) => this.#running().resume(node),
    };
  }

  get crashed(): AbortSignal {
    return this.#crashed.signal;
  }

  async start(): Promise<void> {
    const o = this.#options;
    this.#cluster = await startCluster({
      options: {
        nodes: o.nodes,
        bin: o.bin,
        binArgs: o.binArgs,
        logStderr: o.logStderr,
        ...(o.compat === undefined ? {} : { compat: o.compat }),
        ...(o.env === undefined ? {} : { env: o.env }),
      },
      network: this.#net,
      logDir: `${o.dir}/node-logs`,
      nodeDirs: `${o.dir}/node-dirs`,
      servicesRng: o.servicesRng,
      // A dead node makes the run a harness failure anyway: stop early instead of timing out.
      onNodeExit: () => this.#crashed.abort(),
      ...(o.initTimeoutMs === undefined ? {} : { initTimeoutMs: o.initTimeoutMs }),
    });
    await this.#cluster.init(this.#ids);
    await this.time.ready();
  }

  connect(node: string, timeoutMs: number): ClosableConnection {
    return new ClientConnection(this.#net, this.#ids, node, { timeoutMs });
  }

  /** Per node that wrote any, its malformed stdout lines (count and first examples). */
  malformedOutput(): MalformedOutput | undefined {
    return this.#cluster === undefined ? undefined : malformedStdout(this.#cluster.nodes);
  }

  /** SIGKILLs every node's process group at once (a second interrupt: quit now). */
  killNow(): void {
    for (const node of this.#cluster?.nodes.values() ?? []) node.killNow();
  }

  async teardown(): Promise<string | undefined> {
    this.time.close();
    const crash = await this.#cluster?.teardown();
    this.#net.close();
    await this.#sink.close().catch((error) => console.error(`messages.jsonl: ${error}`));
    return crash;
  }

  #running(): Cluster {
    if (this.#cluster === undefined) throw new HarnessFailure("the cluster has not started");
    return this.#cluster;
  }
}
