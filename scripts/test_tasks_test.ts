/**
 * `deno task test:unit` promises a fast suite that starts no process: every test file it runs must
 * not spawn one (a child process, a harness run, a node process or a browser). The files that do
 * are listed in its `--ignore`, and run in `deno task test`.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SPAWNS = /Deno\.Command|NodeProcess\.start|startCluster|runChallenges\(|chromium/;
/** A run of the harness starts node processes, unless every run in the file is simulated. */
const RUNS = /runTest\(/;
const SIMULATED = /engine: simEngine\(|parseSimCli\(/;

function _spawns(text: string): boolean {
  return SPAWNS.test(text) || (RUNS.test(text) && !SIMULATED.test(text));
}

function _testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(`${ROOT}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(..._testFiles(path));
    else if (entry.name.endsWith("_test.ts")) out.push(path);
  }
  return out;
}

Deno.test("test:unit skips exactly the test files that start processes", () => {
  const tasks = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)).tasks;
  const ignored = String(tasks["test:unit"]).match(/--ignore=(\S+)/)?.[1]?.split(",") ?? [];
  const skipped = (file: string) =>
    ignored.some((entry) => entry.endsWith("/") ? file.startsWith(entry) : file === entry);
  const spawning = ["lib", "challenges", "harness", "scripts"]
    .flatMap(_testFiles)
    .filter((file) => file !== "scripts/test_tasks_test.ts") // names the patterns, spawns nothing
    .filter((file) => _spawns(Deno.readTextFileSync(`${ROOT}${file}`)));
  for (const file of spawning) {
    assert.ok(skipped(file), `${file} starts processes but runs in test:unit`);
  }
  const unitOnly = ignored.filter((entry) => !entry.endsWith("/") && entry.endsWith("_test.ts"));
  for (const file of unitOnly) {
    assert.ok(spawning.includes(file), `${file} is skipped by test:unit but starts no process`);
  }
});
