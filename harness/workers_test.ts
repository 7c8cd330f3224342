import assert from "node:assert/strict";
import { History } from "./history.ts";
import { createRng } from "./rng.ts";
import {
  type Completion,
  type Connection,
  type Invocation,
  MalformedReplyError,
  type Workload,
} from "./workloads/contract.ts";
import type { TestOptions } from "./options.ts";
import { type ClosableConnection, WorkerPool } from "./workers.ts";

const OPTIONS = {
  nodes: ["n0", "n1"],
  concurrency: 2,
} as unknown as TestOptions;

/** A stand-in workload whose client answers from a script of outcomes. */
function _workload(script: (Completion | Error)[], reusableClient: boolean): Workload {
  return {
    name: "stand-in",
    idempotent: new Set(),
    reusableClient,
    hasFinalPhase: false,
    timeoutMs: () => 1000,
    generator: () => ({ next: () => undefined }),
    client: () => ({
      invoke(_op: Invocation, _conn: Connection): Promise<Completion> {
        const next = script.shift();
        if (next instanceof Error) return Promise.reject(next);
        return Promise.resolve(next ?? { type: "ok", value: null });
      },
    }),
    check: () => ({ valid: true }),
  };
}

function _pool(workload: Workload, history: History, opened: string[]): WorkerPool {
  let ids = 0;
  return new WorkerPool({
    workload,
    options: OPTIONS,
    history,
    rng: createRng(1),
    connect(node): ClosableConnection {
      const clientId = `c${ids++}`;
      opened.push(`${clientId}->${node}`);
      return { clientId, node, rpc: () => Promise.reject(new Error("unused")), close() {} };
    },
  });
}

Deno.test("WorkerPool turns a MalformedReplyError into an info op with the exception", async () => {
  const history = new History();
  const opened: string[] = [];
  const pool = _pool(_workload([new MalformedReplyError("extra key x")], false), history, opened);
  const completion = await pool.perform(1, { f: "echo", value: "v" });
  assert.deepEqual(completion, {
    type: "info",
    value: "v",
    error: "indeterminate: extra key x",
    exception: "malformed-rpc-response: extra key x",
  });
  const [invoke, done] = history.ops;
  assert.deepEqual(
    [invoke?.type, invoke?.process, invoke?.node, done?.type, done?.exception],
    ["invoke", 1, "n1", "info", "malformed-rpc-response: extra key x"],
  );
});

Deno.test("WorkerPool gives a thread a new process and, if not reusable, a new client id after info", async () => {
  const history = new History();
  const opened: string[] = [];
  const pool = _pool(
    _workload([{ type: "info", value: 1, error: "net-timeout" }, { type: "ok", value: 2 }], false),
    history,
    opened,
  );
  await pool.perform(0, { f: "add", value: 1 });
  await pool.perform(0, { f: "add", value: 2 });
  assert.deepEqual(history.ops.map((op) => [op.type, op.process]), [
    ["invoke", 0],
    ["info", 0],
    ["invoke", 2],
    ["ok", 2],
  ]);
  assert.deepEqual(opened, ["c0->n0", "c1->n1", "c2->n0"]);
});

Deno.test("WorkerPool keeps a reusable client's connection after info", async () => {
  const history = new History();
  const opened: string[] = [];
  const pool = _pool(_workload([{ type: "info", value: 1 }], true), history, opened);
  await pool.perform(1, { f: "txn", value: 1 });
  await pool.perform(1, { f: "txn", value: 2 });
  assert.deepEqual(history.ops.map((op) => op.process), [1, 1, 3, 3]);
  assert.deepEqual(opened, ["c0->n0", "c1->n1"]);
});

Deno.test("WorkerPool.acquire() waits for a free thread and gives up on abort", async () => {
  const pool = _pool(_workload([], true), new History(), []);
  const controller = new AbortController();
  const a = await pool.acquire(controller.signal);
  const b = await pool.acquire(controller.signal);
  assert.deepEqual([a, b].sort(), [0, 1]);
  const waiting = pool.acquire(controller.signal);
  pool.release(a as number);
  assert.equal(await waiting, a);
  const aborted = pool.acquire(controller.signal);
  controller.abort();
  assert.equal(await aborted, undefined);
});

Deno.test("WorkerPool hands every recorded completion to onComplete (the generator's observe)", async () => {
  const history = new History();
  const seen: string[] = [];
  const workload = _workload([
    { type: "ok", value: 1 },
    { type: "fail", value: 2, error: "no" },
    new MalformedReplyError("bad"),
  ], true);
  const pool = new WorkerPool({
    workload,
    options: OPTIONS,
    history,
    rng: createRng(1),
    connect: (node) => ({
      clientId: "c0",
      node,
      rpc: () => Promise.reject(new Error("unused")),
      close() {},
    }),
    onComplete: (op) => seen.push(`${op.index}:${op.type}:${op.f}`),
  });
  await pool.perform(0, { f: "a", value: 1 });
  await pool.perform(1, { f: "b", value: 2 });
  await pool.perform(0, { f: "c", value: 3 });
  assert.deepEqual(seen, ["1:ok:a", "3:fail:b", "5:info:c"]);
});
