import assert from "node:assert/strict";
import { MemoryLogger, MemoryTransport, VirtualClock } from "../mod.ts";
import { createBroadcastNode, modeFromEnv } from "./broadcast.ts";
import { MemoryFile } from "./common/durable_journal.ts";

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
    journal: null,
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
    '{"src":"n1","dest":"n0","body":{"type":"gossip","via":"up","items":[[1,1,5]],"vv":[0,1],"echo":[0,0],"inc":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"broadcast_ok","in_reply_to":2}}',
    '{"src":"n1","dest":"c1","body":{"type":"read_ok","messages":[5,9],"in_reply_to":3}}',
  ]);
});

Deno.test("createBroadcastNode() after a restart continues its names and refuses reads until back-filled", async () => {
  const journal = new MemoryFile();
  const init = { type: "init", msg_id: 1, node_id: "n1", node_ids: ["n0", "n1"] };
  const boot = async (requests: Record<string, unknown>[]) => {
    const transport = new MemoryTransport();
    const node = createBroadcastNode({
      ...transport.streams,
      logger: new MemoryLogger(),
      clock: new VirtualClock(),
      mode: "balanced",
      journal,
    });
    const done = node.run();
    transport.send({ src: "c0", dest: "n1", body: init });
    for (const body of requests) transport.send({ src: "n0", dest: "n1", body });
    const lines = [];
    for (let i = 0; i < requests.length + 1; i++) lines.push(await transport.next());
    transport.end();
    await done;
    return lines.slice(1);
  };
  await boot([{ type: "broadcast", msg_id: 2, message: 5 }]);
  const gossip = { type: "gossip", via: "down", items: [[0, 1, 9]], vv: [1, 1], inc: 1 };
  assert.deepEqual(
    await boot([
      { type: "read", msg_id: 2 },
      { type: "broadcast", msg_id: 3, message: 6 },
      gossip,
      { type: "read", msg_id: 4 },
    ]),
    [
      '{"src":"n1","dest":"n0","body":{"type":"error","code":11,"text":"recovering after a restart","in_reply_to":2}}',
      '{"src":"n1","dest":"n0","body":{"type":"gossip","via":"up","items":[[1,2,6]],"vv":[0,2],"echo":[0,0],"inc":2}}',
      '{"src":"n1","dest":"n0","body":{"type":"broadcast_ok","in_reply_to":3}}',
      '{"src":"n1","dest":"n0","body":{"type":"read_ok","messages":[5,6,9],"in_reply_to":4}}',
    ],
  );
  assert.equal(journal.text, '"start"\n5\n"start"\n6\n');
});
