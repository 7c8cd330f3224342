/**
 * `deno task bench:ui [--runs N] [--store DIR]`: how long a 3d-sized run's report takes to open in
 * a real browser, printed. It simulates challenge 3d (broadcast, 25 nodes, 100 ms links, rate 100
 * for 20 s, `latency` mode: about 29 000 messages; seed 1, so every run measures the same page),
 * then opens its `report.html` N times (5) in headless Chromium (Debian's `chromium` under
 * puppeteer-core) and times each open from navigation until the message diagram has drawn. The
 * issue's budget is 2 s; over it, the exit status is 1.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { createBroadcastNode } from "../challenges/broadcast.ts";
import { defaultTestOptions } from "../harness/options.ts";
import { runTest } from "../harness/run.ts";
import { simEngine } from "../harness/sim/engine.ts";
import { findChromium, launchBrowser } from "../harness/report/chromium.ts";

/** The issue's budget for opening 3d's diagram, in ms. */
export const OPEN_BUDGET_MS = 2000;

/** Simulates a 3d run into `storeDir`; returns its run directory. */
export async function simulate3d(storeDir: string, seed = 1): Promise<string> {
  const { storePath } = await runTest({
    ...defaultTestOptions("broadcast", 25),
    timeLimit: 20,
    rate: 100,
    latency: 100,
    seed,
    bin: "challenges/broadcast.ts (latency mode, simulated)",
    binArgs: [],
    storeDir,
    quiet: true,
    engine: simEngine((options) => createBroadcastNode({ ...options, mode: "latency" })),
  });
  return storePath;
}

/** One open of a report: wall time to the drawn diagram, and its script's own share. */
export interface OpenTiming {
  wallMs: number;
  scriptMs: number;
  messages: number;
  pageErrors: string[];
}

type _Browser = Awaited<ReturnType<typeof launchBrowser>>;

/** Opens `file` in a fresh page of `browser` and times it until `#diagram[data-ready]`. */
export async function timeOpen(browser: _Browser, file: string): Promise<OpenTiming> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  try {
    const start = performance.now();
    await page.goto(new URL(`file://${file}`).href);
    await page.waitForSelector("#diagram[data-ready]", { timeout: 60_000 });
    const wallMs = performance.now() - start;
    // A string, so this file needs no DOM types: the page's own figures, read in the page.
    const figures: unknown = await page.evaluate(
      `[Number(document.getElementById("diagram").dataset.ready),
        JSON.parse(document.getElementById("diagram-data").textContent).sent.length]`,
    );
    const [scriptMs, messages] = Array.isArray(figures) ? figures.map(Number) : [];
    return { wallMs, scriptMs: scriptMs ?? NaN, messages: messages ?? 0, pageErrors };
  } finally {
    await page.close();
  }
}

function _median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function _main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { runs: { type: "string", default: "5" }, store: { type: "string" } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error("Usage: deno task bench:ui [--runs N] [--store DIR]");
    return 2;
  }
  const chromium = findChromium();
  if (chromium === undefined) {
    console.error("bench:ui: Chromium is not installed (Debian: apt-get install chromium)");
    return 2;
  }
  const store = values.store ?? await Deno.makeTempDir({ prefix: "bench-ui-" });
  try {
    const dir = await simulate3d(store);
    const file = `${Deno.realPathSync(dir)}/report.html`;
    const size = (await Deno.stat(file)).size;
    const browser = await launchBrowser(chromium);
    const timings: OpenTiming[] = [];
    try {
      for (let i = 0; i < runs; i++) timings.push(await timeOpen(browser, file));
    } finally {
      await browser.close();
    }
    const wall = timings.map((t) => t.wallMs);
    const median = _median(wall);
    const errors = timings.flatMap((t) => t.pageErrors);
    console.log(
      `3d message diagram: ${timings[0]?.messages} messages, report.html ${
        (size / 1e6).toFixed(1)
      } MB: opens in ${median.toFixed(0)} ms (median of ${runs}; min ${
        Math.min(...wall).toFixed(0)
      }, max ${Math.max(...wall).toFixed(0)}), the diagram's script ${
        _median(timings.map((t) => t.scriptMs)).toFixed(0)
      } ms of it; budget ${OPEN_BUDGET_MS} ms${
        errors.length > 0 ? `; page errors: ${errors}` : ""
      }`,
    );
    console.log(`report: ${file}`);
    return median <= OPEN_BUDGET_MS && errors.length === 0 ? 0 : 1;
  } finally {
    if (values.store === undefined) await Deno.remove(store, { recursive: true });
  }
}

if (import.meta.main) Deno.exit(await _main(Deno.args));
