import { deepStrictEqual, equal, match } from "node:assert/strict";
import type { Op } from "../../history.ts";
import { buildHistory, history, type Step } from "../_history_test_util.ts";
import { checkEcho } from "../../workloads/echo.ts";
import { checkUniqueIds } from "../../workloads/unique_ids.ts";
import { checkCounter } from "../counter.ts";
import { checkSetFull } from "../set_full.ts";
import { checkKafka } from "../kafka/checker.ts";
import { checkTxn } from "../txn/checker.ts";
import { checkLinearizable } from "../linearizable.ts";
import {
  explainCounter,
  explainEcho,
  explainKafka,
  explainLinearizable,
  explainRun,
  explainSetFull,
  explainTxn,
  explainUniqueIds,
} from "./mod.ts";

const texts = (findings: { text: string }[]) => findings.map((f) => f.text);

Deno.test("explainEcho() names the op and the node's wrong reply", () => {
  const h = history(
    { type: "invoke", process: 0, f: "echo", value: "Please echo 7", node: "n1" },
    { type: "ok", process: 0, f: "echo", value: { echo: "Please echo 7x" }, node: "n1" },
  );
  const findings = explainEcho(checkEcho(h), h);
  deepStrictEqual(texts(findings), [
    'op 1 (process 0 on n1, ok at 0.001 s) sent echo "Please echo 7", and n1 replied ' +
    '{"echo":"Please echo 7x"} instead of echoing it.',
  ]);
  deepStrictEqual(findings[0]?.nodes, ["n1"]);
  equal(findings[0]?.at, 1e6);
});

Deno.test("explainUniqueIds() names every op that got a duplicated id", () => {
  const h = history(
    { type: "invoke", process: 0, f: "generate", value: null, node: "n0" },
    { type: "ok", process: 0, f: "generate", value: 5, node: "n0" },
    { type: "invoke", process: 1, f: "generate", value: null, node: "n1" },
    { type: "ok", process: 1, f: "generate", value: 5, node: "n1" },
  );
  deepStrictEqual(texts(explainUniqueIds(checkUniqueIds(h), h)), [
    "Id 5 was handed out 2 times: op 1 (process 0 on n0, ok at 0.001 s), " +
    "op 3 (process 1 on n1, ok at 0.003 s).",
  ]);
});

Deno.test("explainCounter() gives the bad final read and the values the adds allow", () => {
  const h = history(
    { type: "invoke", process: 0, f: "add", value: 3, node: "n0" },
    { type: "ok", process: 0, f: "add", value: 3, node: "n0" },
    { type: "invoke", process: 1, f: "add", value: 2, node: "n1" },
    { type: "info", process: 1, f: "add", value: 2, node: "n1" },
    { type: "invoke", process: 2, f: "read", value: null, final: true, node: "n2" },
    { type: "ok", process: 2, f: "read", value: 1, final: true, node: "n2" },
  );
  deepStrictEqual(texts(explainCounter(checkCounter(h), h)), [
    "Final read op 5 (process 2 on n2, ok at 0.005 s) returned 1, but the adds allow only 3 or " +
    "5 (acknowledged adds, plus any subset of the indeterminate ones).",
  ]);
});

Deno.test("explainSetFull() names the add, the last read holding the value and the read that lost it", () => {
  const h = history(
    { type: "invoke", process: 0, f: "broadcast", value: 9, node: "n0" },
    { type: "ok", process: 0, f: "broadcast", value: 9, node: "n0" },
    { type: "invoke", process: 1, f: "read", value: null, node: "n1" },
    { type: "ok", process: 1, f: "read", value: [9], node: "n1" },
    { type: "invoke", process: 1, f: "read", value: null, node: "n2" },
    { type: "ok", process: 1, f: "read", value: [], node: "n2" },
  );
  const result = checkSetFull(h, { addF: "broadcast" });
  equal(result.valid, false);
  const findings = explainSetFull(result, h, "broadcast");
  deepStrictEqual(texts(findings), [
    "Value 9, added by op 1 (process 0 on n0, ok at 0.001 s), was lost: op 3 (process 1 on n1, " +
    "ok at 0.003 s) still read it; then op 5 (process 1 on n2, ok at 0.005 s) replied without it.",
  ]);
  deepStrictEqual(findings[0]?.nodes, ["n2", "n1", "n0"]);
  equal(findings[0]?.at, 5e6);
  const idle = history({ type: "invoke", process: 0, f: "read", value: null });
  deepStrictEqual(texts(explainSetFull(checkSetFull(idle, { addF: "add" }), idle, "add")), [
    "No add became stable: no add was attempted, so the verdict is unknown.",
  ]);
});

function send(process: number, key: string, msg: number, offset: number): Step {
  return {
    process,
    f: "send",
    invoke: [["send", key, msg]],
    type: "ok",
    value: [["send", key, [offset, msg]]],
  };
}

function poll(process: number, msgs: Record<string, [number, unknown][]>): Step {
  return { process, f: "poll", invoke: [["poll"]], type: "ok", value: [["poll", msgs]] };
}

