import assert from "node:assert/strict";
import type { Completion, FinalContext, Invocation } from "../../workloads/contract.ts";
import type { Op } from "../../history.ts";
import { defaultTestOptions } from "../../options.ts";
import { createRng } from "../../rng.ts";
import { history, type OpSpec } from "../_history_test_util.ts";
import {
  checkFinalReads,
  finalReads,
  keysOfThread,
  withFinalReads,
  writtenKeys,
} from "./final_reads.ts";
import { txnFinalReadsWorkload, txnRwRegisterWorkload } from "../../workloads/txn_rw_register.ts";

type M = [string, number, unknown];

/** An invoke and its completion on `node` (info completions keep the invoked value). */
function txn(type: "ok" | "info" | "fail", node: string, mops: M[], final = false): OpSpec[] {
  const invoked = mops.map(([f, k, v]): M => [f, k, f === "r" ? null : v]);
  const base = { process: 0, f: "txn", node, ...(final ? { final } : {}) };
  return [
    { ...base, type: "invoke", value: invoked },
    { ...base, type, value: type === "ok" ? mops : invoked },
  ];
}

const NODES = ["n0", "n1"];

function check(...ops: OpSpec[][]) {
  return checkFinalReads(history(...ops.flat()), NODES);
}

Deno.test("checkFinalReads() passes final reads of the last acknowledged write on every node", () => {
  const result = check(
    txn("ok", "n0", [["w", 1, 1]]),
    txn("ok", "n1", [["r", 1, 1], ["w", 1, 2]]),
    txn("ok", "n0", [["r", 1, 2]], true),
    txn("ok", "n1", [["r", 1, 2]], true),
  );
  assert.deepEqual(result, {
    valid: true,
    "key-count": 1,
    "read-count": 2,
    unread: [],
    "unread-count": 0,
    "lost-write-count": 0,
    "lost-writes": [],
  });
});

Deno.test("checkFinalReads() flags nil for a key with an acknowledged write (lost-write)", () => {
  const result = check(
    txn("ok", "n0", [["w", 1, 1]]),
    txn("ok", "n0", [["r", 1, 1]], true),
    txn("ok", "n1", [["r", 1, null]], true),
  );
  assert.equal(result.valid, false);
  assert.equal(result["lost-write-count"], 1);
  const example = result["lost-writes"][0];
  assert.equal(example?.node, "n1");
  assert.equal(example?.why, "nil precedes every write");
  assert.deepEqual((example?.["acknowledged-later"] as { value: unknown }[])[0]?.value, 1);
});

Deno.test("checkFinalReads() flags a value the writes-follow-reads order puts before an acked write", () => {
  const result = check(
    txn("ok", "n0", [["w", 1, 1]]),
    txn("ok", "n0", [["r", 1, 1], ["w", 1, 2]]),
    txn("ok", "n1", [["r", 1, 2], ["w", 1, 3]]),
    txn("ok", "n0", [["r", 1, 3]], true),
    txn("ok", "n1", [["r", 1, 1]], true),
  );
  assert.equal(result["lost-write-count"], 1);
  const example = result["lost-writes"][0];
  assert.deepEqual([example?.node, example?.value, example?.why], [
    "n1",
    1,
    "writes-follow-reads order",
  ]);
});

Deno.test("checkFinalReads() lets an indeterminate write win and ignores real-time order", () => {
  // 2 was acknowledged after 1 in real time, yet the store may order 2 before 1 (read committed
  // says nothing about concurrent partition sides); 3 may have committed after both.
  const result = check(
    txn("ok", "n0", [["w", 1, 2]]),
    txn("ok", "n1", [["w", 1, 1]]),
    txn("info", "n1", [["w", 2, 3]]),
    txn("ok", "n0", [["w", 2, 1]]),
    txn("ok", "n0", [["r", 1, 1], ["r", 2, 3]], true),
    txn("ok", "n1", [["r", 1, 1], ["r", 2, 3]], true),
  );
  assert.equal(result.valid, true);
});

