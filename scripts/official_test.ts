import assert from "node:assert/strict";
import { nodeEnv, OFFICIAL_RUNS, officialRun } from "./official.ts";

Deno.test("nodeEnv() sets the run's modes and empties the others, whatever the caller's shell has", () => {
  assert.deepStrictEqual(nodeEnv({ BROADCAST_MODE: "efficient" }), {
    BROADCAST_MODE: "efficient",
    BROADCAST_TICK_MS: "",
    COUNTER_MODE: "",
    KAFKA_MODE: "",
  });
  assert.deepStrictEqual(nodeEnv(), {
    BROADCAST_MODE: "",
    BROADCAST_TICK_MS: "",
    COUNTER_MODE: "",
    KAFKA_MODE: "",
  });
});

Deno.test("officialRun() finds a run by name and names the known ones otherwise", () => {
  assert.equal(officialRun("3d"), OFFICIAL_RUNS.find((r) => r.name === "3d"));
  assert.throws(() => officialRun("7z"), /No official run "7z"; known: 1, 2, 3a/);
});
