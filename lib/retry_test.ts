import { deepEqual, equal, rejects } from "node:assert/strict";
import { VirtualClock } from "./clock.ts";
import { backoffMs, isRetriableError, retry } from "./retry.ts";
import { RPCError } from "./rpc_error.ts";
import { ShutdownError } from "./pending_rpcs.ts";

Deno.test("backoffMs() doubles from baseMs, caps at maxMs, and applies jitter", () => {
  const none = () => 0;
  deepEqual([1, 2, 3, 4, 5].map((a) => backoffMs(a, 10, 50, 0.5, none)), [10, 20, 40, 50, 50]);
  equal(backoffMs(2, 10, 50, 0.5, () => 0.5), 15);
  equal(backoffMs(2, 10, 50, 1, () => 0.999), 20 * (1 - 0.999));
});

Deno.test("isRetriableError() accepts codes 0 and 11 only, and not a shutdown", () => {
  deepEqual([0, 11, 13, 20, 22].map((c) => isRetriableError(new RPCError(c))), [
    true,
    true,
    false,
    false,
    false,
  ]);
  equal(isRetriableError(new Error("x")), false);
  equal(isRetriableError(new RPCError(0, "node shut down", { cause: new ShutdownError() })), false);
});

Deno.test("retry() retries retriable errors with backoff on the given clock", async () => {
  const clock = new VirtualClock();
  const calls: number[] = [];
  const result = retry((attempt) => {
    calls.push(clock.now());
    if (attempt < 3) throw new RPCError(11);
    return "ok";
  }, { attempts: 3, baseMs: 10, maxMs: 100, jitter: 0, clock });
  await clock.advance(30);
  equal(await result, "ok");
  deepEqual(calls, [0, 10, 30]);
});

Deno.test("retry() throws the last error when attempts run out or it is not retriable", async () => {
  const clock = new VirtualClock();
  let calls = 0;
  const exhausted = rejects(
    retry(() => {
      calls++;
      throw new RPCError(0, `try ${calls}`);
    }, { attempts: 2, baseMs: 1, jitter: 0, clock }),
    (e) => e instanceof RPCError && e.text === "try 2",
  );
  await clock.advance(5);
  await exhausted;
  calls = 0;
  await rejects(
    retry(() => {
      calls++;
      throw new RPCError(22);
    }, { clock }),
    (e) => e instanceof RPCError && e.code === 22,
  );
  equal(calls, 1);
  await rejects(retry(() => 1, { attempts: 0 }), RangeError);
});

Deno.test("retry() stops with code 0 when the signal aborts during a wait, clearing the timer", async () => {
  const clock = new VirtualClock();
  const controller = new AbortController();
  const first = new RPCError(11, "busy");
  const result = rejects(
    retry(() => {
      throw first;
    }, { signal: controller.signal, clock, baseMs: 100 }),
    (e) => e instanceof RPCError && e.code === 0 && e.cause === first,
  );
  await clock.advance(1);
  equal(clock.pending, 1);
  controller.abort();
  await result;
  equal(clock.pending, 0);
});

Deno.test("retry() uses isRetriable to decide", async () => {
  const clock = new VirtualClock();
  let calls = 0;
  const result = retry(() => {
    if (++calls < 2) throw new Error("flaky");
    return calls;
  }, { isRetriable: (e) => e instanceof Error && e.message === "flaky", clock, jitter: 0 });
  await clock.advance(10);
  equal(await result, 2);
});
