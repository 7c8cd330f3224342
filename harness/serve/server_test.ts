import { deepStrictEqual, equal, match, ok, throws } from "node:assert/strict";
import { handleRequest, serveStore } from "./server.ts";
import { listRuns, runFigures } from "./runs.ts";
import { parseServeArgs, serveMain } from "./cli.ts";
import { indexPage } from "./page.ts";
import { scriptJson } from "../report/json_script.ts";
import { UsageError } from "../usage_error.ts";

const VALID = {
  valid: true,
  engine: "simulated",
  seed: 7,
  options: { "node-count": 5, rate: 10 },
  net: { all: { "msgs-per-op": 4.25 }, servers: { "msgs-per-op": 2.2 } },
  stats: { count: 100 },
  availability: { "ok-fraction": 1 },
  workload: { valid: true, "lost-count": 0, "stable-latencies": { "0.5": 161, "1": 230 } },
  "op-latencies": { "0.5": 0.4, "1": 12 },
};
const INVALID = {
  valid: false,
  options: { nodes: ["n1", "n2"] },
  workload: { valid: false },
  findings: ["Final read op 9 returned 3, but the adds allow only 5."],
};

async function withStore(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "serve-test-" });
  try {
    for (
      const [path, results] of [["broadcast/20261201T050006.129", VALID], [
        "g-counter/20261201T060000.000",
        INVALID,
      ]] as const
    ) {
      await Deno.mkdir(`${root}/${path}`, { recursive: true });
      await Deno.writeTextFile(`${root}/${path}/results.json`, JSON.stringify(results));
      await Deno.writeTextFile(`${root}/${path}/report.html`, `<p>${path}</p>`);
    }
    await Deno.mkdir(`${root}/broadcast/20261201T070000.000`); // still running: no results
    await Deno.symlink("20261201T050006.129", `${root}/broadcast/latest`);
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("listRuns() lists each run with results, newest first, without the latest links", async () => {
  await withStore(async (root) => {
    const runs = await listRuns(root);
    deepStrictEqual(runs.map((r) => [r.path, r.valid, r.nodeCount, r.engine]), [
      ["g-counter/20261201T060000.000", false, 2, "process"],
      ["broadcast/20261201T050006.129", true, 5, "simulated"],
    ]);
    equal(runs[1]?.figures["stable latency p50 (ms)"], 161);
    equal(runs[1]?.seed, 7);
    deepStrictEqual(runs[0]?.findings, INVALID.findings);
    deepStrictEqual(runs[1]?.findings, []);
    ok(runs.every((r) => r.hasReport));
  });
  deepStrictEqual(await listRuns("/nonexistent-store"), []);
});

Deno.test("runFigures() reads the figures a person compares, null where absent", () => {
  const figures = runFigures(VALID);
  equal(figures["msgs/op all"], 4.25);
  equal(figures["latency max (ms)"], 12);
  equal(figures["rate achieved"], null);
});

Deno.test("handleRequest() serves the index, the runs and each run's files, nothing else", async () => {
  await withStore(async (root) => {
    const get = (path: string) => handleRequest(new Request(`http://127.0.0.1${path}`), root);
    const index = await get("/");
    equal(index.status, 200);
    match(await index.text(), /"path":"broadcast\/20261201T050006.129"/);
    equal((await (await get("/runs.json")).json()).length, 2);
    const report = await get("/runs/broadcast/20261201T050006.129/report.html");
    equal(report.headers.get("content-type"), "text/html; charset=utf-8");
    equal(await report.text(), "<p>broadcast/20261201T050006.129</p>");
    for (
      const bad of [
        "/runs/broadcast/../../etc/passwd",
        "/runs/broadcast/%2e%2e/x/results.json",
        "/runs/broadcast/20261201T050006.129/missing.html",
        "/runs/broadcast/20261201T050006.129/results.exe",
        "/elsewhere",
      ]
    ) {
      const response = await get(bad);
      equal(response.status, 404, bad);
      await response.body?.cancel();
    }
    equal((await get("/favicon.ico")).status, 204);
    const post = await handleRequest(new Request("http://127.0.0.1/", { method: "POST" }), root);
    equal(post.status, 405);
    await post.body?.cancel();
  });
});

Deno.test("serveStore() listens on 127.0.0.1 and stops on its signal", async () => {
  await withStore(async (root) => {
    const stop = new AbortController();
    let url = "";
    const listening = Promise.withResolvers<void>();
    const done = serveStore({
      root,
      port: 0,
      signal: stop.signal,
      onListen: (u) => {
        url = u;
        listening.resolve();
      },
    });
    await listening.promise;
    match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(`${url}runs.json`);
    equal((await response.json()).length, 2);
    stop.abort();
    await done;
  });
});

Deno.test("parseServeArgs() takes --store and --port; bad flags are usage errors", () => {
  deepStrictEqual(parseServeArgs([]), { store: "store", port: 8080 });
  deepStrictEqual(parseServeArgs(["--store", "s", "--port=0"]), { store: "s", port: 0 });
  throws(() => parseServeArgs(["--port", "http"]), UsageError);
  throws(() => parseServeArgs(["--port", "70000"]), UsageError);
  throws(() => parseServeArgs(["--bogus"]), UsageError);
  throws(() => parseServeArgs(["extra"]), UsageError);
});

Deno.test("serveMain() exits 2 with the usage for a bad flag or a missing store", async () => {
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    equal(await serveMain(["--port", "x"]), 2);
    equal(await serveMain(["--store", "/nonexistent-store"]), 2);
  } finally {
    console.error = original;
  }
  match(errors[0] ?? "", /--port expects an integer[\s\S]*Usage: deno task serve/);
  match(errors[1] ?? "", /no store at \/nonexistent-store/);
});

Deno.test("indexPage() embeds the runs as script-safe JSON, with the filters and the compare box", () => {
  equal(scriptJson({ a: "</script><!--" }), '{"a":"\\u003c/script>\\u003c!--"}');
  const html = indexPage([], "store");
  match(html, /<select id="workload">/);
  match(html, /<select id="verdict">/);
  match(html, /<div id="compare">/);
  equal(/(src|href)="https?:/.test(html), false);
});
