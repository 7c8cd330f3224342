/**
 * A run's network as every engine opens it: the message journal written to `messages.jsonl`
 * (echoed to stderr as `--log-net-send` / `--log-net-recv` ask), the {@linkcode Network} over it,
 * and the links the partition nemesis cuts and heals.
 *
 * @module
 */

import type { Clock } from "../../lib/clock.ts";
import type { EngineLinks, Grudge } from "../engine.ts";
import type { Rng } from "../rng.ts";
import { FileSink, type NetLog } from "./journal.ts";
import { type LatencyDist, Network } from "./network.ts";

/** Options of {@linkcode openRunNetwork}. */
export interface RunNetworkOptions {
  /** The run directory (`messages.jsonl` goes here). */
  dir: string;
  nodes: readonly string[];
  latency: number;
  latencyDist: LatencyDist;
  /** Draws latencies. */
  netRng: Rng;
  /** The run's start on `clock`: journal times count from it. */
  origin: number;
  /** The engine's clock; real time when absent. */
  clock?: Clock;
  logNet?: NetLog;
}

/** Opens the journal and the network of a run (see the module doc). */
export function openRunNetwork(
  o: RunNetworkOptions,
): { net: Network; sink: FileSink; links: EngineLinks } {
  const sink = new FileSink(`${o.dir}/messages.jsonl`, o.logNet);
  const net = new Network({
    nodes: o.nodes,
    latency: o.latency,
    latencyDist: o.latencyDist,
    rng: o.netRng,
    sink,
    origin: o.origin,
    ...(o.clock === undefined ? {} : { clock: o.clock }),
  });
  const links: EngineLinks = {
    cut: (grudge: Grudge) => net.setGrudge(grudge),
    heal: () => net.heal(),
  };
  return { net, sink, links };
}
