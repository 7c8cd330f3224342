import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import type { Op } from "../../history.ts";
import { checkKafka } from "./checker.ts";
import { brief } from "./log.ts";
import { buildHistory, type Step } from "../_history_test_util.ts";

function send(process: number, key: string, msg: unknown, offset: number, start?: number): Step {
  const step: Step = {
    process,
    f: "send",
    invoke: [["send", key, msg]],
    type: "ok",
    value: [["send", key, [offset, msg]]],
  };
  if (start !== undefined) step.start = start;
  return step;
}

function poll(process: number, msgs: Record<string, [number, unknown][]>, start?: number): Step {
  const step: Step = {
    process,
    f: "poll",
    invoke: [["poll"]],
    type: "ok",
    value: [["poll", msgs]],
  };
  if (start !== undefined) step.start = start;
  return step;
}

/** The completion of the n-th step (0-based) of a history built from steps without overlap. */
function done(history: Op[], n: number): ReturnType<typeof brief> {
  return brief(history[2 * n + 1] as Op);
}

Deno.test("checkKafka() finds nothing wrong in a correct history", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(1, "a", 2, 1),
    poll(0, { a: [[0, 1], [1, 2]] }),
    poll(1, { a: [[0, 1]] }),
    poll(1, { a: [[1, 2]] }),
  ]);
  assertEquals(checkKafka(h), { valid: true, "error-types": [], "bad-error-types": [] });
});

Deno.test("checkKafka() reports inconsistent-offsets when two sends get the same offset", () => {
  const h = buildHistory([send(0, "a", 1, 0), send(1, "a", 2, 0), poll(0, { a: [[0, 1]] })]);
  const result = checkKafka(h);
  assertEquals(result.valid, false);
  assertEquals(result["inconsistent-offsets"], {
    count: 1,
    errs: [{ key: "a", offset: 0, index: 0, values: [1, 2] }],
  });
  assert((result["bad-error-types"] as string[]).includes("inconsistent-offsets"));
});

Deno.test("checkKafka() reports a duplicate when a message sits at two offsets", () => {
  const h = buildHistory([send(0, "a", 1, 0), poll(0, { a: [[0, 1], [1, 1]] })]);
  const result = checkKafka(h);
  assertEquals(result.duplicate, {
    count: 1,
    errs: [{ key: "a", value: 1, count: 2, offsets: [0, 1] }],
  });
  assertEquals(result["error-types"], ["duplicate"]);
  assertEquals(result.valid, false);
});

Deno.test("checkKafka() reports a lost write below the highest polled message", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(0, "a", 2, 1),
    send(0, "a", 3, 2),
    poll(1, { a: [[0, 1]] }),
    poll(2, { a: [[2, 3]] }),
  ]);
  const result = checkKafka(h);
  assertEquals(result["lost-write"], {
    count: 1,
    errs: [{
      key: "a",
      value: 2,
      index: 1,
      "max-read-index": 2,
      writer: done(h, 1),
      "max-read": done(h, 4),
    }],
  });
  assertEquals(result["error-types"], ["lost-write", "unseen"]);
  assertEquals(result.valid, false);
});

Deno.test("checkKafka() reports an acknowledged send that no poll ever returns as unseen", () => {
  const h = buildHistory([send(0, "a", 1, 0), send(0, "b", 7, 0), poll(1, { b: [[0, 7]] })]);
  const result = checkKafka(h);
  assertEquals(result.unseen, {
    count: 1,
    errs: [{ key: "a", value: 1, offset: 0, writer: done(h, 0) }],
    unseen: { a: 1 },
    messages: { a: [1] },
  });
  assertEquals(result["error-types"], ["unseen"]);
  assertEquals(result.valid, false);
});

Deno.test("checkKafka() reports G1a when a poll returns a failed send's message", () => {
  const h = buildHistory([
    { process: 0, f: "send", invoke: [["send", "a", 5]], type: "fail", value: [["send", "a", 5]] },
    poll(1, { a: [[0, 5]] }),
  ]);
  const result = checkKafka(h);
  assertEquals(result.G1a, {
    count: 1,
    errs: [{ key: "a", value: 5, writer: done(h, 0), reader: done(h, 1) }],
  });
  assertEquals(result["error-types"], ["G1a"]);
  assertEquals(result.valid, false);
});

Deno.test("checkKafka() reports poll-skip when a process's next poll jumps past a message", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(0, "a", 2, 1),
    send(0, "a", 3, 2),
    poll(1, { a: [[0, 1]] }),
    poll(1, { a: [[2, 3]] }),
    poll(2, { a: [[1, 2]] }),
  ]);
  const result = checkKafka(h);
  assertEquals(result["poll-skip"], {
    count: 1,
    errs: [{
      key: "a",
      values: [1, 3],
      offsets: [0, 2],
      delta: 2,
      skipped: [[1, 2]],
      ops: [done(h, 3), done(h, 4)],
    }],
  });
  assertEquals(result["error-types"], ["poll-skip"]);
});

Deno.test("checkKafka() reports int-poll-skip inside one poll, ignoring offset gaps with no message", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(0, "a", 2, 5),
    send(0, "a", 3, 9),
    poll(1, { a: [[0, 1], [9, 3]] }),
    poll(2, { a: [[0, 1], [5, 2], [9, 3]] }),
  ]);
  const result = checkKafka(h);
  assertEquals(result["int-poll-skip"], {
    count: 1,
    errs: [{
      key: "a",
      values: [1, 3],
      offsets: [0, 9],
      delta: 2,
      skipped: [[5, 2]],
      op: done(h, 3),
    }],
  });
  assertEquals(result["error-types"], ["int-poll-skip"]);
});

