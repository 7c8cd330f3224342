import assert from "node:assert/strict";
import { parseCli } from "../harness/cli.ts";
import {
  directoryBytes,
  formatScaleTable,
  SCALE_CONFIGS,
  scaleFigures,
  type ScaleRun,
} from "./bench_scale.ts";

Deno.test("formatScaleTable() prints medians over seeds and names a run that was not valid", () => {
  const run = (seed: number, valid: unknown, postMs: number, rss: number): ScaleRun => ({
    config: "big",
    seed,
    valid,
    ops: 1000 * seed,
    achievedRate: 80,
    rate: 100,
    serversMsgsPerOp: 1.234,
    latency: 100,
    linkLatencyMean: 100 + seed,
    replyTurnaroundMedian: 1.25,
    postProcessingMs: postMs,
    peakRssMiB: rss,
    cpuMs: 4000,
    wallMs: 30_000,
    storeMiB: 12.4,
    storePath: "",
  });
  const table = formatScaleTable([run(1, true, 1000, 300), run(2, true, 3000, 500)]);
  assert.match(
    table,
    /\| big \| 2\/2 \| 1500 \| 80 \(of 100\) \| 1\.23 \| 101\.5 \(of 100\) \| 1\.3 \| 4\.0 \/ 30 \| 400 \| 2\.0 \| 12 \|/,
  );
  const broken = formatScaleTable([run(1, true, 1000, 300), run(2, "unknown", 3000, 500)]);
  assert.match(broken, /\| big \| true, unknown \|/);
  const noLatency = formatScaleTable([{
    ...run(1, true, 1000, 300),
    latency: 0,
    linkLatencyMean: 0,
  }]);
  assert.match(noLatency, /\| 1\.23 \| - \| 1\.3 \|/);
  const missing = formatScaleTable([{ config: "x", seed: 1, valid: "error", storePath: "" }]);
  assert.match(missing, /\| x \| error( \| -){9} \|/);
});

Deno.test("scaleFigures() reads a run's figures from its results.json", () => {
  const figures = scaleFigures({
    valid: true,
    stats: { count: 1605 },
    "achieved-rate": 65.2,
    options: { rate: 100, latency: 100 },
    net: {
      servers: { "msgs-per-op": 6.12 },
      "latency-observed": { mean: 112.31 },
      "node-reply-turnaround": { median: 2.66 },
    },
    harness: {
      "cpu-user-ms": 7283,
      "cpu-system-ms": 2382,
      "wall-ms": 45860,
      "post-processing-ms": 615,
      "peak-rss-mib": 285,
    },
  });
  assert.deepStrictEqual(figures, {
    valid: true,
    ops: 1605,
    achievedRate: 65.2,
    rate: 100,
    serversMsgsPerOp: 6.12,
    latency: 100,
    linkLatencyMean: 112.31,
    replyTurnaroundMedian: 2.66,
    postProcessingMs: 615,
    peakRssMiB: 285,
    cpuMs: 9665,
    wallMs: 45860,
  });
  assert.deepStrictEqual(scaleFigures({ valid: "unknown" }), { valid: "unknown" });
});

Deno.test("directoryBytes() sums file sizes through subdirectories", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/sub`);
  await Deno.writeTextFile(`${dir}/a`, "12345");
  await Deno.writeTextFile(`${dir}/sub/b`, "123");
  assert.equal(await directoryBytes(dir), 8);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("SCALE_CONFIGS are harness commands the CLI takes, each with a distinct name", () => {
  for (const config of SCALE_CONFIGS) {
    const argv = ["test", "-w", config.workload, "--bin", config.bin, ...config.flags];
    const options = parseCli(argv, () => 1);
    assert.equal(options.workload, config.workload);
    assert.equal(options.timeLimit, 20, config.name);
  }
  assert.equal(new Set(SCALE_CONFIGS.map((c) => c.name)).size, SCALE_CONFIGS.length);
});
