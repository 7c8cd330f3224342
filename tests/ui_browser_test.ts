/**
 * The web UI and the report in a real browser: Debian's `chromium` under puppeteer-core. A store
 * with a valid and an invalid simulated broadcast run (and a 3d-sized one) is served by
 * `serveStore`; the test filters the list, compares two runs, clicks through to a report, follows
 * a finding into the message diagram, zooms, filters by node and type, hovers a message, and
 * asserts what each step shows, with no page error. Screenshots are kept in the test's store,
 * `store/browser-tests/screenshots/`. Without Chromium the test is skipped with the reason printed
 * (and fails under CI, whose `.ci/run` installs it).
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { defaultTestOptions } from "../harness/options.ts";
import { runTest } from "../harness/run.ts";
import { simEngine } from "../harness/sim/engine.ts";
import { serveStore } from "../harness/serve/server.ts";
import { findChromium, launchBrowser } from "../harness/report/chromium.ts";
import { createBroadcastNode } from "../challenges/broadcast.ts";
import { createNoGossipNode } from "./fixtures/broadcast/no_gossip.ts";
import { OPEN_BUDGET_MS, simulate3d, timeOpen } from "../scripts/bench_ui.ts";
import type { NodeFactory } from "../harness/sim/engine.ts";

const STORE = fileURLToPath(new URL("../store/browser-tests", import.meta.url));
const SHOTS = `${STORE}/screenshots`;
const chromium = findChromium();
if (chromium === undefined) {
  console.warn("ui_browser_test: skipped, Chromium is not installed (.ci/run installs it)");
}

async function simulate(factory: NodeFactory, nemesis: string[]): Promise<string> {
  const { storePath } = await runTest({
    ...defaultTestOptions("broadcast", 5),
    timeLimit: 5,
    rate: 10,
    nemesis,
    nemesisInterval: 1,
    seed: 3,
    bin: "sim",
    binArgs: [],
    storeDir: STORE,
    quiet: true,
    engine: simEngine(factory),
  });
  return storePath.slice(STORE.length + 1);
}

/** Evaluates `expression` in the page (a string, so this file needs no DOM types). */
async function read<T>(page: { evaluate(e: string): Promise<unknown> }, expression: string) {
  return await page.evaluate(expression) as T;
}

