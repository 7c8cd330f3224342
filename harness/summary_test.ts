import assert from "node:assert/strict";
import {
  achievedRateLine,
  failureReason,
  finalReadsLine,
  formatSummary,
  machineWarnings,
} from "./summary.ts";
import type { Op } from "./history.ts";

Deno.test("failureReason() names the checker and its key fields", () => {
  assert.equal(
    failureReason("workload", { valid: false, "lost-count": 3, "duplicated-count": 0, errors: [] }),
    "workload (lost-count 3)",
  );
  assert.equal(
    failureReason("stats", {
      valid: false,
      "by-f": { cas: { valid: false }, read: { valid: true } },
    }),
    "stats (cas: no ok)",
  );
  assert.equal(failureReason("net", { valid: "unknown" }), "net");
});

Deno.test("formatSummary() shows the verdict, counts, msgs/op, latencies, store and seed", () => {
  const history: Op[] = [
    { index: 0, time: 0, type: "invoke", process: 0, f: "broadcast", value: 1 },
    { index: 1, time: 1, type: "ok", process: 0, f: "broadcast", value: 1 },
    { index: 2, time: 2, type: "info", process: "nemesis", f: "start-partition", value: null },
  ];
  const text = formatSummary({
    results: {
      valid: false,
      workload: {
        valid: false,
        "lost-count": 2,
        "stable-latencies": { "0.5": 120, "0.95": 300, "1": 400 },
      },
      stats: { valid: true },
      availability: { valid: true, "ok-fraction": 1 },
      net: {
        valid: true,
        all: { "msg-count": 10, "msgs-per-op": 10 },
        servers: { "msg-count": 8, "msgs-per-op": 8 },
        "latency-observed": { count: 8, mean: 101.5, min: 100, max: 104 },
      },
      harness: {
        "cpu-user-ms": 900,
        "cpu-system-ms": 100,
        "wall-ms": 5000,
        "post-processing-ms": 250,
        "peak-rss-mib": 90,
      },
    },
    storePath: "store/broadcast/x",
    seed: 42,
    history,
  });
  assert.equal(
    text,
    [
      "INVALID: workload (lost-count 2)",
      "  The workload checker says false.",
      "ops: 1 invoked, 1 ok, 0 fail, 0 info; 1 nemesis ops",
      "msgs/op: all 10.00, servers 8.00 (10 msgs)",
      "node link latency observed (ms): mean 101.50, min 100.00, max 104.00 over 8 msgs",
      "stable latencies (ms): median 120, p95 300, max 400",
      "availability: ok-fraction 1.0000",
      "harness cpu: 900 ms user + 100 ms sys over 5000 ms; post-processing 250 ms; peak RSS 90 MiB",
      "store: store/broadcast/x",
      "seed: 42 (replay with --seed 42)",
    ].join("\n"),
  );
});

Deno.test("formatSummary() prints the kill nemesis's kills and restarts", () => {
  const text = formatSummary({
    results: {
      valid: true,
      nemesis: { kills: 2, restarts: 2, killed: ["n1", "n0"], "dropped-to-dead": 5 },
      options: { rate: 1000 },
      "achieved-rate": 805.37,
    },
    storePath: "store/echo/x",
    seed: 7,
    history: [],
  });
  assert.equal(
    text,
    [
      "VALID",
      "ops: 0 invoked, 0 ok, 0 fail, 0 info",
      "rate: 805 ops/s achieved of 1000 requested (81 %)",
      "kill nemesis: 2 kills, 2 restarts (killed n1, n0); 5 msgs dropped at dead nodes",
      "store: store/echo/x",
      "seed: 7 (replay with --seed 7)",
    ].join("\n"),
  );
});

