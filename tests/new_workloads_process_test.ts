/**
 * The four workloads beyond the challenges (g-set, pn-counter, lin-kv, txn-list-append) through
 * the process harness, as `deno task harness test` runs them: each correct fixture node, run as
 * processes, is valid (the simulator tests beside the workloads prove the broken ones fail).
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { nodeIds } from "../harness/options.ts";
import { runTest } from "../harness/run.ts";
import { runOptions } from "./_harness_run.ts";

const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url));

Deno.test("runTest() as processes: g-set, pn-counter, lin-kv and txn-list-append fixtures are valid", async () => {
  const store = await Deno.makeTempDir({ prefix: "new-workloads-" });
  try {
    const cases: [string, string, number][] = [
      ["g-set", "g_set/crdt.ts", 3],
      ["pn-counter", "pn_counter/crdt.ts", 3],
      ["lin-kv", "lin_kv/proxy.ts", 6],
      ["txn-list-append", "txn_list_append/forward.ts", 3],
    ];
    const runs = await Promise.all(
      cases.map(([workload, node, concurrency]) =>
        runTest(runOptions(workload, fixture(node), store, {
          nodes: nodeIds(3),
          concurrency,
          timeLimit: 3,
          rate: 30,
          latency: 5,
          nemesis: ["partition"],
          nemesisInterval: 1,
          finalPauseS: 3,
        }))
      ),
    );
    for (const [i, run] of runs.entries()) {
      const [workload] = cases[i] as [string, string, number];
      assert.equal(
        run.exitCode,
        0,
        `${workload}: ${JSON.stringify(run.results.workload).slice(0, 300)}`,
      );
      assert.equal(run.results.valid, true, workload);
    }
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
