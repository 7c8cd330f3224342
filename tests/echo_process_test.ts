import { deepEqual, equal } from "node:assert/strict";
import { challengePath, initLine, runNode } from "./_node_process.ts";

Deno.test("challenges/echo.ts answers echo over pipes and exits 0 at end of input", async () => {
  const input = [
    initLine("n1"),
    '{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":1,"echo":"hello"}}',
    "this is not json",
    '{"src":"c1","dest":"n1","body":{"type":"nope","msg_id":2}}',
    '{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":3,"echo":{"nested":[1,"x"]}}}',
  ].join("\n") + "\n";
  const run = await runNode(challengePath("echo.ts"), input);
  equal(run.code, 0);
  deepEqual(run.lines, [
    '{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"hello","in_reply_to":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"error","code":10,"text":"unsupported message type nope","in_reply_to":2}}',
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":{"nested":[1,"x"]},"in_reply_to":3}}',
  ]);
  equal(run.stderr.includes("malformed input line skipped"), true);
  equal(run.stderr.includes("this is not json"), true);
});

Deno.test("challenges/echo.ts exits 0 on immediate end of input", async () => {
  const run = await runNode(challengePath("echo.ts"), "");
  equal(run.code, 0);
  deepEqual(run.lines, []);
});

Deno.test("Node process logs an unawaited rpc rejected at shutdown and a timer throw, and exits 0", async () => {
  const input = [
    initLine("n1", ["n1", "n2"]),
    '{"src":"c1","dest":"n1","body":{"type":"careless","msg_id":1}}',
  ].join("\n") + "\n";
  const script = new URL("./fixtures/lib/careless_node.ts", import.meta.url).pathname;
  const run = await runNode(script, input);
  equal(run.code, 0);
  deepEqual(run.lines.slice(1), [
    '{"src":"n1","dest":"n2","body":{"type":"never_answered","msg_id":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"careless_ok","in_reply_to":1}}',
  ]);
  equal(run.stderr.includes("unhandled rejection: RPCError: node shut down"), true, run.stderr);
  equal(run.stderr.includes("uncaught error: Error: thrown in a timer"), true, run.stderr);
});
