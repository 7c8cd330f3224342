import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import type { JournalEvent } from "../net/journal.ts";
import type { Op } from "../history.ts";
import { findChromium, renderInChromium } from "./chromium.ts";
import { readable, renderReport, verdictReasons, warningList } from "./html.ts";
import { pairOps } from "../history.ts";
import { downWindows, latencyRawPlot, partitionWindows } from "./plots.ts";

function sampleRun(): { history: Op[]; journal: JournalEvent[] } {
  const history: Op[] = [];
  const journal: JournalEvent[] = [];
  const push = (op: Omit<Op, "index">) => history.push({ index: history.length, ...op });
  push({ time: 0, type: "info", process: "nemesis", f: "start-partition", value: "n0 isolated" });
  for (let i = 0; i < 40; i++) {
    const t = i * 1e8;
    push({ time: t, type: "invoke", process: i % 2, f: "read", value: null });
    journal.push({ type: "send", time: t, id: i, src: `c${i % 2}`, dest: "n0", bodyType: "read" });
    journal.push({ type: "recv", time: t, id: i, src: `c${i % 2}`, dest: "n0", bodyType: "read" });
    push({ time: t + 2e6, type: i === 7 ? "info" : "ok", process: i % 2, f: "read", value: [i] });
    if (i === 20) {
      push({ time: t + 3e6, type: "info", process: "nemesis", f: "stop-partition", value: null });
    }
  }
  return { history, journal };
}

Deno.test("pairOps() pairs invocations with completions per process", () => {
  const { history } = sampleRun();
  const pairs = pairOps(history);
  equal(pairs.length, 40);
  equal(pairs[7]?.complete?.type, "info");
  equal(pairs[7]?.invoke.f, "read");
});

Deno.test("partitionWindows() spans start to stop, and to the end when never stopped", () => {
  const { history } = sampleRun();
  deepStrictEqual(partitionWindows(history, 9), [[0, 2.003]]);
  deepStrictEqual(partitionWindows(history.slice(0, 3), 9), [[0, 9]]);
});

Deno.test("downWindows() spans kill to restart and pause to resume per node, to the end when open", () => {
  const nemesis = (time: number, f: string, value: string): Op => ({
    index: 0,
    time,
    type: "info",
    process: "nemesis",
    f,
    value,
  });
  const history = [
    nemesis(1e9, "kill", "n1"),
    nemesis(2e9, "kill", "n0"),
    nemesis(2.5e9, "restart", "n1"),
    nemesis(3e9, "start-partition", "n2 isolated"),
    nemesis(4e9, "restart", "n0"),
    nemesis(6e9, "kill", "n2"),
    nemesis(6.5e9, "pause", "n1"),
    nemesis(7e9, "resume", "n1"),
    nemesis(8e9, "pause", "n3"),
  ];
  deepStrictEqual(downWindows(history, 9), [
    [1, 2.5, "n1 down"],
    [2, 4, "n0 down"],
    [6, 9, "n2 down"],
    [6.5, 7, "n1 paused"],
    [8, 9, "n3 paused"],
  ]);
});

Deno.test("latencyRawPlot() shades node-down windows apart from partitions, with a legend line", () => {
  const { history } = sampleRun();
  const withKill = [
    ...history,
    { index: 100, time: 1e9, type: "info", process: "nemesis", f: "kill", value: "n3" } as Op,
    { index: 101, time: 2e9, type: "info", process: "nemesis", f: "restart", value: "n3" } as Op,
  ];
  const plot = latencyRawPlot(withKill, 4);
  equal(plot.match(/class="partition"><title>partition<\/title>/g)?.length, 1);
  equal(plot.match(/class="down"><title>n3 down<\/title>/g)?.length, 1);
  match(plot, />partition \/ node down</);
  const quiet = latencyRawPlot(history.filter((op) => op.process !== "nemesis"), 4);
  equal(quiet.includes("node down"), false);
  equal(quiet.includes('class="partition"'), false);
});

Deno.test("verdictReasons() names each checker that is not valid", () => {
  deepStrictEqual(
    verdictReasons({
      valid: false,
      workload: { valid: false },
      stats: { valid: true },
      availability: { valid: "unknown", error: "boom" },
    }),
    ["workload is false", "availability is unknown: boom"],
  );
});

