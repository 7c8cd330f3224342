import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import type { JournalEvent, Op } from "../types.ts";
import { findChromium, renderInChromium } from "./chromium.ts";
import { renderReport, verdictReasons } from "./html.ts";
import { pairOps, partitionWindows } from "./plots.ts";

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

Deno.test("renderReport() makes one self-contained page with five plots and the anomalies", () => {
  const { history, journal } = sampleRun();
  const html = renderReport({
    results: { valid: false, workload: { valid: false, lost: [3] } },
    history,
    journal,
    title: "broadcast <test>",
  });
  equal(html.match(/<svg class="plot"/g)?.length, 5);
  match(html, /Invalid: workload is false/);
  match(html, /broadcast &lt;test&gt;/);
  match(html, /<h3>lost<\/h3>/);
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
      match(page.dom, /<body data-plots-rendered="5">/);
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
