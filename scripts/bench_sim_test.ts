import assert from "node:assert/strict";
import { formatFidelity, within } from "./bench_sim.ts";

Deno.test("within() compares by relative difference, exactly at zero", () => {
  assert.equal(within(104, 100, 0.05), true);
  assert.equal(within(106, 100, 0.05), false);
  assert.equal(within(0, 0, 0.05), true);
  assert.equal(within(0.1, 0, 0.05), false);
  assert.equal(within(undefined, 100, 0.05), undefined);
});

Deno.test("formatFidelity() sets process and simulated figures side by side, flags disagreement", () => {
  const table = formatFidelity(
    [
      { row: { name: "3d", valid: true, msgsPerOpAll: 14.0, latencyMedian: 95 }, speedup: 50 },
      { row: { name: "5c", valid: false, msgsPerOpAll: 2.1 } },
    ],
    [
      { name: "3d", valid: true, msgsPerOpAll: 14.2, latencyMedian: 80 },
      { name: "5c", valid: true, msgsPerOpAll: 2.1 },
    ],
    (name) => name === "3d",
  );
  const cells = (name: string) =>
    table.split("\n").find((line) => line.startsWith(`| ${name} `))?.split("|").map((c) => c.trim())
      .slice(1, 8);
  assert.deepEqual(cells("3d"), [
    "3d",
    "true / true",
    "14.20 / 14.00",
    "yes",
    "80.0 / 95.0",
    "NO",
    "50",
  ]);
  assert.deepEqual(cells("5c"), [
    "5c",
    "true / false (differ)",
    "2.10 / 2.10",
    "yes",
    "- / -",
    "-",
    "-",
  ]);
});
