import assert from "node:assert/strict";
import type { Body } from "../lib/message.ts";
import { ClientConnection, ClientIds } from "./client.ts";
import { Network } from "./net/network.ts";
import { createRng } from "./rng.ts";
import { RpcErrorReply, RpcTimeoutError } from "./workloads/contract.ts";

/** A network with one scripted node `n0` whose replies the test decides. */
function _setup(): { net: Network; requests: Body[]; reply: (body: Body) => void } {
  const net = new Network({
    nodes: ["n0"],
    latency: 0,
    latencyDist: "constant",
    rng: createRng(1),
    log: () => {},
  });
  const requests: Body[] = [];
  let lastSrc = "";
  net.register("n0", {
    deliver(src, body) {
      lastSrc = src;
      requests.push(body);
    },
  });
  return { net, requests, reply: (body) => net.send("n0", lastSrc, body) };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

Deno.test("ClientIds.take() counts c0, c1, … across connections", () => {
  const { net } = _setup();
  const ids = new ClientIds();
  const a = new ClientConnection(net, ids, "n0", { timeoutMs: 100 });
  const b = new ClientConnection(net, ids, "n0", { timeoutMs: 100 });
  assert.deepEqual([a.clientId, b.clientId, ids.count], ["c0", "c1", 2]);
  a.close();
  b.close();
  net.close();
});

Deno.test("ClientConnection.rpc() numbers msg_ids from 1 and discards mismatched replies", async () => {
  const { net, requests, reply } = _setup();
  const conn = new ClientConnection(net, new ClientIds(), "n0", { timeoutMs: 1000 });
  const first = conn.rpc({ type: "echo", echo: 1 });
  await tick();
  assert.deepEqual(requests, [{ type: "echo", echo: 1, msg_id: 1 }]);
  reply({ type: "echo_ok", echo: "stale", in_reply_to: 7 });
  reply({ type: "gossip" });
  reply({ type: "echo_ok", echo: 1, in_reply_to: 1 });
  assert.deepEqual(await first, { type: "echo_ok", echo: 1, in_reply_to: 1 });
  const second = conn.rpc({ type: "echo", echo: 2 });
  await tick();
  assert.equal(requests[1]?.msg_id, 2);
  reply({ type: "echo_ok", echo: 1, in_reply_to: 1 });
  reply({ type: "echo_ok", echo: 2, in_reply_to: 2 });
  assert.deepEqual(await second, { type: "echo_ok", echo: 2, in_reply_to: 2 });
  conn.close();
  net.close();
});

Deno.test("ClientConnection.rpc() rejects with RpcTimeoutError when no reply comes", async () => {
  const { net } = _setup();
  const conn = new ClientConnection(net, new ClientIds(), "n0", { timeoutMs: 1000 });
  await assert.rejects(conn.rpc({ type: "echo" }, { timeoutMs: 5 }), RpcTimeoutError);
  conn.close();
  net.close();
});

Deno.test("ClientConnection.rpc() rejects with RpcErrorReply on an error reply", async () => {
  const { net, reply } = _setup();
  const conn = new ClientConnection(net, new ClientIds(), "n0", { timeoutMs: 1000 });
  const pending = conn.rpc({ type: "cas" });
  await tick();
  reply({ type: "error", code: 22, text: "nope", in_reply_to: 1 });
  await assert.rejects(
    pending,
    (e) => e instanceof RpcErrorReply && e.code === 22 && e.text === "nope",
  );
  conn.close();
  net.close();
});

Deno.test("ClientConnection.rpc() refuses a second request in flight", async () => {
  const { net, reply } = _setup();
  const conn = new ClientConnection(net, new ClientIds(), "n0", { timeoutMs: 1000 });
  const first = conn.rpc({ type: "a" });
  await assert.rejects(conn.rpc({ type: "b" }), /already has a request in flight/);
  await tick();
  reply({ type: "a_ok", in_reply_to: 1 });
  await first;
  conn.close();
  net.close();
});

Deno.test("ClientConnection.close() unregisters the id so later replies are unroutable", async () => {
  const { net, reply } = _setup();
  const conn = new ClientConnection(net, new ClientIds(), "n0", { timeoutMs: 1000 });
  const pending = conn.rpc({ type: "a" });
  await tick();
  conn.close();
  await assert.rejects(pending, RpcTimeoutError);
  assert.equal(net.has("c0"), false);
  reply({ type: "a_ok", in_reply_to: 1 });
  assert.equal(net.rejected, 1);
  net.close();
});
