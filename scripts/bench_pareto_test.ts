import assert from "node:assert/strict";
import { main as benchMain } from "./bench.ts";
import { formatParetoTable, LIMITS, publishedPeers, SWEEP } from "./bench_pareto.ts";
import { paretoSvg } from "./pareto_plot.ts";

Deno.test("publishedPeers() reads every published 3d/3e figure the bench cites", () => {
  const peers = publishedPeers();
  assert.deepEqual(peers.map((p) => [p.msgsPerOp, p.medianMs, p.maxMs]), [
    [22.78, 177, 237],
    [2.8, 269, 757],
    [1.92, 764, 1087],
  ]);
  assert.ok(peers.every((p) => p.source !== ""));
});

Deno.test("paretoSvg() draws a point per measurement in both panels, the limits and the peers", () => {
  const points = [
    {
      design: "efficient",
      tickMs: 100,
      msgsPerOp: 3,
      medianMs: 120,
      maxMs: 250,
      valid: 1,
      runs: 1,
    },
    {
      design: "efficient",
      tickMs: 400,
      msgsPerOp: 1,
      medianMs: 300,
      maxMs: 600,
      valid: 1,
      runs: 1,
    },
    {
      design: "frugal",
      tickMs: 900,
      msgsPerOp: 0.5,
      medianMs: 550,
      maxMs: 1100,
      valid: 1,
      runs: 1,
    },
  ];
  const svg = paretoSvg(points, publishedPeers(), LIMITS);
  assert.equal(svg.match(/<circle /g)?.length, 2 * points.length);
  assert.equal(svg.match(/class="limit"/g)?.length, 2 * LIMITS.length);
  assert.equal(svg.match(/class="peer"/g)?.length, 2 * publishedPeers().length);
  assert.match(svg, /frugal tick 900 ms: 0.5 msgs\/op, 550 \/ 1100 ms/);
  assert.match(formatParetoTable(points), /\| frugal \| 900 \| 0.50 \| 550 \/ 1100 \| 1\/1 \|/);
});

Deno.test("bench --pareto --sim sweeps every design's ticks and writes the table and the figure", async () => {
  const out = await Deno.makeTempDir({ prefix: "pareto-" });
  try {
    const code = await benchMain([
      "--pareto",
      "--sim",
      "--runs",
      "1",
      "--time-limit",
      "3",
      "--store",
      out,
      "--out",
      out,
    ]);
    assert.equal(code, 0);
    const table = await Deno.readTextFile(`${out}/pareto.md`);
    const rows = table.split("\n").filter((line) => /^\| (latency|efficient|frugal) \|/.test(line));
    assert.equal(rows.length, SWEEP.reduce((n, s) => n + s.ticks.length, 0));
    // Longer ticks cost fewer messages: the sweep moves along the curve.
    const frugal = rows.filter((r) => r.startsWith("| frugal")).map((r) => Number(r.split("|")[3]));
    assert.ok(frugal[0]! > frugal.at(-1)!, table);
    assert.match(await Deno.readTextFile(`${out}/pareto.svg`), /^<svg /);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