Deno.test("checkKafka() reports nonmonotonic-poll when a poll re-returns the last offset", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(0, "a", 2, 1),
    poll(1, { a: [[0, 1], [1, 2]] }),
    poll(1, { a: [[1, 2]] }),
  ]);
  const result = checkKafka(h);
  assertEquals(result["nonmonotonic-poll"], {
    count: 1,
    errs: [{
      key: "a",
      values: [2, 2],
      offsets: [1, 1],
      delta: 0,
      ops: [done(h, 2), done(h, 3)],
    }],
  });
  assertEquals(result["error-types"], ["nonmonotonic-poll"]);
});

Deno.test("checkKafka() reports int-nonmonotonic-poll when one poll goes backwards", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(0, "a", 2, 1),
    poll(1, { a: [[1, 2], [0, 1]] }),
  ]);
  const result = checkKafka(h);
  assertEquals(result["int-nonmonotonic-poll"], {
    count: 1,
    errs: [{ key: "a", values: [2, 1], offsets: [1, 0], delta: -1, op: done(h, 2) }],
  });
  assertEquals(result["error-types"], ["int-nonmonotonic-poll"]);
});

Deno.test("checkKafka() reports nonmonotonic-send when a process's later send lands lower", () => {
  const h = buildHistory([
    send(0, "a", 1, 5),
    send(0, "a", 2, 3),
    poll(1, { a: [[3, 2], [5, 1]] }),
  ]);
  const result = checkKafka(h);
  assertEquals(result["nonmonotonic-send"], {
    count: 1,
    errs: [{ key: "a", values: [1, 2], offsets: [5, 3], delta: -1, ops: [done(h, 0), done(h, 1)] }],
  });
  assertEquals(result["error-types"], ["nonmonotonic-send"]);
});

Deno.test("checkKafka() forgets a process's position on keys an assign drops", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(0, "a", 2, 1),
    poll(1, { a: [[0, 1], [1, 2]] }),
    { process: 1, f: "assign", invoke: ["b"], type: "ok" },
    poll(1, { a: [[0, 1]] }),
  ]);
  assertEquals(checkKafka(h)["error-types"], []);
});

Deno.test("checkKafka() reports G1c-realtime when a poll returns a message sent after it ended", () => {
  const h = buildHistory([poll(1, { a: [[0, 1]] }, 0), send(0, "a", 1, 0, 100)]);
  const result = checkKafka(h);
  assertEquals(result["G1c-realtime"], {
    count: 1,
    errs: [{
      key: "a",
      value: 1,
      writer: brief(h[3] as Op),
      reader: brief(h[1] as Op),
      "send-invoked": 100,
      "poll-completed": 5,
    }],
  });
  assertEquals(result.valid, false);
});

Deno.test("checkKafka() counts a key polled with an empty list as read, as Jepsen does with nil", () => {
  // A null list on the wire becomes []; Jepsen's op-reads maps both nil and [] to a key read with
  // no values, which becomes the process's last read of that key and so hides a later skip.
  const steps = (empty: Record<string, [number, unknown][]>) => [
    send(0, "a", 1, 0),
    send(0, "a", 2, 1),
    send(0, "a", 3, 2),
    poll(1, { a: [[0, 1]] }),
    poll(1, empty),
    poll(1, { a: [[2, 3]] }),
  ];
  assertEquals(checkKafka(buildHistory(steps({ a: [] })))["error-types"], [
    "lost-write",
    "unseen",
  ]);
  assertEquals(checkKafka(buildHistory(steps({})))["error-types"], [
    "lost-write",
    "poll-skip",
    "unseen",
  ]);
});

Deno.test("checkKafka() analyses 100k messages at offsets near 2^31 in well under 10 s", () => {
  const keys = 10;
  const perKey = 10_000;
  const base = 2 ** 31 - 4 * perKey - 10;
  const h: Op[] = [];
  let t = 0;
  const push = (op: Omit<Op, "index" | "time">) => h.push({ index: h.length, time: t++, ...op });
  for (let k = 0; k < keys; k++) {
    for (let i = 0; i < perKey; i++) {
      const process = k;
      const msg = i + 1;
      push({ type: "invoke", process, f: "send", value: [["send", String(k), msg]] });
      push({ type: "ok", process, f: "send", value: [["send", String(k), [base + 3 * i, msg]]] });
    }
    for (let i = 0; i < perKey; i += 100) {
      const pairs: [number, number][] = [];
      for (let j = i; j < i + 100; j++) pairs.push([base + 3 * j, j + 1]);
      push({ type: "invoke", process: 100 + k, f: "poll", value: [["poll"]] });
      push({ type: "ok", process: 100 + k, f: "poll", value: [["poll", { [String(k)]: pairs }]] });
    }
  }
  const started = performance.now();
  const result = checkKafka(h);
  const ms = performance.now() - started;
  console.log(
    `checkKafka: ${keys * perKey} messages, max offset ${base + 3 * (perKey - 1)}: ${
      ms.toFixed(0)
    } ms`,
  );
  assertEquals(result, { valid: true, "error-types": [], "bad-error-types": [] });
  assert(ms < 10_000, `took ${ms} ms`);
});
