import assert from "node:assert/strict";
import { MemoryLogger, MemoryTransport, VirtualClock } from "../mod.ts";
import { createBroadcastNode, modeFromEnv } from "./broadcast.ts";

Deno.test("modeFromEnv() defaults to balanced and rejects unknown modes", () => {
  assert.equal(modeFromEnv(undefined), "balanced");
  assert.equal(modeFromEnv(""), "balanced");
  assert.equal(modeFromEnv("latency"), "latency");
  assert.equal(modeFromEnv("efficient"), "efficient");
  assert.throws(() => modeFromEnv("fast"), RangeError);
});

Deno.test("createBroadcastNode() answers topology, broadcast and read, and gossips to the hub", async () => {
  const transport = new MemoryTransport();
  const node = createBroadcastNode({
    ...transport.streams,
    logger: new MemoryLogger(),
    clock: new VirtualClock(),
    mode: "balanced",
  });
  const done = node.run();
  const ids = ["n0", "n1"];
  transport.send({
    src: "c0",
    dest: "n1",
    body: { type: "init", msg_id: 1, node_id: "n1", node_ids: ids },
  });
  transport.send({ src: "c1", dest: "n1", body: { type: "topology", msg_id: 1, topology: {} } });
  transport.send({ src: "c1", dest: "n1", body: { type: "broadcast", msg_id: 2, message: 5 } });
  transport.send({
    src: "n0",
    dest: "n1",
    body: { type: "gossip", via: "down", items: [[0, 1, 9]], vv: [1, 1], echo: [0, 1] },
  });
  transport.send({ src: "c1", dest: "n1", body: { type: "read", msg_id: 3 } });
  const lines = [];
  for (let i = 0; i < 5; i++) lines.push(await transport.next());
  transport.end();
  await done;
  assert.deepEqual(lines, [
    '{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"topology_ok","in_reply_to":1}}',
    '{"src":"n1","dest":"n0","body":{"type":"gossip","via":"up","items":[[1,1,5]],"vv":[0,1],"echo":[0,0]}}',
    '{"src":"n1","dest":"c1","body":{"type":"broadcast_ok","in_reply_to":2}}',
    '{"src":"n1","dest":"c1","body":{"type":"read_ok","messages":[5,9],"in_reply_to":3}}',
  ]);
});
