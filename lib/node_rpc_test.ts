import { deepEqual, equal as assertEquals, rejects, throws } from "node:assert/strict";
import { RPCError } from "./rpc_error.ts";
import { retry } from "./retry.ts";
import { ShutdownError } from "./pending_rpcs.ts";
import { INIT, INIT_OK, request, startInitialised, startNode, stop } from "./_test_util.ts";

const isCode = (code: number, text?: string) => (error: unknown) => {
  assertEquals(error instanceof RPCError, true);
  assertEquals((error as RPCError).code, code);
  if (text !== undefined) assertEquals((error as RPCError).text, text);
  return true;
};

Deno.test("Node.rpc() numbers msg_ids from 1 and resolves with the matching reply", async () => {
  const t = await startInitialised();
  const first = t.node.rpc("n2", { type: "ping" });
  const second = t.node.rpc("lin-kv", { type: "read", key: "k" });
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"n2","body":{"type":"ping","msg_id":1}}',
  );
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"lin-kv","body":{"type":"read","key":"k","msg_id":2}}',
  );
  t.transport.send({
    src: "lin-kv",
    dest: "n1",
    body: { type: "read_ok", value: 5, in_reply_to: 2 },
  });
  t.transport.send({ src: "n2", dest: "n1", body: { type: "pong", in_reply_to: 1 } });
  deepEqual(await second, { type: "read_ok", value: 5, in_reply_to: 2 });
  deepEqual(await first, { type: "pong", in_reply_to: 1 });
  assertEquals(t.node.pendingRpcs, 0);
  await stop(t);
});

Deno.test("Node.rpc() takes a reply only from the node it asked (a restarted node's msg_ids repeat)", async () => {
  const t = await startInitialised();
  const call = t.node.rpc("n2", { type: "ping" });
  await t.transport.next();
  // n3 answers msg_id 1, as it would answer this node's previous incarnation: not our reply.
  t.transport.send({ src: "n3", dest: "n1", body: { type: "pong", from: "n3", in_reply_to: 1 } });
  t.transport.send({ src: "n2", dest: "n1", body: { type: "pong", from: "n2", in_reply_to: 1 } });
  deepEqual(await call, { type: "pong", from: "n2", in_reply_to: 1 });
  await stop(t);
  deepEqual(t.logger.lines, ["reply dropped: nothing awaits in_reply_to 1 from n3"]);
});

Deno.test("Node.rpc() rejects with the RPCError of an error reply", async () => {
  const t = await startInitialised();
  const call = t.node.rpc("lin-kv", { type: "read", key: "k" });
  await t.transport.next();
  t.transport.send({
    src: "lin-kv",
    dest: "n1",
    body: { type: "error", code: 20, text: "not found", in_reply_to: 1 },
  });
  await rejects(call, isCode(20, "not found"));
  await stop(t);
});

Deno.test("Node.rpc() times out with code 0, frees its entry, and drops a late reply", async () => {
  const t = await startInitialised();
  const call = t.node.rpc("n2", { type: "ping" }, { timeoutMs: 100 });
  await t.transport.next();
  assertEquals(t.node.pendingRpcs, 1);
  const failed = rejects(call, isCode(0, "rpc ping to n2 timed out after 100 ms"));
  await t.clock.advance(99);
  assertEquals(t.node.pendingRpcs, 1);
  await t.clock.advance(1);
  await failed;
  assertEquals(t.node.pendingRpcs, 0);
  assertEquals(t.clock.pending, 0);
  t.transport.send({ src: "n2", dest: "n1", body: { type: "pong", in_reply_to: 1 } });
  await stop(t);
  deepEqual(t.transport.lines.length, 2);
  deepEqual(t.logger.lines, ["reply dropped: nothing awaits in_reply_to 1 from n2"]);
});

Deno.test("Node.rpc() rejects with code 0 when its signal aborts, and clears its timer", async () => {
  const t = await startInitialised();
  const controller = new AbortController();
  const call = t.node.rpc("n2", { type: "ping" }, { signal: controller.signal, timeoutMs: 1000 });
  assertEquals(t.clock.pending, 1);
  controller.abort(new Error("caller gave up"));
  await rejects(call, isCode(0, "rpc ping to n2 aborted"));
  assertEquals(t.node.pendingRpcs, 0);
  assertEquals(t.clock.pending, 0);
  await rejects(
    t.node.rpc("n2", { type: "ping" }, { signal: controller.signal }),
    isCode(0, "rpc ping to n2 aborted"),
  );
  await stop(t);
});

Deno.test("Node.rpc() applies defaultRpcTimeoutMs when the call gives none", async () => {
  const t = await startInitialised(() => {}, { defaultRpcTimeoutMs: 50 });
  const failed = rejects(
    t.node.rpc("n2", { type: "ping" }),
    isCode(0, "rpc ping to n2 timed out after 50 ms"),
  );
  await t.clock.advance(50);
  await failed;
  await stop(t);
});

Deno.test("Node.run() rejects pending rpcs with code 0 at end of input", async () => {
  let outcome = "";
  const t = await startInitialised((node) =>
    node.handle("proxy", async () => {
      try {
        await node.rpc("n2", { type: "ping" });
        outcome = "resolved";
      } catch (error) {
        outcome = `rejected ${(error as RPCError).code}`;
        throw error;
      }
    })
  );
  t.transport.send(request({ type: "proxy", msg_id: 5 }));
  await t.transport.next();
  await stop(t);
  assertEquals(outcome, "rejected 0");
  assertEquals(t.node.signal.reason instanceof ShutdownError, true);
  assertEquals(t.node.pendingRpcs, 0);
  assertEquals(
    t.transport.lines.at(-1),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":0,"text":"node shut down","in_reply_to":5}}',
  );
  await rejects(t.node.rpc("n2", { type: "ping" }), isCode(0, "node is shutting down"));
});