Deno.test("formatSummary() lists checker warnings and says when --strict made them fatal", () => {
  const results = {
    valid: true,
    strict: false,
    workload: { valid: true, warnings: ["garbage-read: 2 reads of values nobody wrote"] },
  };
  const text = formatSummary({ results, storePath: "s", seed: 1, history: [] });
  assert.match(text, /^VALID\nwarning: workload: garbage-read: 2 reads of values nobody wrote\n/);
  assert.doesNotMatch(text, /strict/);
  const strict = formatSummary({
    results: {
      ...results,
      valid: false,
      strict: true,
      workload: { ...results.workload, valid: false },
    },
    storePath: "s",
    seed: 1,
    history: [],
  });
  assert.match(
    strict,
    /^INVALID: workload\n {2}Fatal under --strict: garbage-read: 2 reads of values nobody wrote\nstrict: checks beyond Maelstrom's are fatal/,
  );
});

Deno.test("achievedRateLine() shows the achieved rate, and the requested one when known", () => {
  assert.equal(
    achievedRateLine({ "achieved-rate": 8.33, options: { rate: 10 } }),
    "rate: 8.3 ops/s achieved of 10 requested (83 %)",
  );
  assert.equal(achievedRateLine({ "achieved-rate": 1587.3 }), "rate: 1587 ops/s achieved");
  assert.equal(achievedRateLine({ valid: "unknown" }), undefined);
});

Deno.test("achievedRateLine() explains a rate below 95 % by busy threads or by scheduling lag", () => {
  const base = { options: { rate: 1000, concurrency: 6 }, "achieved-rate": 800 };
  const busy = achievedRateLine({
    ...base,
    stagger: { ops: 16000, "duration-ms": 20000, "worker-wait-ms": 5000, "lag-ms": 100 },
  });
  assert.match(
    busy ?? "",
    /^rate: 800 ops\/s achieved of 1000 requested \(80 %: every one of the 6/,
  );
  const lagging = achievedRateLine({
    ...base,
    stagger: { ops: 16000, "duration-ms": 20000, "worker-wait-ms": 10, "lag-ms": 4000 },
  });
  assert.match(lagging ?? "", /\(80 %: each op was issued 0\.25 ms after it was due/);
  assert.equal(
    achievedRateLine({ ...base, "achieved-rate": 960 }),
    "rate: 960 ops/s achieved of 1000 requested",
  );
  // 92 of 100 expected ops: within √(100/3) ≈ 5.8 ops × 3 of chance.
  assert.equal(
    achievedRateLine({
      options: { rate: 20 },
      "achieved-rate": 18.4,
      stagger: { ops: 92, "duration-ms": 5000, "worker-wait-ms": 0, "lag-ms": 20 },
    }),
    "rate: 18.4 ops/s achieved of 20 requested (92 %: within the stagger's randomness over 100 " +
      "expected ops)",
  );
});

Deno.test("machineWarnings() calls out slow links and slow node turnaround past 10 % of --latency", () => {
  const results = (mean: number, median: number) => ({
    options: { latency: 100 },
    net: {
      "latency-observed": { count: 10, mean, min: 100, max: 140 },
      "node-reply-turnaround": { count: 10, mean: median, median, p99: median, max: median },
    },
  });
  assert.deepEqual(machineWarnings(results(104, 2)), []);
  const both = machineWarnings(results(118.4, 14));
  assert.equal(both.length, 2);
  assert.match(both[0]!, /^warning: node links took 18\.4 ms beyond --latency 100/);
  assert.match(both[1]!, /^warning: nodes took 14\.0 ms \(median\) from their latest message/);
  assert.deepEqual(machineWarnings({ ...results(500, 500), options: { latency: 0 } }), []);
});

Deno.test("finalReadsLine() sums up --final-reads, spelling out lost writes and unread keys", () => {
  assert.equal(finalReadsLine(undefined), undefined);
  const ok = { "key-count": 12, "read-count": 24, "lost-write-count": 0, "unread-count": 0 };
  assert.equal(finalReadsLine(ok), "final reads: 12 keys, 24 reads, 0 lost writes");
  assert.equal(
    finalReadsLine({ ...ok, "lost-write-count": 3, "unread-count": 2 }),
    "final reads: 12 keys, 24 reads, 3 lost writes (lost-write: fatal with --final-reads); " +
      "2 node/key pairs never read",
  );
});