Deno.test("explainKafka() tells a lost write and a skipping poll with their ops and offsets", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(0, "a", 2, 1),
    send(0, "a", 3, 2),
    poll(1, { a: [[0, 1]] }),
    poll(1, { a: [[2, 3]] }),
  ]);
  const result = checkKafka(h);
  deepStrictEqual(result["bad-error-types"], ["lost-write", "poll-skip", "unseen"]);
  deepStrictEqual(texts(explainKafka(result, h)), [
    'On key "a", message 2 (sent by op 3 (process 0, ok at 0.000 s), acknowledged) was lost: ' +
    "polls reached past it (op 9 (process 1, ok at 0.000 s)) but none returned it.",
    'On key "a", op 7 (process 1, ok at 0.000 s) then op 9 (process 1, ok at 0.000 s) polled ' +
    "offset 0 then 2, skipping 1 message(s) between them ([[1,2]]).",
    'On key "a", message 2, acknowledged at offset 1 by op 3 (process 0, ok at 0.000 s), was ' +
    "never returned by any poll.",
  ]);
});

function txn(
  process: number,
  mops: [string, string, number][],
  options: { type?: "ok" | "fail"; start?: number; end?: number } = {},
): Step {
  const invoke = mops.map(([f, k, v]) => [f, k, f === "r" ? null : v]);
  const step: Step = { process, f: "txn", invoke, type: options.type ?? "ok", value: mops };
  if (options.type === "fail") step.value = invoke;
  if (options.start !== undefined) step.start = options.start;
  if (options.end !== undefined) step.end = options.end;
  return step;
}

Deno.test("explainTxn() tells an aborted read and draws a G1c cycle step by step", () => {
  const aborted = buildHistory([
    txn(0, [["w", "x", 1]], { type: "fail" }),
    txn(1, [["r", "x", 1]]),
    txn(2, [["w", "y", 1]]),
    txn(3, [["r", "y", 1]]),
  ]);
  deepStrictEqual(texts(explainTxn(checkTxn(aborted, ["read-committed"]), aborted)), [
    'G1a (aborted read): op 3 (process 1, ok at 0.000 s) read key "x" = 1, written by op 1 ' +
    "(process 0, fail at 0.000 s), which failed.",
  ]);
  const cycle = buildHistory([
    txn(0, [["w", "x", 1], ["r", "y", 1]], { start: 0, end: 20 }),
    txn(1, [["w", "y", 1], ["r", "x", 1]], { start: 1, end: 21 }),
  ]);
  const [g1c] = texts(explainTxn(checkTxn(cycle, ["read-committed"]), cycle));
  match(g1c ?? "", /^G1c: a cycle of 2 transactions, op [23] \(process \d, ok at 0.000 s\), /);
  match(g1c ?? "", /op [23] wrote what was read by op [23] \(key "[xy]": 1\) \[wr\]; /);
});

Deno.test("explainLinearizable() names the impossible read and the value the register held", () => {
  const h: Op[] = [
    [0, "invoke", "write", ["k", 1]],
    [0, "ok", "write", ["k", 1]],
    [0, "invoke", "write", ["k", 2]],
    [0, "ok", "write", ["k", 2]],
    [1, "invoke", "read", ["k", null]],
    [1, "ok", "read", ["k", 1]],
  ].map(([process, type, f, value], index) => ({
    index,
    time: index * 1e6,
    type: type as Op["type"],
    process: process as number,
    f: f as string,
    value,
    node: "n1",
  }));
  deepStrictEqual(texts(explainLinearizable(checkLinearizable(h), h)), [
    'Key "k" is not linearizable: op 5 (process 1 on n1, ok at 0.005 s) did read 1, but every ' +
    "legal order of the ops before it left the register at 2.",
  ]);
});

Deno.test("explainRun() adds availability, stats and errors, and says nothing for a valid run", () => {
  deepStrictEqual(explainRun({ valid: true }, []), []);
  deepStrictEqual(
    texts(explainRun({
      valid: false,
      error: "n3 never answered init",
      options: { workload: "echo", availability: "total" },
      workload: { valid: "unknown", error: "nothing to check" },
      availability: { valid: false, "ok-fraction": 0.9 },
      stats: {
        valid: false,
        "by-f": { echo: { valid: false, count: 4, "fail-count": 1, "info-count": 3 } },
      },
    }, [])),
    [
      "n3 never answered init",
      "The echo checker says unknown: nothing to check.",
      "Only 90.00 % of operations completed ok, below the required availability (total).",
      "No echo completed ok: 1 failed and 3 timed out or crashed, of 4.",
    ],
  );
});

Deno.test("explainRun() names the warnings --strict made fatal when the checker found nothing else", () => {
  const results = {
    valid: false,
    strict: true,
    options: { workload: "broadcast" },
    workload: { valid: false, lost: [], warnings: ["final read on n2 lacks 3 values"] },
  };
  deepStrictEqual(texts(explainRun(results, [])), [
    "Fatal under --strict: final read on n2 lacks 3 values",
  ]);
});
