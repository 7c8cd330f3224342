import assert from "node:assert/strict";
import { runOptions } from "../tests/_harness_run.ts";
import { type RunOptions, runTest } from "./run.ts";
import type { Op } from "./history.ts";

const FIXTURE = new URL("../tests/fixtures/engine/node.ts", import.meta.url).pathname;

function _options(store: string, extra: Partial<RunOptions> = {}): RunOptions {
  return runOptions("echo", FIXTURE, store, {
    timeLimit: 1.5,
    rate: 10,
    binArgs: ["ok"],
    ...extra,
  });
}

async function _readHistory(dir: string): Promise<Op[]> {
  const text = await Deno.readTextFile(`${dir}/history.jsonl`);
  return text.trim().split("\n").map((line) => JSON.parse(line) as Op);
}

Deno.test("runTest() writes the store layout and exits 0 for a correct echo node", async () => {
  const store = await Deno.makeTempDir();
  const { results, storePath, exitCode } = await runTest(_options(store));
  assert.equal(exitCode, 0);
  assert.equal(results.valid, true);
  const written = JSON.parse(await Deno.readTextFile(`${storePath}/results.json`));
  assert.deepEqual(Object.keys(written), [
    "valid",
    "workload",
    "net",
    "availability",
    "stats",
    "exceptions",
    "op-latencies",
    "options",
    "strict",
    "seed",
    "engine",
    "achieved-rate",
    "stagger",
    "harness",
  ]);
  assert.deepEqual(Object.keys(written.net), [
    "valid",
    "all",
    "clients",
    "servers",
    "latency-observed",
    "node-reply-turnaround",
  ]);
  assert.equal(written.seed, 1);
  assert.equal(written.engine, "process");
  assert.equal(written.options["time-limit"], 1.5);
  // The harness's own cost, measured after the report was written.
  assert.deepEqual(Object.keys(written.harness), [
    "cpu-user-ms",
    "cpu-system-ms",
    "wall-ms",
    "post-processing-ms",
    "peak-rss-mib",
  ]);
  assert.ok(written.harness["post-processing-ms"] <= written.harness["wall-ms"]);
  assert.ok(written.harness["peak-rss-mib"] > 0);
  const name = storePath.slice(storePath.lastIndexOf("/") + 1);
  assert.match(name, /^\d{8}T\d{6}\.\d{3}$/);
  assert.equal(await Deno.readLink(`${store}/latest`), `echo/${name}`);
  assert.equal(await Deno.readLink(`${store}/echo/latest`), name);
  const history = await _readHistory(storePath);
  const invokes = history.filter((op) => op.type === "invoke").length;
  assert.ok(invokes >= 5, `only ${invokes} invokes`);
  assert.deepEqual(history.map((op) => op.index), history.map((_, i) => i));
  // Every invoke here came from the main phase's generator, over the 1.5 s time limit.
  assert.ok(
    Math.abs(written["achieved-rate"] * 1.5 - invokes) < 1,
    `achieved-rate ${written["achieved-rate"]} for ${invokes} invokes`,
  );
  // echo on one node: init + init_ok + a request and a reply per op (as src/maelstrom/net/checker.clj counts them).
  assert.equal(written.net.all["msg-count"], 2 * invokes + 2);
  const journal = (await Deno.readTextFile(`${storePath}/messages.jsonl`)).trim().split("\n");
  assert.equal(journal.length, 2 * written.net.all["send-count"]);
  assert.equal((await Deno.stat(`${storePath}/node-logs/n0.log`)).isFile, true);
  await Deno.remove(store, { recursive: true });
});

Deno.test("runTest() fails with exit 2 naming the node that never answers init", async () => {
  const store = await Deno.makeTempDir();
  const { results, exitCode } = await runTest(
    _options(store, { binArgs: ["silent"], initTimeoutMs: 300 }),
  );
  assert.equal(exitCode, 2);
  assert.equal(results.valid, "unknown");
  assert.equal(results["harness-error"], "node n0 did not answer init within 300 ms");
  await Deno.remove(store, { recursive: true });
});

