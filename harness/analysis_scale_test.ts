/**
 * The analysis and the report at a size no official run reaches: a history of 1 000 000
 * operations and a journal of 3 000 000 messages (6 000 000 events) must be analysed and drawn
 * without a crash, and the page must stay small.
 *
 * @module
 */

import assert from "node:assert/strict";
import { analyze } from "./analysis.ts";
import { VirtualClock } from "../lib/clock.ts";
import { Network } from "./net/network.ts";
import { defaultTestOptions } from "./options.ts";
import { renderReport } from "./report/html.ts";
import { createRng } from "./rng.ts";
import type { Op } from "./history.ts";
import { uniqueIdsWorkload } from "./workloads/unique_ids.ts";

Deno.test("analyze() and renderReport() take 1 000 000 ops and 3 000 000 messages", () => {
  const history: Op[] = [];
  for (let i = 0; i < 500_000; i++) {
    const time = i * 40_000; // 25 000 ops/s for 20 s
    const process = i % 50;
    history.push({ index: 2 * i, time, type: "invoke", process, f: "generate", value: null });
    history.push({
      index: 2 * i + 1,
      time: time + 200_000 + (i % 7919) * 1_000,
      type: "ok",
      process,
      f: "generate",
      value: `n${process % 5}-${i}`,
      node: `n${process % 5}`,
    });
  }
  const nodes = ["n0", "n1", "n2", "n3", "n4"];
  const network = new Network({
    nodes,
    latency: 0,
    latencyDist: "constant",
    rng: createRng(1),
    clock: new VirtualClock(),
  });
  for (let id = 0; id < 3_000_000; id++) {
    const time = id * 6_000;
    const client = id % 3 === 0;
    const src = client ? `c${id % 50}` : nodes[id % 5]!;
    const dest = nodes[(id + 1) % 5]!;
    network.journal.send(time, id, src, dest, client ? "generate" : "gossip");
    network.journal.recv(time + 1_000, id, src, dest, client ? "generate" : "gossip");
  }
  const options = defaultTestOptions("unique-ids", 5);
  const results = analyze({ workload: uniqueIdsWorkload, options, history, network });
  assert.equal(results.valid, true);
  const workload = results.workload as Record<string, unknown>;
  assert.equal(workload["acknowledged-count"], 500_000);
  const net = results.net as { all: Record<string, number> };
  assert.equal(net.all["msg-count"], 3_000_000);
  assert.equal(net.all["msgs-per-op"], 6);
  const html = renderReport({ results, history, journal: network.journal, title: "scale" });
  // The history's four plots, the per-process timeline, the two message plots.
  assert.equal(html.match(/<svg class="plot"/g)?.length, 7);
  assert.ok(html.length < 5_000_000, `report is ${html.length} bytes`);
  network.close();
});