Deno.test({
  name:
    "serve and report in Chromium: filter, compare, open a report, follow a finding, zoom, filter, hover",
  ignore: chromium === undefined && Deno.env.get("CI") === undefined,
  // puppeteer keeps its websocket and timers past a page's close; the browser is closed below.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(chromium, "Chromium is not installed: .ci/run installs Debian's chromium");
    await Deno.remove(STORE, { recursive: true }).catch(() => {});
    await Deno.mkdir(SHOTS, { recursive: true });
    const valid = await simulate(createBroadcastNode, ["partition"]);
    const invalid = await simulate(createNoGossipNode, []);
    const stop = new AbortController();
    const listening = Promise.withResolvers<string>();
    const served = serveStore({
      root: STORE,
      port: 0,
      signal: stop.signal,
      onListen: listening.resolve,
    });
    const url = await listening.promise;
    const browser = await launchBrowser(chromium);
    const errors: string[] = [];
    try {
      const page = await browser.newPage();
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

      // The index: both runs, then the verdict filter, then two runs compared.
      await page.goto(url);
      const rows = () =>
        read<string[]>(
          page,
          `[...document.querySelectorAll("#rows tr")].map((r) => r.dataset.path)`,
        );
      assert.deepEqual((await rows()).sort(), [valid, invalid].sort());
      await page.select("#verdict", "invalid");
      assert.deepEqual(await rows(), [invalid]);
      const first = await read<string>(
        page,
        `document.querySelector("#rows td.finding").textContent`,
      );
      assert.match(first, /^Value \d+, added by op \d+/);
      await page.screenshot({ path: `${SHOTS}/index-invalid.png` });
      await page.select("#verdict", "");
      await page.select("#workload", "broadcast");
      assert.equal((await rows()).length, 2);
      await page.click(`input.pick[value="${valid}"]`);
      await page.click(`input.pick[value="${invalid}"]`);
      const compared = await read<string[][]>(
        page,
        `[...document.querySelectorAll("table.compare tr")].map((r) => [...r.children].map((c) => c.textContent))`,
      );
      assert.deepEqual(compared[0], ["figure", valid, invalid, "b − a"]);
      assert.deepEqual(compared[1], ["verdict", "valid", "invalid", ""]);
      assert.ok(compared.some((row) => row[0] === "msgs/op all"));
      await page.screenshot({ path: `${SHOTS}/index-compare.png`, fullPage: true });

      // Through to the invalid run's report: what is wrong comes first.
      await Promise.all([
        page.waitForNavigation(),
        page.click(`tr[data-path="${invalid}"] a.report`),
      ]);
      assert.equal(page.url(), `${url}runs/${invalid}/report.html`);
      await page.waitForSelector("#diagram[data-ready]");
      const findings = await read<string[]>(
        page,
        `[...document.querySelectorAll("#findings li")].map((li) => li.textContent)`,
      );
      assert.match(findings[0] ?? "", /^Value \d+, added by op \d+ \(process \d+ on n\d, ok at/);
      assert.match(findings[0] ?? "", /replied without it\. show in the diagram$/);
      await page.screenshot({ path: `${SHOTS}/report-invalid.png` });

      // The finding's link zooms the diagram to its moment and filters to its node if only one.
      const drawn = () =>
        read<number>(page, `Number(document.getElementById("diagram").dataset.drawn)`);
      const zoom = () =>
        read<number>(page, `Number(document.getElementById("diagram").dataset.zoom)`);
      const all = await drawn();
      assert.ok(all > 100, `${all} messages drawn`);
      await page.click("#findings a.goto");
      assert.ok((await zoom()) > 1, `zoom ${await zoom()}`);
      assert.ok((await drawn()) < all);
      await (await page.$("#diagram"))?.screenshot({ path: `${SHOTS}/diagram-finding.png` });

      // Zoom: the whole run (every node), then in by 4.
      await page.select("#diagram-node", "-1");
      await page.click("#diagram-fit");
      assert.equal(await zoom(), 1);
      assert.equal(await drawn(), all);
      await page.click("#diagram-in");
      assert.equal(await zoom(), 4);
      // The middle of the run is the quiet pause before the final reads: scroll to the start.
      await page.evaluate(`document.getElementById("diagram-scroll").scrollTop = 0`);
      await page.waitForFunction(
        `document.getElementById("diagram-info").textContent.includes(" 0–")`,
      );
      const zoomed = await drawn();
      assert.ok(zoomed > 0);
      assert.ok(zoomed < all, `${zoomed} of ${all} in view`);

      // Filters: one node, then without its read messages.
      await page.select("#diagram-node", "1");
      const oneNode = await drawn();
      assert.ok(oneNode > 0 && oneNode < zoomed, `${oneNode} for n1 of ${zoomed}`);
      await page.click('#diagram-types input[data-type="read"]');
      assert.ok((await drawn()) < oneNode);
      await page.select("#diagram-node", "-1");
      await page.click('#diagram-types input[data-type="read"]');
      assert.equal(await drawn(), zoomed);

      // Hover: sweep the canvas until an arrow is under the pointer; its body shows.
      const box = await (await page.$("#diagram-canvas"))?.boundingBox();
      assert.ok(box);
      let tip = "";
      for (let y = 60; y < 540 && tip === ""; y += 7) {
        for (let x = 40; x < Math.min(box.width, 900) && tip === ""; x += 11) {
          await page.mouse.move(box.x + x, box.y + y);
          tip = await read<string>(
            page,
            `(() => { const t = document.getElementById("diagram-tip"); return t.hidden ? "" : t.textContent; })()`,
          );
        }
      }
      assert.match(tip, /^(n\d|c\d+) → (n\d|c\d+) {2}\w+\nsent [\d.]+ ms, /);
      assert.match(tip, /\n\{"type":"\w+"/);
      await (await page.$("#diagram"))?.screenshot({ path: `${SHOTS}/diagram-hover.png` });

      // The valid run's report: no findings, every plot drawn, the timeline's lanes.
      await page.goto(`${url}runs/${valid}/report.html`);
      await page.waitForSelector("#diagram[data-ready]");
      assert.equal(await page.$("#findings"), null);
      assert.ok(
        (await read<number>(page, `document.querySelectorAll("#timeline rect.op").length`)) > 10,
      );
      assert.ok(
        (await read<number>(page, `document.querySelectorAll("#diagram-types input").length`)) >= 4,
      );
      await page.screenshot({ path: `${SHOTS}/report-valid.png`, fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      stop.abort();
      await served;
    }
  },
});

Deno.test({
  name: "a 3d-sized run's report opens its message diagram in Chromium within the 2 s budget",
  ignore: chromium === undefined && Deno.env.get("CI") === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(chromium, "Chromium is not installed: .ci/run installs Debian's chromium");
    const dir = await simulate3d(`${STORE}-3d`);
    try {
      const browser = await launchBrowser(chromium);
      try {
        const timing = await timeOpen(browser, `${Deno.realPathSync(dir)}/report.html`);
        assert.ok(timing.messages > 25_000, `${timing.messages} messages`);
        assert.ok(timing.wallMs <= OPEN_BUDGET_MS, `opened in ${timing.wallMs.toFixed(0)} ms`);
        assert.deepEqual(timing.pageErrors, []);
      } finally {
        await browser.close();
      }
    } finally {
      await Deno.remove(`${STORE}-3d`, { recursive: true });
    }
  },
});
