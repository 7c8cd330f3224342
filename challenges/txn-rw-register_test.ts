import { deepEqual, equal } from "node:assert/strict";
import { MemoryLogger, MemoryTransport } from "../mod.ts";
import { createTxnRwRegisterNode } from "./txn-rw-register.ts";

Deno.test("createTxnRwRegisterNode() answers a txn with its reads filled in", async () => {
  const transport = new MemoryTransport();
  const node = createTxnRwRegisterNode({ ...transport.streams, logger: new MemoryLogger() });
  const done = node.run();
  transport.send({
    src: "c0",
    dest: "n0",
    body: { type: "init", msg_id: 1, node_id: "n0", node_ids: ["n0"] },
  });
  equal(
    await transport.next(),
    '{"src":"n0","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}',
  );
  transport.send({
    src: "c1",
    dest: "n0",
    body: { type: "txn", msg_id: 1, txn: [["w", 1, 10], ["r", 1, null], ["r", 2, null]] },
  });
  const reply = JSON.parse(await transport.next());
  deepEqual(reply.body, {
    type: "txn_ok",
    txn: [["w", 1, 10], ["r", 1, 10], ["r", 2, null]],
    in_reply_to: 1,
  });
  transport.end();
  await done;
});
