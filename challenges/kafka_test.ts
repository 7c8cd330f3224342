import assert from "node:assert/strict";
import { MemoryLogger, MemoryTransport } from "../mod.ts";
import { createKafkaNode } from "./kafka.ts";

Deno.test("createKafkaNode() refuses malformed requests with error 12 and keeps serving", async () => {
  const transport = new MemoryTransport();
  const node = createKafkaNode({ ...transport.streams, logger: new MemoryLogger() });
  const done = node.run();
  transport.send({
    src: "c0",
    dest: "n0",
    body: { type: "init", msg_id: 1, node_id: "n0", node_ids: ["n0"] },
  });
  const bodies = [
    { type: "send", msg_id: 2, key: "k" },
    { type: "commit_offsets", msg_id: 3, offsets: { k: -1 } },
    { type: "commit_offsets", msg_id: 4, offsets: { k: 1e300 } },
    { type: "list_committed_offsets", msg_id: 5, keys: "k" },
    { type: "send", msg_id: 6, key: "k", msg: 7 },
  ];
  for (const body of bodies) transport.send({ src: "c1", dest: "n0", body });
  const replies = [];
  for (let i = 0; i < 6; i++) replies.push(JSON.parse(await transport.next()).body);
  transport.end();
  await done;
  assert.deepEqual(replies, [
    { type: "init_ok", in_reply_to: 1 },
    { type: "error", code: 12, text: "send needs a msg", in_reply_to: 2 },
    {
      type: "error",
      code: 12,
      text: 'offset of "k" must be a non-negative integer, got -1',
      in_reply_to: 3,
    },
    {
      type: "error",
      code: 12,
      text: 'offset of "k" must be a non-negative integer, got 1e+300',
      in_reply_to: 4,
    },
    { type: "error", code: 12, text: "keys must be an array of strings", in_reply_to: 5 },
    { type: "send_ok", offset: 0, in_reply_to: 6 },
  ]);
});
