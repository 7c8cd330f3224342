import { deepStrictEqual, equal, match, throws } from "node:assert/strict";
import { harnessArgv, runChallenges, selectRuns } from "./challenges.ts";
import { OFFICIAL_RUNS } from "./official.ts";

Deno.test("selectRuns() keeps the official order by default and rejects unknown names", () => {
  deepStrictEqual(selectRuns([]).map((r) => r.name), [
    "1",
    "2",
    "3a",
    "3b",
    "3c",
    "3d",
    "3e",
    "4",
    "5a",
    "5b",
    "5c",
    "6a",
    "6b",
    "6c",
  ]);
  deepStrictEqual(selectRuns(["5c", "1"]).map((r) => r.name), ["5c", "1"]);
  throws(() => selectRuns(["7"]), /No official run "7"/);
});

Deno.test("harnessArgv() builds the harness command, with --quick's time limit", () => {
  const echo = OFFICIAL_RUNS[0]!;
  deepStrictEqual(harnessArgv(echo, { only: [], seed: 3, storeDir: "s" }), [
    "test",
    "-w",
    "echo",
    "--bin",
    "challenges/echo.ts",
    "--node-count",
    "1",
    "--time-limit",
    "10",
    "--seed",
    "3",
    "--store",
    "s",
  ]);
  const quick = harnessArgv(echo, { only: [], seed: 3, storeDir: "s", timeLimit: 5 });
  equal(quick[quick.indexOf("--time-limit") + 1], "5");
});

Deno.test("runChallenges() runs the echo challenge through the harness and reports it valid", async () => {
  const storeDir = await Deno.makeTempDir({ prefix: "challenges-test-" });
  try {
    const { rows: [row] } = await runChallenges({ only: ["1"], seed: 7, storeDir, timeLimit: 2 });
    equal(row?.valid, true);
    equal(row?.msgsPerOpServers, 0);
    match(row?.note ?? "", /echo/);
  } finally {
    await Deno.remove(storeDir, { recursive: true });
  }
});
