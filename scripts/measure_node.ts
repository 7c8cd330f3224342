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

/** Options of {@linkcode startNode}. */
export interface StartNodeOptions {
  /** How long the node may take to answer init, ms (default 10000). */
  timeoutMs?: number;
}

/** A node process that has answered init; {@linkcode StartedNode.close} ends it. */
export interface StartedNode {
  /** Spawn to `init_ok`, ms. */
  startupMs: number;
  /** Resident memory right after `init_ok`, KiB. */
  rssKiBAfterInit: number;
  readonly pid: number;
  /** Writes raw bytes (newline-delimited JSON) to the node's stdin. */
  write(bytes: Uint8Array): Promise<void>;
  /** Resolves once the node has written `count` lines after `init_ok`. */
  awaitLines(count: number): Promise<void>;
  /** Closes stdin and waits for the exit; throws when the node exits non-zero. */
  close(): Promise<void>;
}

/** The argv that runs a challenge script with Deno (`-A`: modes are read from the environment). */
export function denoArgv(script: string, permissions: readonly string[] = ["-A"]): string[] {
  return [Deno.execPath(), "run", "--quiet", ...permissions, script];
}

/**
 * Spawns `argv` as node `n0` of a one-node cluster, sends `init` and waits for `init_ok` (lines
 * before it, e.g. service requests, are skipped). Times out by killing the node.
 *
 * @throws {Error} When the node ends its output or misses the deadline before `init_ok`.
 */
export async function startNode(
  argv: readonly string[],
  options: StartNodeOptions = {},
): Promise<StartedNode> {
  const encoder = new TextEncoder();
  const [cmd, ...args] = argv as [string, ...string[]];
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const splitter = new LineSplitter();
  const lines: string[] = [];
  const readLines = async (count: number) => {
    while (lines.length < count) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`node output ended after ${lines.length} lines`);
      splitter.push(value, (line) => lines.push(line));
    }
  };
  const close = async () => {
    await writer.close().catch(() => {});
    await reader.cancel();
    const status = await child.status;
    if (status.code !== 0) throw new Error(`node exited with ${status.code}`);
  };
  const init = { type: "init", msg_id: 1, node_id: "n0", node_ids: ["n0"] };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeoutMs = options.timeoutMs ?? 10000;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no init_ok within ${timeoutMs} ms`)), timeoutMs);
    });
    await writer.write(
      encoder.encode(JSON.stringify({ src: "c0", dest: "n0", body: init }) + "\n"),
    );
    const initOk = (async () => {
      for (let seen = 0;; seen++) {
        await readLines(seen + 1);
        if (/"in_reply_to"\s*:\s*1\b/.test(lines[seen] ?? "")) {
          lines.splice(0, seen + 1);
          return;
        }
      }
    })();
    await Promise.race([initOk, deadline]);
  } catch (error) {
    child.kill("SIGKILL");
    await close().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const startupMs = performance.now() - started;
  const rssKiBAfterInit = await _rssKiB(child.pid);
  return {
    startupMs,
    rssKiBAfterInit,
    pid: child.pid,
    write: (bytes) => writer.write(bytes),
    awaitLines: readLines,
    close,
  };
}

/** Start-up time and RSS after init of one spawn of `argv`. */
export async function measureStartup(
  argv: readonly string[],
  options: StartNodeOptions = {},
): Promise<{ startupMs: number; rssKiBAfterInit: number }> {
  const node = await startNode(argv, options);
  await node.close();
  return { startupMs: node.startupMs, rssKiBAfterInit: node.rssKiBAfterInit };
}

/** Spawns `script`, sends init, times `init_ok`, then echoes `burst` messages. */
export async function measureNode(script: string, burst: number): Promise<NodeMeasurement> {
  const node = await startNode(denoArgv(script, []));
  let batch = "";
  for (let i = 1; i <= burst; i++) {
    batch += JSON.stringify({
      src: "c1",
      dest: "n0",
      body: { type: "echo", msg_id: i, echo: `m${i}` },
    }) + "\n";
  }
  const burstStart = performance.now();
  const writing = node.write(new TextEncoder().encode(batch));
  await node.awaitLines(burst);
  await writing;
  const burstMsgsPerSec = burst / ((performance.now() - burstStart) / 1000);
  const rssKiBAfterBurst = await _rssKiB(node.pid);
  await node.close();
  return {
    startupMs: node.startupMs,
    rssKiBAfterInit: node.rssKiBAfterInit,
    rssKiBAfterBurst,
    burstMsgsPerSec,
  };
}

function _median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      runs: { type: "string", default: "5" },
      burst: { type: "string", default: "20000" },
    },
  });
  const script = new URL(`../${positionals[0] ?? "challenges/echo.ts"}`, import.meta.url).pathname;
  const runs: NodeMeasurement[] = [];
  await measureNode(script, 10); // warm the module cache so runs measure start-up, not compilation
  for (let i = 0; i < Number(values.runs); i++) {
    runs.push(await measureNode(script, Number(values.burst)));
  }
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
