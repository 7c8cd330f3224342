import assert from "node:assert/strict";
import { benchConfigs } from "./bench_configs.ts";
import { formatReadmeResults, README_MARKERS, replaceResults } from "./bench_readme.ts";

Deno.test("formatReadmeResults() titles each run, names its design and counts the fault rows", () => {
  const block = formatReadmeResults(
    [
      {
        name: "3e",
        valid: true,
        msgsPerOpAll: 3.49,
        msgsPerOpServers: 1.44,
        latencyMedian: 146,
        latencyMax: 360,
        availability: 1,
      },
      { name: "2-faults", valid: true },
      { name: "5c-faults", valid: false },
    ],
    benchConfigs(),
    3,
  );
  const line = block.split("\n").find((l) => l.startsWith("| 3e broadcast"));
  assert.ok(line !== undefined, block);
  const cells = line.split("|").map((c) => c.trim()).slice(1, 7);
  assert.deepEqual(cells, [
    "3e broadcast, same",
    "efficient",
    "3/3",
    "3.49 / 1.44",
    "146 / 360",
    "1.0000",
  ]);
  assert.match(block, /1 of 2 configurations valid on all 3 seeds/);
  assert.ok(!block.includes("2-faults |"), "fault rows are summed up, not listed");
});

Deno.test("replaceResults() rewrites only the text between the markers, and needs them", () => {
  const readme = `# Title\n\n${README_MARKERS.start}\nold table\n${README_MARKERS.end}\n\nrest\n`;
  assert.equal(
    replaceResults(readme, "new table"),
    `# Title\n\n${README_MARKERS.start}\n\nnew table\n\n${README_MARKERS.end}\n\nrest\n`,
  );
  assert.throws(() => replaceResults("# no markers", "x"), /lacks the markers/);
});
