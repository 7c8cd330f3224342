import { equal, match } from "node:assert/strict";
import { MemoryLogger, MemoryTransport } from "../mod.ts";
import { createUniqueIdsNode, newBootId } from "./unique-ids.ts";

Deno.test("createUniqueIdsNode() answers generate with node id, boot id and a counter", async () => {
  const transport = new MemoryTransport();
  const node = createUniqueIdsNode({
    ...transport.streams,
    logger: new MemoryLogger(),
    bootId: "boot",
  });
  const done = node.run();
  transport.send({
    src: "c0",
    dest: "n2",
    body: { type: "init", msg_id: 1, node_id: "n2", node_ids: ["n2"] },
  });
  for (let i = 1; i <= 37; i++) {
    transport.send({ src: "c1", dest: "n2", body: { type: "generate", msg_id: i } });
  }
  equal(
    await transport.next(),
    '{"src":"n2","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}',
  );
  equal(
    await transport.next(),
    '{"src":"n2","dest":"c1","body":{"type":"generate_ok","id":"n2.boot.0","in_reply_to":1}}',
  );
  transport.end();
  await done;
  equal(
    transport.lines.at(-1),
    '{"src":"n2","dest":"c1","body":{"type":"generate_ok","id":"n2.boot.10","in_reply_to":37}}',
  );
});

Deno.test("newBootId() is 96 random bits, different on each call", () => {
  const a = newBootId();
  const b = newBootId();
  match(a, /^[0-9a-z]{20}$/);
  equal(a === b, false);
});

Deno.test("createUniqueIdsNode() draws its boot id from the node's random source", async () => {
  const ids: string[] = [];
  for (let run = 0; run < 2; run++) {
    const transport = new MemoryTransport();
    const node = createUniqueIdsNode({ ...transport.streams, random: () => 0.5 });
    const done = node.run();
    transport.send({
      src: "c0",
      dest: "n1",
      body: { type: "init", msg_id: 1, node_id: "n1", node_ids: ["n1"] },
    });
    transport.send({ src: "c1", dest: "n1", body: { type: "generate", msg_id: 1 } });
    await transport.next();
    ids.push(JSON.parse(await transport.next()).body.id);
    transport.end();
    await done;
  }
  equal(ids[0], `n1.${newBootId(() => 0.5)}.0`);
  equal(ids[1], ids[0]);
});
