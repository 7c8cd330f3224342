/**
 * The cluster of a run: the four services and the node processes, all registered on the
 * network; `init` for every node; kill and restart, pause and resume for the nemeses; teardown with the
 * early-exit verdict.
 *
 * @module
 */

import type { Body } from "../lib/message.ts";
import { ClientConnection, type ClientIds } from "./client.ts";
import { HarnessFailure } from "./history.ts";
import type { Network } from "./net/network.ts";
import { warmScript } from "./node_command.ts";
import { NodeProcess } from "./node_process.ts";
import type { Rng } from "./rng.ts";
import { createServices } from "./services/mod.ts";
import { RpcErrorReply, RpcTimeoutError } from "./workloads/contract.ts";

/** Options of {@linkcode startCluster}. */
export interface ClusterOptions {
  options: {
    nodes: readonly string[];
    bin: string;
    binArgs: readonly string[];
    logStderr: boolean;
    /** Maelstrom's bugs: silenced nodes, seq-kv's ring-buffer wrap. */
    compat?: boolean;
    env?: Readonly<Record<string, string>>;
  };
  network: Network;
  /** Directory for `<node>.log` files. */
  logDir: string;
  /**
   * Where each node gets its working directory, `<nodeDirs>/<node>`, kept across the node's
   * restarts; the harness's own when absent.
   */
  nodeDirs?: string;
  servicesRng: Rng;
  /** How long a node may take to answer init, ms (Maelstrom: 10000). */
  initTimeoutMs?: number;
  /** Called when a node exits before teardown. */
  onNodeExit?(id: string): void;
}

/** The running cluster. */
export interface Cluster {
  readonly nodes: ReadonlyMap<string, NodeProcess>;
  /** Sends init to every node in parallel; throws {@linkcode HarnessFailure} naming the node. */
  init(ids: ClientIds): Promise<void>;
  /**
   * Crashes `node` (SIGKILL, no grace) for the kill nemesis: messages to it are dropped until
   * {@linkcode Cluster.restart}, and its exit is expected, not a failure.
   */
  kill(node: string): Promise<void>;
  /**
   * Starts a killed `node` again (same argv, same log file) and sends `init` through a fresh
   * client; throws {@linkcode HarnessFailure} when it doesn't answer.
   */
  restart(node: string, ids: ClientIds): Promise<void>;
  /** Stops `node`'s process group (SIGSTOP) for the pause nemesis. */
  pause(node: string): Promise<void>;
  /** Continues a paused `node` (SIGCONT). */
  resume(node: string): Promise<void>;
  /** Kills every node; returns a failure message when some node had exited early. */
  teardown(): Promise<string | undefined>;
}

/**
 * The `malformed-stdout` section of `results.json`: per node that wrote any, how many stdout
 * lines were dropped as malformed and the first few with the reason; undefined when none were.
 */
