/**
 * Measures one node process: start-up time (spawn to `init_ok`), resident memory after init and
 * after a burst, and echo throughput over pipes.
 *
 * Usage: `deno run -A scripts/measure_node.ts [challenges/echo.ts] [--runs 5] [--burst 20000]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { LineSplitter } from "../lib/line_stream.ts";

/** One measured run. */
export interface NodeMeasurement {
  startupMs: number;
  rssKiBAfterInit: number;
  rssKiBAfterBurst: number;
  burstMsgsPerSec: number;
}

async function _rssKiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) : NaN;
}

/** Spawns `script`, sends init, times `init_ok`, then echoes `burst` messages. */
export async function measureNode(script: string, burst: number): Promise<NodeMeasurement> {
  const encoder = new TextEncoder();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const splitter = new LineSplitter();
  const lines: string[] = [];
  const nextLines = async (count: number) => {
    while (lines.length < count) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`node output ended after ${lines.length} lines`);
      splitter.push(value, (line) => lines.push(line));
    }
  };
  const init = { type: "init", msg_id: 1, node_id: "n0", node_ids: ["n0"] };
  await writer.write(encoder.encode(JSON.stringify({ src: "c0", dest: "n0", body: init }) + "\n"));
  await nextLines(1);
  const startupMs = performance.now() - started;
  const rssKiBAfterInit = await _rssKiB(child.pid);

  let batch = "";
  for (let i = 1; i <= burst; i++) {
    batch += JSON.stringify({
      src: "c1",
      dest: "n0",
      body: { type: "echo", msg_id: i, echo: `m${i}` },
    }) + "\n";
  }
  const burstStart = performance.now();
  const writing = writer.write(encoder.encode(batch));
  await nextLines(burst + 1);
  await writing;
  const burstMsgsPerSec = burst / ((performance.now() - burstStart) / 1000);
  const rssKiBAfterBurst = await _rssKiB(child.pid);

  await writer.close();
  await reader.cancel();
  const status = await child.status;
  if (status.code !== 0) throw new Error(`node exited with ${status.code}`);
  return { startupMs, rssKiBAfterInit, rssKiBAfterBurst, burstMsgsPerSec };
}

function _median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { runs: { type: "string", default: "5" }, burst: { type: "string", default: "20000" } },
  });
  const script = new URL(`../${positionals[0] ?? "challenges/echo.ts"}`, import.meta.url).pathname;
  const runs: NodeMeasurement[] = [];
  await measureNode(script, 10); // warm the module cache so runs measure start-up, not compilation
  for (let i = 0; i < Number(values.runs); i++) runs.push(await measureNode(script, Number(values.burst)));
  const pick = (f: (m: NodeMeasurement) => number) => _median(runs.map(f));
  console.log(JSON.stringify({
    script: positionals[0] ?? "challenges/echo.ts",
    runs: runs.length,
    burst: Number(values.burst),
    medianStartupMs: Math.round(pick((m) => m.startupMs)),
    minStartupMs: Math.round(Math.min(...runs.map((m) => m.startupMs))),
    medianRssMiBAfterInit: +(pick((m) => m.rssKiBAfterInit) / 1024).toFixed(1),
    medianRssMiBAfterBurst: +(pick((m) => m.rssKiBAfterBurst) / 1024).toFixed(1),
    medianEchoMsgsPerSec: Math.round(pick((m) => m.burstMsgsPerSec)),
  }));
}