Deno.test("runTest() fails with exit 2 when a node exits mid-run, with its status and stderr", async () => {
  const store = await Deno.makeTempDir();
  const { results, exitCode, storePath } = await runTest(_options(store, { binArgs: ["exit"] }));
  assert.equal(exitCode, 2);
  assert.equal(
    results["harness-error"],
    "node n0 exited early with status 3; last stderr lines:\n  fixture: exiting on purpose",
  );
  assert.equal(
    await Deno.readTextFile(`${storePath}/node-logs/n0.log`),
    "fixture: exiting on purpose\n",
  );
  await Deno.remove(store, { recursive: true });
});

Deno.test("runTest() rejects bad options with exit 2 before starting nodes", async () => {
  const store = await Deno.makeTempDir();
  const { results, exitCode, storePath } = await runTest(_options(store, { concurrency: 0 }));
  assert.deepEqual([exitCode, storePath, results.error], [
    2,
    "",
    "--concurrency must be a positive integer",
  ]);
  await Deno.remove(store, { recursive: true });
});

Deno.test("runTest() checks the workload, topology and key counts before creating anything", async () => {
  const store = await Deno.makeTempDir();
  const cases: [Partial<RunOptions>, RegExp][] = [
    [{ workload: "bank" }, /^-w: unknown workload "bank" \(known: broadcast, echo, /],
    [
      { workload: "lin-kv", concurrency: 3 },
      /^--concurrency must be a multiple of 2 × --node-count/,
    ],
    [{ workload: "broadcast", topology: "bogus" }, /^--topology: unknown topology "bogus"/],
    [{ workload: "kafka", keyCount: 0 }, /^--key-count must be a positive integer$/],
    [{ maxWritesPerKey: 0 }, /^--max-writes-per-key must be a positive integer$/],
  ];
  for (const [overrides, error] of cases) {
    const { results, exitCode, storePath } = await runTest(_options(store, overrides));
    assert.deepEqual([exitCode, storePath], [2, ""]);
    assert.match(String(results.error), error);
  }
  assert.deepEqual([...Deno.readDirSync(store)], []);
  await Deno.remove(store, { recursive: true });
});

Deno.test("runTest() counts malformed stdout lines per node in results, with examples", async () => {
  const store = await Deno.makeTempDir();
  const { results } = await runTest(_options(store, { binArgs: ["malformed"], nodeCount: 2 }));
  assert.deepEqual(results["malformed-stdout"], {
    n0: {
      count: 2,
      examples: [
        { line: "this is not json", reason: "not JSON" },
        {
          line: '{"src":"n0","dest":"c0","body":{"type":"x"},"extra":1}',
          reason: 'unexpected key "extra"',
        },
      ],
    },
    n1: {
      count: 2,
      examples: [
        { line: "this is not json", reason: "not JSON" },
        {
          line: '{"src":"n1","dest":"c0","body":{"type":"x"},"extra":1}',
          reason: 'unexpected key "extra"',
        },
      ],
    },
  });
  await Deno.remove(store, { recursive: true });
});

Deno.test("runTest() with the same seed generates the same ops and nemesis choices", async () => {
  const store = await Deno.makeTempDir();
  const nodes = ["n0", "n1", "n2", "n3", "n4"];
  const runs: Op[][] = [];
  for (let i = 0; i < 2; i++) {
    const { storePath, exitCode } = await runTest(
      _options(store, {
        nodes,
        nodeCount: 5,
        concurrency: 5,
        seed: 77,
        rate: 20,
        nemesis: ["partition"],
        nemesisInterval: 0.1,
      }),
    );
    assert.equal(exitCode, 0);
    runs.push(await _readHistory(storePath));
  }
  const invokes = runs.map((h) => h.filter((op) => op.type === "invoke").map((op) => op.value));
  const nemesis = runs.map((h) =>
    h.filter((op) => op.process === "nemesis").map((op) => JSON.stringify([op.f, op.value]))
  );
  const n = Math.min(invokes[0]?.length ?? 0, invokes[1]?.length ?? 0);
  const m = Math.min(nemesis[0]?.length ?? 0, nemesis[1]?.length ?? 0);
  assert.ok(n >= 10 && m >= 4, `too few ops (${n}) or nemesis ops (${m})`);
  assert.deepEqual(invokes[0]?.slice(0, n), invokes[1]?.slice(0, n));
  assert.deepEqual(nemesis[0]?.slice(0, m), nemesis[1]?.slice(0, m));
  assert.equal(JSON.parse(nemesis[0]?.[0] ?? "[]")[0], "start-partition");
  await Deno.remove(store, { recursive: true });
});
