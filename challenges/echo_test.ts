import { equal } from "node:assert/strict";
import { MemoryLogger, MemoryTransport } from "../mod.ts";
import { createEchoNode } from "./echo.ts";

Deno.test("createEchoNode() echoes the echo field back in echo_ok", async () => {
  const transport = new MemoryTransport();
  const node = createEchoNode({ ...transport.streams, logger: new MemoryLogger() });
  const done = node.run();
  transport.send({
    src: "c0",
    dest: "n0",
    body: { type: "init", msg_id: 1, node_id: "n0", node_ids: ["n0"] },
  });
  transport.send({
    src: "c1",
    dest: "n0",
    body: { type: "echo", msg_id: 1, echo: [1, { a: "b" }] },
  });
  equal(
    await transport.next(),
    '{"src":"n0","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}',
  );
  equal(
    await transport.next(),
    '{"src":"n0","dest":"c1","body":{"type":"echo_ok","echo":[1,{"a":"b"}],"in_reply_to":1}}',
  );
  transport.end();
  await done;
});
