import assert from "node:assert/strict";
import { availability, netStats, opStats, quantiles } from "./stats.ts";
import type { JournalEvent } from "./net/journal.ts";
import type { Op, OpType } from "./history.ts";

/** Builds a history from [type, process, f] triples, indexing and timing them in order. */
function _history(entries: [OpType, number | "nemesis", string][]): Op[] {
  return entries.map(([type, process, f], index) => ({
    index,
    time: index * 1000,
    type,
    process,
    f,
    value: null,
  }));
}

/** One delivered message: its send and its recv. */
function _both(id: number, src: string, dest: string, bodyType: string): JournalEvent[] {
  return [
    { type: "send", time: id * 10, id, src, dest, bodyType },
    { type: "recv", time: id * 10 + 1, id, src, dest, bodyType },
  ];
}

Deno.test("netStats() counts echo on one node: servers 0, all 2N+2 with init", () => {
  const n = 5;
  const journal: JournalEvent[] = [
    ..._both(0, "c0", "n0", "init"),
    ..._both(1, "n0", "c0", "init_ok"),
  ];
  const entries: [OpType, number, string][] = [];
  for (let i = 0; i < n; i++) {
    journal.push(
      ..._both(2 + 2 * i, "c1", "n0", "echo"),
      ..._both(3 + 2 * i, "n0", "c1", "echo_ok"),
    );
    entries.push(["invoke", 0, "echo"], ["ok", 0, "echo"]);
  }
  const stats = netStats(journal, _history(entries));
  assert.deepEqual(stats, {
    valid: true,
    all: { "send-count": 12, "recv-count": 12, "msg-count": 12, "msgs-per-op": 12 / 5 },
    clients: { "send-count": 12, "recv-count": 12, "msg-count": 12 },
    servers: { "send-count": 0, "recv-count": 0, "msg-count": 0, "msgs-per-op": 0 },
  });
});

Deno.test("netStats() counts node-service traffic as servers and drops as sends only", () => {
  const journal: JournalEvent[] = [
    ..._both(0, "c4", "n0", "add"),
    ..._both(1, "n0", "seq-kv", "cas"),
    ..._both(2, "seq-kv", "n0", "cas_ok"),
    // Partitioned: sent, never received.
    { type: "send", time: 30, id: 3, src: "n0", dest: "n1", bodyType: "gossip" },
    ..._both(4, "n0", "c4", "add_ok"),
  ];
  const history = _history([
    ["info", "nemesis", "start-partition"],
    ["invoke", 0, "add"],
    ["ok", 0, "add"],
    ["info", "nemesis", "start-partition"],
  ]);
  assert.deepEqual(netStats(journal, history), {
    valid: true,
    all: { "send-count": 5, "recv-count": 4, "msg-count": 5, "msgs-per-op": 5 },
    clients: { "send-count": 2, "recv-count": 2, "msg-count": 2 },
    servers: { "send-count": 3, "recv-count": 2, "msg-count": 3, "msgs-per-op": 3 },
  });
});

Deno.test("netStats() omits msgs-per-op when there are no client ops", () => {
  const stats = netStats(_both(0, "n0", "n1", "x"), _history([["info", "nemesis", "x"]]));
  assert.deepEqual(stats.all, { "send-count": 1, "recv-count": 1, "msg-count": 1 });
  assert.deepEqual(stats.servers, { "send-count": 1, "recv-count": 1, "msg-count": 1 });
});

Deno.test("opStats() counts client completions per f and needs an ok in each", () => {
  const history = _history([
    ["invoke", 0, "read"],
    ["ok", 0, "read"],
    ["invoke", 1, "cas"],
    ["fail", 1, "cas"],
    ["info", "nemesis", "start-partition"],
    ["invoke", 2, "write"],
    ["info", 2, "write"],
    ["invoke", 3, "write"],
    ["ok", 3, "write"],
  ]);
  assert.deepEqual(opStats(history), {
    valid: false,
    count: 4,
    "ok-count": 2,
    "fail-count": 1,
    "info-count": 1,
    "by-f": {
      cas: { valid: false, count: 1, "ok-count": 0, "fail-count": 1, "info-count": 0 },
      read: { valid: true, count: 1, "ok-count": 1, "fail-count": 0, "info-count": 0 },
      write: { valid: true, count: 2, "ok-count": 1, "fail-count": 0, "info-count": 1 },
    },
  });
  assert.deepEqual(Object.keys(opStats(history)["by-f"] as object), ["cas", "read", "write"]);
});

Deno.test("opStats() skips ignored fs and is valid on an empty history", () => {
  const history = _history([
    ["invoke", 0, "crash"],
    ["info", 0, "crash"],
    ["invoke", 1, "send"],
    ["ok", 1, "send"],
  ]);
  assert.deepEqual(opStats(history, new Set(["crash"])), {
    valid: true,
    count: 1,
    "ok-count": 1,
    "fail-count": 0,
    "info-count": 0,
    "by-f": { send: { valid: true, count: 1, "ok-count": 1, "fail-count": 0, "info-count": 0 } },
  });
  assert.deepEqual(opStats([]), {
    valid: true,
    count: 0,
    "ok-count": 0,
    "fail-count": 0,
    "info-count": 0,
    "by-f": {},
  });
});

Deno.test("availability() with total fails on one timed-out op", () => {
  const history = _history([
    ["invoke", 0, "generate"],
    ["ok", 0, "generate"],
    ["invoke", 1, "generate"],
    ["info", 1, "generate"],
    ["info", "nemesis", "start-partition"],
  ]);
  assert.deepEqual(availability(history, "total"), { valid: false, "ok-fraction": 0.5 });
  assert.deepEqual(availability(history, undefined), { valid: true, "ok-fraction": 0.5 });
});

Deno.test("availability() compares a number threshold with >=", () => {
  const entries: [OpType, number, string][] = [];
  for (let i = 0; i < 4; i++) {
    entries.push(["invoke", i, "read"], [i < 3 ? "ok" : "fail", i, "read"]);
  }
  const history = _history(entries);
  assert.deepEqual(availability(history, 0.75), { valid: true, "ok-fraction": 0.75 });
  assert.deepEqual(availability(history, 0.76), { valid: false, "ok-fraction": 0.75 });
  assert.deepEqual(availability(history, "total"), { valid: false, "ok-fraction": 0.75 });
});

Deno.test("availability() gives 1 and total passes when there are no ops", () => {
  assert.deepEqual(availability([], "total"), { valid: true, "ok-fraction": 1 });
});

Deno.test("quantiles() picks sorted[min(n-1, floor(n*q))]", () => {
  assert.deepEqual(quantiles([5, 1, 4, 2, 3]), { "0": 1, "0.5": 3, "0.95": 5, "0.99": 5, "1": 5 });
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.deepEqual(quantiles(hundred), { "0": 1, "0.5": 51, "0.95": 96, "0.99": 100, "1": 100 });
  assert.deepEqual(quantiles([7]), { "0": 7, "0.5": 7, "0.95": 7, "0.99": 7, "1": 7 });
  assert.deepEqual(quantiles([]), {});
});
