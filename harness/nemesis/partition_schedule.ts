/**
 * The partition nemesis: start a partition at t≈0, then alternate stop/start with gaps uniform
 * in [0, 2·interval) s until the main phase ends. Shapes and gaps come from its own fork of the
 * seeded generator, so the same seed gives the same choices.
 *
 * @module
 */

import type { History } from "../history.ts";
import type { Network } from "../net/network.ts";
import { describeGrudge, pickPartition } from "./partition.ts";
import { sleepUnless } from "../phases.ts";
import type { Rng } from "../rng.ts";

/** Options of {@linkcode runPartitionNemesis}. */
export interface NemesisOptions {
  nodes: readonly string[];
  /** Mean gap between nemesis ops, seconds. */
  intervalS: number;
  rng: Rng;
  network: Network;
  history: History;
  /** Aborted when the main phase ends. */
  signal: AbortSignal;
}

/** Records a `stop-partition` op and heals the network. */
export function healNetwork(network: Network, history: History): void {
  network.heal();
  history.add({ type: "info", process: "nemesis", f: "stop-partition", value: "network-healed" });
}

/** Runs the partition schedule until `signal` aborts; resolves then (the network may stay cut). */
export async function runPartitionNemesis(options: NemesisOptions): Promise<void> {
  const { rng, network, history, signal } = options;
  let partitioned = false;
  while (!signal.aborted) {
    if (partitioned) {
      healNetwork(network, history);
    } else {
      const { shape, grudge } = pickPartition(options.nodes, rng);
      network.setGrudge(grudge);
      history.add({
        type: "info",
        process: "nemesis",
        f: "start-partition",
        value: { shape, isolated: describeGrudge(grudge) },
      });
    }
    partitioned = !partitioned;
    if (!await sleepUnless(rng.uniform(0, 2 * options.intervalS) * 1000, signal)) return;
  }
}
