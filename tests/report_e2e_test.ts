import { deepStrictEqual, match, ok } from "node:assert/strict";
import { join, resolve } from "node:path";
import { parseCli } from "../harness/cli.ts";
import { findChromium, renderInChromium } from "../harness/report/chromium.ts";
import { runTest } from "../harness/run.ts";
import { withStore } from "./_harness_run.ts";

const chromium = findChromium();

Deno.test({
  name: "runTest() writes a report.html that renders its plots in headless Chromium",
  ignore: chromium === undefined && Deno.env.get("CI") === undefined,
  async fn() {
    ok(chromium, "Chromium is not installed: .ci/run installs Debian's chromium");
    await withStore("report-e2e-", async (storeDir) => {
      const argv = [
        "test",
        "-w",
        "broadcast",
        "--bin",
        "challenges/broadcast.ts",
        "--node-count",
        "3",
        "--time-limit",
        "3",
        "--rate",
        "20",
        "--latency",
        "20",
        "--nemesis",
        "partition",
        "--nemesis-interval",
        "1",
        "--store",
        storeDir,
      ];
      const { storePath, exitCode } = await runTest({
        ...parseCli(argv, () => 5),
        quiet: true,
        finalPauseS: 1,
      });
      deepStrictEqual(exitCode, 0);
      const html = resolve(storePath, "report.html");
      match(await Deno.readTextFile(html), /class="partition"/);
      // The screenshot stays in the run's store beside the report.
      const page = await renderInChromium(chromium, html, join(storePath, "report.png"));
      deepStrictEqual(page.consoleErrors, []);
      match(page.dom, /<body data-plots-rendered="8">/);
      ok((await Deno.stat(join(storePath, "report.png"))).size > 10_000);
    });
  },
});