Deno.test("retry() calls rpc afresh so each attempt gets a new msg_id", async () => {
  const t = await startInitialised();
  const result = retry(
    () => t.node.rpc("lin-kv", { type: "read", key: "k" }, { timeoutMs: 100 }),
    { attempts: 3, baseMs: 10, maxMs: 10, jitter: 0, clock: t.clock },
  );
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"lin-kv","body":{"type":"read","key":"k","msg_id":1}}',
  );
  await t.clock.advance(110);
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"lin-kv","body":{"type":"read","key":"k","msg_id":2}}',
  );
  t.transport.send({
    src: "lin-kv",
    dest: "n1",
    body: { type: "read_ok", value: 3, in_reply_to: 2 },
  });
  deepEqual(await result, { type: "read_ok", value: 3, in_reply_to: 2 });
  await stop(t);
});

Deno.test("Node.every() runs on the clock without overlapping, logs throws, and stops at shutdown", async () => {
  let ticks = 0;
  const t = await startInitialised((node) => {
    node.every(100, () => {
      ticks++;
      if (ticks === 2) throw new Error("tick failed");
      node.send("n2", { type: "tick", n: ticks });
    });
  });
  await t.clock.advance(100);
  assertEquals(await t.transport.next(), '{"src":"n1","dest":"n2","body":{"type":"tick","n":1}}');
  await t.clock.advance(200);
  assertEquals(ticks, 3);
  assertEquals(await t.transport.next(), '{"src":"n1","dest":"n2","body":{"type":"tick","n":3}}');
  assertEquals(t.clock.pending, 1);
  await stop(t);
  assertEquals(t.clock.pending, 0);
  await t.clock.advance(1000);
  assertEquals(ticks, 3);
  assertEquals(t.logger.lines[0]?.startsWith("periodic task failed: Error: tick failed"), true);
});

Deno.test("Node.every() waits for an async task before scheduling the next tick", async () => {
  let release!: () => void;
  let starts = 0;
  const t = await startInitialised((node) => {
    node.every(10, async () => {
      starts++;
      await new Promise<void>((resolve) => release = resolve);
    });
  });
  await t.clock.advance(50);
  assertEquals(starts, 1);
  assertEquals(t.clock.pending, 0);
  release();
  await t.clock.advance(10);
  assertEquals(starts, 2);
  t.transport.end();
  await t.clock.advance();
  release();
  await t.done;
  assertEquals(t.clock.pending, 0);
});

Deno.test("Node.every() skips ticks before init and returns a working cancel", async () => {
  let ticks = 0;
  let cancel!: () => void;
  const t = startNode((node) => {
    cancel = node.every(10, () => {
      ticks++;
    });
  });
  await t.clock.advance(30);
  assertEquals(ticks, 0);
  t.transport.send(INIT);
  assertEquals(await t.transport.next(), INIT_OK);
  await t.clock.advance(30);
  assertEquals(ticks, 3);
  cancel();
  await t.clock.advance(30);
  assertEquals(ticks, 3);
  assertEquals(t.clock.pending, 0);
  await stop(t);
  deepEqual(t.transport.lines, [INIT_OK]);
});

Deno.test("Node.after() runs once on the clock, can be cancelled, and is dropped at shutdown", async () => {
  const fired: string[] = [];
  let cancel!: () => void;
  const t = await startInitialised((node) => {
    node.after(50, () => node.send("n2", { type: "once" }));
    node.after(60, () => {
      throw new Error("timer failed");
    });
    cancel = node.after(70, () => void fired.push("cancelled"));
    node.after(500, () => void fired.push("after shutdown"));
  });
  cancel();
  await t.clock.advance(49);
  assertEquals(t.transport.lines.length, 1); // init_ok only
  await t.clock.advance(1);
  assertEquals(await t.transport.next(), '{"src":"n1","dest":"n2","body":{"type":"once"}}');
  await t.clock.advance(100);
  assertEquals(t.logger.lines[0]?.startsWith("timer task failed: Error: timer failed"), true);
  assertEquals(t.clock.pending, 1);
  await stop(t);
  assertEquals(t.clock.pending, 0);
  await t.clock.advance(1000);
  deepEqual(fired, []);
  throws(() => t.node.after(-1, () => {}), RangeError);
});

Deno.test("Node.after() before init waits for it", async () => {
  let fired = 0;
  const t = startNode((node) => {
    node.after(10, () => void fired++);
  });
  await t.clock.advance(30);
  assertEquals(fired, 0);
  t.transport.send(INIT);
  assertEquals(await t.transport.next(), INIT_OK);
  await t.clock.advance(10);
  assertEquals(fired, 1);
  await t.clock.advance(100);
  assertEquals(fired, 1);
  await stop(t);
});

Deno.test("Node.every() rejects a non-positive period and run() rejects a second call", async () => {
  const t = await startInitialised();
  throws(() => t.node.every(0, () => {}), RangeError);
  await rejects(t.node.run(), TypeError);
  await stop(t);
});
