import assert from "node:assert/strict";
import { checkSetFull, setFullElements } from "./set_full.ts";
import { finalReadGaps, reportFinalReadGaps } from "./final_read_gaps.ts";
import { history, type OpSpec } from "./_history_test_util.ts";

function bcast(type: "invoke" | "ok" | "info", process: number, value: number): OpSpec {
  return { type, process, f: "broadcast", value, node: `n${process % 3}` };
}

function finalRead(process: number, value?: unknown[]): OpSpec {
  const node = `n${process % 3}`;
  return value === undefined
    ? { type: "invoke", process, f: "read", value: null, final: true, node }
    : { type: "ok", process, f: "read", value, final: true, node };
}

/** Two values acknowledged through n1; n0 never got them, and its final read went first. */
const _lossOnFirstReadNode = history(
  bcast("invoke", 1, 0),
  bcast("ok", 1, 0),
  bcast("invoke", 1, 1),
  bcast("ok", 1, 1),
  finalRead(0),
  finalRead(1),
  finalRead(2),
  finalRead(0, []),
  finalRead(1, [0, 1]),
  finalRead(2, [1, 0]),
);

Deno.test("checkSetFull() keeps Maelstrom's verdict on a loss confined to the first-read node, with a warning", () => {
  const result = checkSetFull(_lossOnFirstReadNode, { addF: "broadcast" });
  // The later reads on n1 and n2 excuse n0's: set-full sees both values stable.
  assert.equal(result.valid, true);
  assert.equal(result["lost-count"], 0);
  assert.equal(result["stable-count"], 2);
  assert.deepEqual(result.warnings, [
    "final read on n0 (process 0) lacks 2 acknowledged values ([0,1]); Maelstrom's set-full " +
    "does not check each node, --strict makes it fatal",
  ]);
  assert.deepEqual(result["final-read-missing"], {
    n0: { processes: [0], count: 2, values: [0, 1] },
  });
});

Deno.test("checkSetFull() with strict fails a loss confined to the first-read node, naming it", () => {
  const result = checkSetFull(_lossOnFirstReadNode, { addF: "broadcast", strict: true });
  assert.equal(result.valid, false);
  assert.equal(result["lost-count"], 0);
  assert.deepEqual(result["final-read-missing"], {
    n0: { processes: [0], count: 2, values: [0, 1] },
  });
  assert.match(
    String((result.warnings as string[])[0]),
    /^final read on n0 \(process 0\) .*--strict/,
  );
});

Deno.test("setFullElements() reuses the checker's walk of a history, and walks it again once it grew", () => {
  const ops = [...history(bcast("invoke", 1, 0), bcast("ok", 1, 0))];
  checkSetFull(ops, { addF: "broadcast" });
  const first = setFullElements(ops, "broadcast");
  assert.equal(setFullElements(ops, "broadcast"), first); // the same walk, not a new one
  assert.deepEqual(first.map((e) => e.outcome), ["never-read"]);
  ops.push(
    ...history(bcast("invoke", 1, 0), bcast("ok", 1, 0), finalRead(2), finalRead(2, [0])).map(
      (op, i) => ({ ...op, index: ops.length + i, time: ops.length + i }),
    ),
  );
  assert.deepEqual(setFullElements(ops, "broadcast").map((e) => e.outcome), ["stable"]);
  assert.notEqual(setFullElements(ops, "add"), setFullElements(ops, "broadcast"));
});

Deno.test("checkSetFull() adds no final-read fields when every final read holds every acknowledged value", () => {
  const h = history(
    bcast("invoke", 1, 0),
    bcast("ok", 1, 0),
    finalRead(0),
    finalRead(0, [0]),
  );
  const result = checkSetFull(h, { addF: "broadcast", strict: true });
  assert.equal(result.valid, true);
  assert.equal("warnings" in result, false);
  assert.equal("final-read-missing" in result, false);
});

Deno.test("finalReadGaps() asks only for values acknowledged before the read began", () => {
  const h = history(
    bcast("invoke", 1, 0),
    bcast("ok", 1, 0),
    bcast("invoke", 2, 1),
    bcast("info", 2, 1), // never acknowledged
    bcast("invoke", 1, 2),
    finalRead(0),
    bcast("ok", 1, 2), // acknowledged while n0's read was in flight
    finalRead(0, []),
    { type: "invoke", process: 0, f: "read", value: null }, // not final: never checked
    { type: "ok", process: 0, f: "read", value: [] },
  );
  assert.deepEqual(finalReadGaps(h, { addF: "broadcast", readElements: (v) => v as unknown[] }), [
    { node: "n0", process: 0, missing: [0] },
  ]);
});

Deno.test("reportFinalReadGaps() quotes a few values, keeps 32 per node and merges a node's reads", () => {
  const many = Array.from({ length: 40 }, (_, i) => i);
  const report = reportFinalReadGaps([
    { node: "n0", process: 0, missing: many },
    { node: "n0", process: 3, missing: [40] },
    { node: undefined, process: 7, missing: [1] },
  ], false);
  assert.match(
    report.warnings[0] ?? "",
    /^final read on n0 \(process 0\) lacks 40 acknowledged values \(e\.g\. \[0,1,2,3,4\]\); /,
  );
  assert.match(
    report.warnings[1] ?? "",
    /^final read on n0 \(process 3\) lacks 1 acknowledged value \(\[40\]\)/,
  );
  assert.match(report.warnings[2] ?? "", /^final read by process 7 lacks 1 acknowledged value/);
  assert.deepEqual(report.missing["n0"], {
    processes: [0, 3],
    count: 41,
    values: many.slice(0, 32),
  });
  assert.deepEqual(report.missing["process 7"], { processes: [7], count: 1, values: [1] });
});
