/**
 * End-to-end checks that the harness does what Maelstrom v0.2.4 does, where no other test covers
 * it: net stats of a one-node echo run (`src/maelstrom/net/checker.clj`), the final phases
 * (`workload/*.clj`), and a node exiting with status 0 mid-run (`process.clj`). Unit-level checks
 * are in `maelstrom_conformance_unit_test.ts`; docs/harness.md lists how each part follows
 * Maelstrom.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import type { Op } from "../harness/history.ts";
import { run, runOptions, withStore } from "./_harness_run.ts";

const ENGINE = fromFileUrl(new URL("./fixtures/engine/node.ts", import.meta.url));
const EXIT_ZERO = fromFileUrl(new URL("./fixtures/conformance/exit_zero.ts", import.meta.url));

async function _history(storePath: string): Promise<Op[]> {
  const text = await Deno.readTextFile(`${storePath}/history.jsonl`);
  return text.trim().split("\n").map((line) => JSON.parse(line) as Op);
}

type Group = Record<string, number>;

Deno.test("runTest() echo on 1 node: servers msg-count 0, all 2N+2 for N ok ops, no final phase", async () => {
  await withStore("conformance-", async (dir) => {
    const out = await run(
      runOptions("echo", ENGINE, dir, { binArgs: ["ok"], timeLimit: 1, rate: 20 }),
    );
    assert.equal(out.exitCode, 0);
    const history = await _history(out.storePath);
    const invokes = history.filter((op) => op.type === "invoke").length;
    const oks = history.filter((op) => op.type === "ok").length;
    assert.ok(oks >= 5, `only ${oks} ok ops`);
    assert.equal(oks, invokes);
    const net = out.results.net as { all: Group; servers: Group };
    assert.equal(net.servers["msg-count"], 0);
    assert.equal(net.all["msg-count"], 2 * oks + 2);
    // echo has no final phase: no final ops and no 10 s pause (Maelstrom's echo workload has no :final-generator).
    assert.equal(history.some((op) => op.final === true), false);
    const wallMs = (out.results.harness as Group)["wall-ms"] ?? Infinity;
    assert.ok(wallMs < 8000, `echo run took ${wallMs} ms`);
  });
});

Deno.test("runTest() broadcast final phase: heal, then >= 10 s, then one final read per worker", async () => {
  await withStore("conformance-", async (dir) => {
    // Maelstrom's default 10 s pause (finalPauseS unset) is what is being checked here.
    const out = await run(runOptions("broadcast", ENGINE, dir, {
      binArgs: ["ok"],
      nodeCount: 2,
      timeLimit: 1,
      rate: 10,
      nemesis: ["partition"],
      nemesisInterval: 0.2,
    }));
    // The fixture floods once, so partitions may lose values: only the phases matter here.
    assert.notEqual(out.exitCode, 2);
    const history = await _history(out.storePath);
    const firstFinal = history.findIndex((op) => op.final === true);
    assert.ok(firstFinal > 0, "no final ops");
    const finals = history.slice(firstFinal).filter((op) => op.type === "invoke");
    assert.deepEqual(finals.map((op) => [op.f, op.final]), [["read", true], ["read", true]]);
    assert.equal(new Set(finals.map((op) => op.process)).size, 2);
    // The last op before the final reads is the heal, at least 10 s earlier.
    const heal = history[firstFinal - 1] as Op;
    assert.deepEqual([heal.process, heal.f, heal.value], [
      "nemesis",
      "stop-partition",
      "network-healed",
    ]);
    const gapS = ((history[firstFinal] as Op).time - heal.time) / 1e9;
    assert.ok(gapS >= 10, `gap ${gapS} s`);
    assert.equal(history.slice(firstFinal).some((op) => op.process === "nemesis"), false);
  });
});

Deno.test("runTest() exits 2 when a node exits with status 0 mid-run, and still writes results.json", async () => {
  await withStore("conformance-", async (dir) => {
    const out = await run(runOptions("echo", EXIT_ZERO, dir, { timeLimit: 3, rate: 10 }));
    assert.equal(out.exitCode, 2);
    const written = JSON.parse(await Deno.readTextFile(`${out.storePath}/results.json`));
    assert.equal(written.valid, "unknown");
    assert.equal(
      written["harness-error"],
      "node n0 exited early with status 0 (no stderr output)",
    );
  });
});
