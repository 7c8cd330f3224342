/**
 * The `maelstrom-harness` npm package as a user gets it: packed, installed by npm into an empty
 * folder (its Deno comes from the registry), and run as a command on Python nodes.
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { packHarness } from "../scripts/pack.ts";
import { type Exec, exec, installTarball, ROOT } from "./_npm.ts";

const FIXTURES = join(ROOT, "tests/fixtures/python");

/** Runs the installed `maelstrom-harness` command in `dir` with `flags` on a Python fixture. */
function harness(dir: string, flags: string, fixture: string): Promise<Exec> {
  const command = join(dir, "node_modules/.bin/maelstrom-harness");
  return exec([command, ...flags.split(" "), "--bin", join(FIXTURES, fixture)], dir);
}

/** The one run of `workload` under `dir/store/`: its folder and its results. */
function storedRun(
  dir: string,
  workload: string,
): { path: string; results: Record<string, unknown> } {
  const root = join(dir, "store", workload);
  const runs = [...Deno.readDirSync(root)].filter((entry) => entry.isDirectory);
  equal(runs.length, 1);
  const path = join(root, runs[0]!.name);
  return { path, results: JSON.parse(Deno.readTextFileSync(join(path, "results.json"))) };
}

Deno.test("maelstrom-harness installs from its tarball and judges Python echo and broadcast nodes", async () => {
  const dir = await installTarball(await packHarness());
  try {
    const usage = await harness(dir, "test -w nope", "echo.py");
    equal(usage.code, 2, usage.stderr);
    ok(usage.stderr.includes("Usage: npx maelstrom-harness test"), usage.stderr);

    const echo = await harness(dir, "test -w echo --time-limit 3 --rate 20", "echo.py");
    equal(echo.code, 0, echo.stdout + echo.stderr);
    equal(storedRun(dir, "echo").results.valid, true);

    const flags = "test -w broadcast --node-count 3 --time-limit 4 --rate 10";
    const broadcast = await harness(dir, flags, "broadcast.py");
    equal(broadcast.code, 0, broadcast.stdout + broadcast.stderr);
    const run = storedRun(dir, "broadcast");
    equal(run.results.valid, true);
    for (const file of ["history.jsonl", "messages.jsonl", "report.html"]) {
      ok(Deno.statSync(join(run.path, file)).isFile, `${file} is missing`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
