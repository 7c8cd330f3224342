/**
 * The partition nemesis: start a partition at t≈0, then alternate stop/start with gaps uniform
 * in [0, 2·interval) s until the main phase ends. Shapes and gaps come from its own fork of the
 * seeded generator, so the same seed gives the same choices.
 *
 * @module
 */

import type { History } from "../history.ts";
import type { EngineLinks, EngineTime } from "../engine.ts";
import { describeGrudge, pickPartition } from "./partition.ts";
import type { Rng } from "../rng.ts";

/** Options of {@linkcode runPartitionNemesis}. */
export interface NemesisOptions {
  nodes: readonly string[];
  /** Mean gap between nemesis ops, seconds. */
  intervalS: number;
  rng: Rng;
  links: EngineLinks;
  time: Pick<EngineTime, "sleep">;
  history: History;
  /** Aborted when the main phase ends. */
  signal: AbortSignal;
}

/** Records a `stop-partition` op and heals the network. */
export function healNetwork(links: EngineLinks, history: History): void {
  links.heal();
  history.add({ type: "info", process: "nemesis", f: "stop-partition", value: "network-healed" });
}

/** Runs the partition schedule until `signal` aborts; resolves then (the network may stay cut). */
export async function runPartitionNemesis(options: NemesisOptions): Promise<void> {
  const { rng, links, history, signal } = options;
  let partitioned = false;
  while (!signal.aborted) {
    if (partitioned) {
      healNetwork(links, history);
    } else {
      const { shape, grudge } = pickPartition(options.nodes, rng);
      links.cut(grudge);
      history.add({
        type: "info",
        process: "nemesis",
        f: "start-partition",
        value: { shape, isolated: describeGrudge(grudge) },
      });
    }
    partitioned = !partitioned;
    const gapMs = rng.uniform(0, 2 * options.intervalS) * 1000;
    if (!await options.time.sleep(gapMs, signal)) return;
  }
}
