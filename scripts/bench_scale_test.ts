import assert from "node:assert/strict";
import { directoryBytes, formatScaleTable, type ScaleRun } from "./bench_scale.ts";

Deno.test("formatScaleTable() prints medians over seeds and names a run that was not valid", () => {
  const run = (seed: number, valid: unknown, postMs: number, rss: number): ScaleRun => ({
    config: "big",
    seed,
    valid,
    ops: 1000 * seed,
    achievedRate: 500,
    postProcessingMs: postMs,
    peakRssMiB: rss,
    cpuMs: 4000,
    storeMiB: 12.4,
    storePath: "",
  });
  const table = formatScaleTable([run(1, true, 1000, 300), run(2, true, 3000, 500)]);
  assert.match(table, /\| big \| 2\/2 \| 1500 \| 500 \| 2\.0 \| 400 \| 4\.0 \| 12 \|/);
  const broken = formatScaleTable([run(1, true, 1000, 300), run(2, "unknown", 3000, 500)]);
  assert.match(broken, /\| big \| true, unknown \|/);
  const missing = formatScaleTable([{ config: "x", seed: 1, valid: "error", storePath: "" }]);
  assert.match(missing, /\| x \| error \| - \| - \| - \| - \| - \| - \|/);
});

Deno.test("directoryBytes() sums file sizes through subdirectories", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/sub`);
  await Deno.writeTextFile(`${dir}/a`, "12345");
  await Deno.writeTextFile(`${dir}/sub/b`, "123");
  assert.equal(await directoryBytes(dir), 8);
  await Deno.remove(dir, { recursive: true });
});
