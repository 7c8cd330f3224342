import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { Op } from "../../history.ts";
import { cycleExistence, cycleName } from "./cycles.ts";
import { inferDeps, type Mop } from "./deps.ts";
import { Rel } from "./graph.ts";
import { buildHistory } from "../_history_test_util.ts";

/** Concurrent ok transactions, one per process. */
function concurrent(...txns: Mop[][]): Op[] {
  return buildHistory(txns.map((value, i) => ({
    process: i,
    f: "txn",
    invoke: value.map(([f, k, v]) => [f, k, f === "r" ? null : v]),
    type: "ok" as const,
    value,
    start: i,
    end: 100 + i,
  })));
}

/** The `<model>-cycle-exists` types reported for `history` (no order edges). */
function existence(history: Op[]): string[] {
  const types: string[] = [];
  const deps = inferDeps(history, 0, () => {});
  cycleExistence(deps, (type) => types.push(type));
  return types;
}

Deno.test("cycleName() names cycles by their steps, as Elle's explainer", () => {
  const { ww, wr, rw, realtime, process } = Rel;
  assertEquals(cycleName([ww, ww]), "G0");
  assertEquals(cycleName([ww, wr]), "G1c");
  assertEquals(cycleName([wr, rw]), "G-single-item");
  assertEquals(cycleName([rw, wr, rw, wr]), "G-nonadjacent-item");
  assertEquals(cycleName([rw, rw, wr]), "G2-item");
  assertEquals(cycleName([wr, rw, rw]), "G2-item");
  assertEquals(cycleName([rw, wr, rw]), "G2-item");
  assertEquals(cycleName([ww, realtime]), "G0-realtime");
  assertEquals(cycleName([rw, process]), "G-single-item-process");
});

Deno.test("cycleExistence() reports only the weakest model whose subgraph has a cycle", () => {
  // Each reads the other's final write and overwrites it: ww and wr both ways.
  const g0 = concurrent(
    [["r", "y", 2], ["w", "y", 3], ["w", "x", 1]],
    [["r", "x", 1], ["w", "x", 2], ["w", "y", 2]],
  );
  assertEquals(existence(g0), ["PL-1-cycle-exists"]);
  const g1c = concurrent([["w", "x", 1], ["r", "y", 1]], [["w", "y", 1], ["r", "x", 1]]);
  assertEquals(existence(g1c), ["PL-2-cycle-exists"]);
});

Deno.test("cycleExistence() extends by rw for snapshot isolation, never two rw in a row", () => {
  const readSkew = concurrent([["w", "x", 1], ["w", "y", 1]], [["r", "x", null], ["r", "y", 1]]);
  // Repeatable read does not imply snapshot isolation, so its own check still runs.
  assertEquals(existence(readSkew), ["PL-SI-cycle-exists", "PL-2.99-cycle-exists"]);
  const writeSkew = concurrent([["r", "x", null], ["w", "y", 1]], [["r", "y", null], [
    "w",
    "x",
    1,
  ]]);
  assertEquals(existence(writeSkew), ["PL-2.99-cycle-exists"]);
});