export function malformedStdout(
  nodes: ReadonlyMap<string, NodeProcess>,
): Record<string, { count: number; examples: { line: string; reason: string }[] }> | undefined {
  const out: Record<string, { count: number; examples: { line: string; reason: string }[] }> = {};
  for (const [id, node] of nodes) {
    if (node.malformedCount > 0) {
      out[id] = { count: node.malformedCount, examples: [...node.malformedExamples] };
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function _describeExit(node: NodeProcess): string {
  const status = node.status;
  const how = status === undefined
    ? "unknown status"
    : `status ${status.code}${status.signal === null ? "" : ` (signal ${status.signal})`}`;
  const tail = node.stderrTail();
  const lines = tail.length === 0
    ? " (no stderr output)"
    : `; last stderr lines:\n  ${tail.join("\n  ")}`;
  return `node ${node.id} exited early with ${how}${lines}`;
}

/** Registers every service on the network: each answers requests in delivery order. */
export function registerServices(network: Network, rng: Rng, compat: boolean): void {
  for (const service of createServices(rng, { compat })) {
    network.register(service.id, {
      deliver(src: string, body: Body): void {
        let reply: Body | undefined;
        try {
          reply = service.handle(src, body);
        } catch (error) {
          console.error(`service ${service.id}: ${body.type} from ${src} threw: ${error}`);
        }
        if (reply === undefined) {
          console.error(`service ${service.id}: no reply to ${JSON.stringify(body)} from ${src}`);
        } else {
          network.send(service.id, src, reply);
        }
      },
    });
  }
}

/** Each node's exit, resolved when its process ends before teardown (renewed on a restart). */
type _Exits = Map<string, PromiseWithResolvers<Deno.CommandStatus>>;

/**
 * Spawns every node in parallel and registers it on the network.
 *
 * @throws {HarnessFailure} Naming the first node that could not start (the others are closed).
 */
async function _spawnNodes(o: ClusterOptions, exits: _Exits): Promise<Map<string, NodeProcess>> {
  const { network, options } = o;
  await warmScript(options.bin);
  for (const id of options.nodes) exits.set(id, Promise.withResolvers());
  const started = await Promise.allSettled(options.nodes.map((id) =>
    NodeProcess.start({
      id,
      bin: options.bin,
      args: options.binArgs,
      logDir: o.logDir,
      ...(o.nodeDirs === undefined ? {} : { cwd: `${o.nodeDirs}/${id}` }),
      logStderr: options.logStderr,
      onMessage: (src, dest, body) => network.send(src, dest, body),
      compat: options.compat ?? false,
      ...(options.env === undefined ? {} : { env: options.env }),
      onExit: (nodeId, status) => {
        console.error(`NODE EXITED: ${nodeId} exited during the run with status ${status.code}`);
        exits.get(nodeId)?.resolve(status);
        o.onNodeExit?.(nodeId);
      },
    })
  ));
  const nodes = new Map<string, NodeProcess>();
  let spawnError: string | undefined;
  for (const [i, result] of started.entries()) {
    if (result.status === "fulfilled") nodes.set(result.value.id, result.value);
    else spawnError ??= `cannot start node ${options.nodes[i]} (${options.bin}): ${result.reason}`;
  }
  if (spawnError !== undefined) {
    await Promise.all([...nodes.values()].map((node) => node.close()));
    throw new HarnessFailure(spawnError);
  }
  for (const node of nodes.values()) network.register(node.id, node);
  return nodes;
}

/**
 * Sends `init` to `conn`'s node and waits for `init_ok`, or for the node's exit or the timeout;
 * closes `conn` either way.
 *
 * @throws {HarnessFailure} Saying how the node failed.
 */
async function _initNode(
  conn: ClientConnection,
  node: NodeProcess,
  exit: Promise<Deno.CommandStatus>,
  nodeIds: readonly string[],
  initTimeoutMs: number,
): Promise<void> {
  const id = conn.node;
  const exited = exit.then(() => {
    throw new HarnessFailure(`${_describeExit(node)} (before answering init)`);
  });
  try {
    const reply = await Promise.race([
      conn.rpc({ type: "init", node_id: id, node_ids: [...nodeIds] }),
      exited,
    ]);
    if (reply.type !== "init_ok") {
      throw new HarnessFailure(`node ${id} answered init with ${JSON.stringify(reply)}`);
    }
  } catch (error) {
    if (error instanceof RpcTimeoutError) {
      throw new HarnessFailure(`node ${id} did not answer init within ${initTimeoutMs} ms`);
    }
    if (error instanceof RpcErrorReply) {
      throw new HarnessFailure(`node ${id} answered init with an error: ${error.message}`);
    }
    throw error;
  } finally {
    conn.close();
  }
}

/** Registers the services, spawns the nodes in parallel, and registers them too. */
export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const { network, options } = o;
  const initTimeoutMs = o.initTimeoutMs ?? 10000;
  registerServices(network, o.servicesRng, options.compat ?? false);
  const exits: _Exits = new Map();
  const nodes = await _spawnNodes(o, exits);
  const nodeNamed = (id: string): NodeProcess => {
    const node = nodes.get(id);
    if (node === undefined) throw new RangeError(`No node ${id}`);
    return node;
  };
  const init = (ids: ClientIds, id: string): Promise<void> =>
    _initNode(
      new ClientConnection(network, ids, id, { timeoutMs: initTimeoutMs }),
      nodeNamed(id),
      (exits.get(id) as PromiseWithResolvers<Deno.CommandStatus>).promise,
      options.nodes,
      initTimeoutMs,
    );

  return {
    nodes,
    async init(ids: ClientIds): Promise<void> {
      // Connections are created in node order before any await, so init clients are c0…c{n-1}.
      const results = await Promise.allSettled(options.nodes.map((id) => init(ids, id)));
      const failed = results.find((r) => r.status === "rejected");
      if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    },
    async kill(id: string): Promise<void> {
      const node = nodeNamed(id);
      network.setDown(id, true);
      await node.crash();
    },
    async restart(id: string, ids: ClientIds): Promise<void> {
      const node = nodeNamed(id);
      exits.set(id, Promise.withResolvers());
      await node.restart();
      network.setDown(id, false);
      try {
        await init(ids, id);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new HarnessFailure(`after a kill-nemesis restart of ${id}: ${why}`);
      }
    },
    pause: (id: string) => nodeNamed(id).pause(),
    resume: (id: string) => nodeNamed(id).resume(),
    async teardown(): Promise<string | undefined> {
      const early = [...nodes.values()].filter((node) => node.exitedEarly).map(_describeExit);
      await Promise.all([...nodes.values()].map((node) => node.close()));
      return early.length === 0 ? undefined : early.join("\n");
    },
  };
}