Deno.test("renderReport() makes one self-contained page: what is wrong, the diagram, the timeline, seven plots", () => {
  const { history, journal } = sampleRun();
  const html = renderReport({
    results: {
      valid: false,
      workload: { valid: false, lost: [3] },
      options: { rate: 100 },
      "achieved-rate": 97.25,
      "malformed-stdout": { n1: { count: 3, examples: [] } },
    },
    history,
    journal,
    title: "broadcast <test>",
  });
  // Four of the history, two of the messages, the per-process timeline.
  equal(html.match(/<svg class="plot"/g)?.length, 7);
  match(html, /<canvas id="diagram-canvas">/);
  match(html, /Invalid: workload is false/);
  match(
    html,
    /<section id="findings"><h2>What is wrong<\/h2><ol><li>The workload checker says false\.<\/li>/,
  );
  match(html, /broadcast &lt;test&gt;/);
  match(html, /<th>rate \(ops\/s\)<\/th><td>97.25 achieved of 100 requested<\/td>/);
  match(html, /<h3>lost<\/h3>/);
  match(html, /<th>malformed stdout lines dropped<\/th><td>n1: 3<\/td>/);
  equal(
    /(src|href)="https?:/.test(html),
    false,
    "the page must not load anything from the network",
  );
});

const chromium = findChromium();

Deno.test({
  name: "renderReport() pages load in headless Chromium without errors and draw every plot",
  ignore: chromium === undefined && Deno.env.get("CI") === undefined,
  async fn() {
    ok(chromium, "Chromium is not installed: .ci/run installs Debian's chromium");
    const dir = await Deno.makeTempDir({ prefix: "report-test-" });
    try {
      const { history, journal } = sampleRun();
      const file = join(dir, "report.html");
      await Deno.writeTextFile(
        file,
        renderReport({ results: { valid: true }, history, journal, title: "t" }),
      );
      const page = await renderInChromium(chromium, file, join(dir, "report.png"));
      deepStrictEqual(page.consoleErrors, []);
      match(page.dom, /<body data-plots-rendered="7">/);
      ok((await Deno.stat(join(dir, "report.png"))).size > 10_000);
      // The error check itself can fail: a page that throws is caught.
      const broken = join(dir, "broken.html");
      await Deno.writeTextFile(broken, "<body><script>throw new Error('boom')</script></body>");
      const bad = await renderInChromium(chromium, broken, join(dir, "broken.png"));
      match(bad.consoleErrors.join("\n"), /Uncaught Error: boom/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("readable() rounds figures and lists maps as key: value pairs", () => {
  equal(readable(3.708542713567839), "3.709");
  equal(readable(12), "12");
  equal(readable({ mean: 101.1312, min: 100 }), "mean: 101.1, min: 100");
  equal(readable(undefined), "-");
  equal(readable({ "0": 0, "1": 9, "0.5": 4 }), "0: 0, 0.5: 4, 1: 9");
});

Deno.test("warningList() lists checker warnings and says whether --strict made them fatal", () => {
  const results = { valid: true, strict: false, workload: { valid: true, warnings: ["a < b"] } };
  equal(
    warningList(results),
    '<p class="warnings">Beyond Maelstrom\'s checks (warnings only; --strict makes them fatal):</p>' +
      '<ul class="warnings"><li>workload: a &lt; b</li></ul>',
  );
  match(warningList({ ...results, strict: true }), /fatal under --strict/);
  equal(warningList({ valid: true, workload: { valid: true } }), "");
});

Deno.test("renderReport() draws a run of 300 000 operations (no spread into Math.max)", () => {
  const history: Op[] = [];
  for (let i = 0; i < 150_000; i++) {
    const time = i * 1e6;
    history.push({ index: 2 * i, type: "invoke", process: i % 8, f: "read", value: null, time });
    history.push({
      index: 2 * i + 1,
      type: "ok",
      process: i % 8,
      f: "read",
      value: null,
      time: time + 5e5 + (i % 1000) * 1e3,
    });
  }
  const html = renderReport({ results: { valid: true }, history, journal: [], title: "big" });
  // Four plots and the per-process timeline; no messages, so no diagram.
  equal(html.match(/<svg class="plot"/g)?.length, 5);
  ok(html.length < 8_000_000, `${html.length} characters`);
});