Deno.test("checkFinalReads() flags nodes that disagree on acknowledged values", () => {
  const result = check(
    txn("ok", "n0", [["w", 1, 1]]),
    txn("ok", "n1", [["w", 1, 2]]),
    txn("ok", "n0", [["r", 1, 1]], true),
    txn("ok", "n1", [["r", 1, 2]], true),
  );
  assert.equal(result["lost-write-count"], 1);
  assert.deepEqual(result["lost-writes"][0]?.reads, { n0: 1, n1: 2 });
});

Deno.test("checkFinalReads() flags a value no ok or info txn wrote, and is unknown for unread keys", () => {
  const garbage = check(
    txn("ok", "n0", [["w", 1, 1]]),
    txn("fail", "n0", [["w", 1, 2]]),
    txn("ok", "n0", [["r", 1, 2]], true),
    txn("ok", "n1", [["r", 1, 1]], true),
  );
  assert.equal(garbage["lost-writes"][0]?.why, "no ok or info transaction wrote it");
  const unread = check(txn("ok", "n0", [["w", 1, 1]]), txn("ok", "n0", [["r", 1, 1]], true));
  assert.equal(unread.valid, "unknown");
  assert.deepEqual(unread.unread, ["n1 1"]);
});

Deno.test("withFinalReads() makes lost-write an anomaly of the txn result, fatal", () => {
  const finals = check(txn("ok", "n0", [["w", 1, 1]]), txn("ok", "n0", [["r", 1, null]], true));
  const merged = withFinalReads({
    valid: true,
    "anomaly-types": ["G2-item"],
    anomalies: { "G2-item": [] },
    counts: { "G2-item": 1 },
  }, finals);
  assert.equal(merged.valid, false);
  assert.deepEqual(merged["anomaly-types"], ["G2-item", "lost-write"]);
  assert.equal((merged.counts as Record<string, number>)["lost-write"], 1);
  assert.equal((merged.anomalies as Record<string, unknown[]>)["lost-write"]?.length, 1);
  assert.equal((merged["final-reads"] as Record<string, unknown>)["lost-write-count"], 1);
});

Deno.test("keysOfThread() covers every key once per node", () => {
  const keys = [0, 1, 2, 3, 4, 5, 6];
  // Five threads on two nodes: n0 has threads 0, 2, 4 and n1 has 1, 3.
  const of = (t: number) => keysOfThread(keys, t, 2, 5);
  assert.deepEqual([...of(0), ...of(2), ...of(4)].sort(), keys);
  assert.deepEqual([...of(1), ...of(3)].sort(), keys);
  assert.deepEqual(of(3), [1, 3, 5]);
});

Deno.test("finalReads() reads its keys in txns of --max-txn-length, retrying until ok", async () => {
  const options = { ...defaultTestOptions("txn-rw-register", 1), maxTxnLength: 2 };
  const past: Op[] = history(...txn("ok", "n0", [["w", 5, 1], ["w", 6, 1], ["w", 7, 1]]));
  const calls: Invocation[] = [];
  let fails = 1;
  const ctx: FinalContext = {
    thread: 0,
    options,
    rng: createRng(1),
    invoke: (op): Promise<Completion> => {
      calls.push(op);
      return Promise.resolve({ type: fails-- > 0 ? "fail" : "ok", value: op.value });
    },
    sleep: () => Promise.resolve(),
    now: () => 0,
    signal: new AbortController().signal,
    history: past,
  };
  await finalReads(ctx);
  assert.deepEqual(writtenKeys(past), [5, 6, 7]);
  assert.deepEqual(calls.map((c) => [c.value, c.final]), [
    [[["r", 5, null], ["r", 6, null]], true],
    [[["r", 5, null], ["r", 6, null]], true],
    [[["r", 7, null]], true],
  ]);
});

Deno.test("txnRwRegisterWorkload.forOptions() adds the final phase only with --final-reads", () => {
  const options = defaultTestOptions("txn-rw-register", 2);
  assert.equal(txnRwRegisterWorkload.forOptions?.(options), txnRwRegisterWorkload);
  const withFinal = txnRwRegisterWorkload.forOptions?.({ ...options, finalReads: true });
  assert.equal(withFinal, txnFinalReadsWorkload);
  assert.equal(withFinal?.hasFinalPhase, true);
  assert.throws(
    () => txnRwRegisterWorkload.validate?.({ ...options, finalReads: true, concurrency: 1 }),
    /--final-reads needs a worker on every node/,
  );
});
