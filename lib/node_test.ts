import { deepEqual, equal as assertEquals, throws } from "node:assert/strict";
import { MemoryLogger } from "./log.ts";
import { MemoryTransport } from "./memory_transport.ts";
import { Node as NodeClass } from "./node.ts";
import { RPCError } from "./rpc_error.ts";
import { INIT, INIT_OK, request, startInitialised, startNode, stop } from "./_test_util.ts";
import type { Node } from "./node.ts";

const echo = (node: Node) =>
  node.handle("echo", (msg) => ({ type: "echo_ok", echo: msg.body.echo }));

Deno.test("Node init sets id and nodeIds and replies init_ok", async () => {
  const t = await startInitialised();
  assertEquals(t.node.id, "n1");
  deepEqual(t.node.nodeIds, ["n1", "n2", "n3"]);
  await stop(t);
});

Deno.test("Node.onInit() hook runs before init_ok, and requests meanwhile get error 11", async () => {
  let release!: () => void;
  const events: string[] = [];
  const t = startNode((node) => {
    echo(node);
    node.onInit(async () => {
      events.push(`hook sees ${node.id}`);
      await new Promise<void>((resolve) => release = resolve);
    });
  });
  t.transport.send(INIT);
  t.transport.send(request({ type: "echo", msg_id: 2, echo: "early" }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":11,"text":"not initialised","in_reply_to":2}}',
  );
  deepEqual(events, ["hook sees n1"]);
  release();
  assertEquals(await t.transport.next(), INIT_OK);
  await stop(t);
});

Deno.test("Node replies error 11 to requests before init and only logs other messages", async () => {
  const t = startNode(echo);
  t.transport.send(request({ type: "echo", echo: "no id" }));
  t.transport.send(request({ type: "echo", msg_id: 7, echo: "x" }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":11,"text":"not initialised","in_reply_to":7}}',
  );
  await stop(t);
  deepEqual(t.transport.lines.length, 1);
  deepEqual(t.logger.lines, [
    "message before init: echo from c1",
    "message before init: echo from c1",
  ]);
});

Deno.test("Node.handle() sends a returned body as the reply with in_reply_to", async () => {
  const t = await startInitialised(echo);
  t.transport.send(request({ type: "echo", msg_id: 2, echo: "hi" }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"hi","in_reply_to":2}}',
  );
  await stop(t);
});

Deno.test("Node reads lines split across chunks and CRLF endings", async () => {
  const t = await startInitialised(echo);
  const line = JSON.stringify(request({ type: "echo", msg_id: 2, echo: "split" }));
  t.transport.write(line.slice(0, 10));
  t.transport.write(line.slice(10, 30));
  t.transport.write(line.slice(30) + "\r");
  t.transport.write(
    "\n" + JSON.stringify(request({ type: "echo", msg_id: 3, echo: "crlf" })) + "\r\n",
  );
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"split","in_reply_to":2}}',
  );
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"crlf","in_reply_to":3}}',
  );
  await stop(t);
});

Deno.test("Node answers a 1 MiB line sent in 64 KiB chunks", async () => {
  const t = await startInitialised(echo);
  const payload = "x".repeat(1024 * 1024);
  const line = JSON.stringify(request({ type: "echo", msg_id: 2, echo: payload })) + "\n";
  const started = performance.now();
  for (let i = 0; i < line.length; i += 65536) t.transport.write(line.slice(i, i + 65536));
  const reply = await t.transport.next();
  const elapsed = performance.now() - started;
  assertEquals(
    reply,
    `{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"${payload}","in_reply_to":2}}`,
  );
  assertEquals(elapsed < 2000, true, `took ${elapsed} ms`);
  await stop(t);
});

Deno.test("Node logs and skips malformed lines, answers 12 to a readable request, then still answers", async () => {
  const t = await startInitialised(echo);
  t.transport.write("not json\n");
  t.transport.write('{"src":"c1","dest":"n1","body":{"msg_id":2}}\n');
  t.transport.write("y".repeat(500) + "\n");
  t.transport.send(request({ type: "echo", msg_id: 3, echo: "after" }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":12,"text":"malformed request: body.type must be a string, msg_id and in_reply_to integers","in_reply_to":2}}',
  );
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"after","in_reply_to":3}}',
  );
  await stop(t);
  assertEquals(t.logger.lines.length, 3);
  assertEquals(t.logger.lines[0]?.startsWith("malformed input line skipped ("), true);
  assertEquals(t.logger.lines[0]?.endsWith("): not json"), true);
  assertEquals(
    t.logger.lines[1],
    'malformed input line skipped (Line is not a message with string src, dest and body.type): {"src":"c1","dest":"n1","body":{"msg_id":2}}',
  );
  assertEquals(t.logger.lines[2]?.endsWith(`: ${"y".repeat(200)}…`), true);
});

Deno.test("Node replies error 10 to an unknown type with msg_id and only logs one without", async () => {
  const t = await startInitialised();
  t.transport.send(request({ type: "frobnicate" }));
  t.transport.send(request({ type: "frobnicate", msg_id: 4 }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":10,"text":"unsupported message type frobnicate","in_reply_to":4}}',
  );
  await stop(t);
  deepEqual(t.transport.lines.length, 2);
  deepEqual(t.logger.lines, ["no handler for frobnicate from c1"]);
});

Deno.test("Node replies error 13 when a handler throws, and keeps answering", async () => {
  const t = await startInitialised((node) => {
    echo(node);
    node.handle("boom", () => {
      throw new Error("kaboom");
    });
    node.handle("boom_async", async () => {
      await Promise.resolve();
      throw new TypeError("later");
    });
  });
  t.transport.send(request({ type: "boom", msg_id: 2 }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":13,"text":"kaboom","in_reply_to":2}}',
  );
  t.transport.send(request({ type: "boom_async", msg_id: 3 }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":13,"text":"later","in_reply_to":3}}',
  );
  t.transport.send(request({ type: "echo", msg_id: 4, echo: "alive" }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"alive","in_reply_to":4}}',
  );
  await stop(t);
  assertEquals(t.logger.lines[0]?.startsWith("handler for boom failed: Error: kaboom"), true);
});

Deno.test("Node passes an RPCError's code and text through to the error reply", async () => {
  const t = await startInitialised((node) =>
    node.handle("cas", () => {
      throw new RPCError(22, "current value 1 is not 2");
    })
  );
  t.transport.send(request({ type: "cas", msg_id: 9 }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":22,"text":"current value 1 is not 2","in_reply_to":9}}',
  );
  await stop(t);
  deepEqual(t.logger.lines, []);
});

Deno.test("Node runs handlers concurrently: a slow handler does not block a fast one", async () => {
  let release!: () => void;
  const t = await startInitialised((node) => {
    echo(node);
    node.handle("slow", async () => {
      await new Promise<void>((resolve) => release = resolve);
      return { type: "slow_ok" };
    });
  });
  t.transport.send(request({ type: "slow", msg_id: 2 }));
  t.transport.send(request({ type: "echo", msg_id: 3, echo: "fast" }));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"fast","in_reply_to":3}}',
  );
  release();
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"slow_ok","in_reply_to":2}}',
  );
  await stop(t);
});

Deno.test("Node sends no reply to a request without msg_id, and send() adds no msg_id", async () => {
  const t = await startInitialised((node) => {
    node.handle("gossip", (msg) => {
      node.send("n2", { type: "gossip", seen: msg.body.seen });
      return { type: "gossip_ok" };
    });
  });
  t.transport.send(request({ type: "gossip", seen: [1, 2] }, "n3"));
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"n2","body":{"type":"gossip","seen":[1,2]}}',
  );
  await stop(t);
  assertEquals(t.transport.lines.length, 2);
});

Deno.test("Node writes lines sent in one tick as whole lines in one write call", async () => {
  const t = await startInitialised((node) =>
    node.handle("fan", () => {
      for (const dest of ["n2", "n3"]) node.send(dest, { type: "ping" });
    })
  );
  const writesBefore = t.transport.writes;
  t.transport.send(request({ type: "fan" }));
  assertEquals(await t.transport.next(), '{"src":"n1","dest":"n2","body":{"type":"ping"}}');
  assertEquals(await t.transport.next(), '{"src":"n1","dest":"n3","body":{"type":"ping"}}');
  assertEquals(t.transport.writes - writesBefore, 1);
  await stop(t);
});

Deno.test("Node treats in_reply_to 0 as a reply (never by truthiness) and drops it", async () => {
  const t = await startInitialised();
  t.transport.send(request({ type: "read_ok", in_reply_to: 0 }, "n2"));
  await stop(t);
  deepEqual(t.transport.lines, [INIT_OK]);
  deepEqual(t.logger.lines, ["reply dropped: nothing awaits in_reply_to 0 from n2"]);
});

Deno.test("Node.run() resolves at end of input after in-flight handlers settle", async () => {
  let release!: () => void;
  const t = await startInitialised((node) =>
    node.handle("slow", async () => {
      await new Promise<void>((resolve) => release = resolve);
      return { type: "slow_ok" };
    })
  );
  t.transport.send(request({ type: "slow", msg_id: 2 }));
  await t.clock.advance(); // let the request be read
  t.transport.end();
  let finished = false;
  const done = t.done.then(() => finished = true);
  await t.clock.advance();
  assertEquals(finished, false);
  assertEquals(t.node.signal.aborted, true);
  release();
  await done;
  deepEqual(t.transport.lines, [
    INIT_OK,
    '{"src":"n1","dest":"c1","body":{"type":"slow_ok","in_reply_to":2}}',
  ]);
});

Deno.test("Node answers a repeated init and refuses one that changes its id, with error 12", async () => {
  const t = await startInitialised();
  t.transport.send(INIT);
  assertEquals(await t.transport.next(), INIT_OK);
  t.transport.send({ ...INIT, body: { ...INIT.body, msg_id: 5, node_id: "n2" } });
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c0","body":{"type":"error","code":12,"text":"already initialised as n1 of [n1, n2, n3]; a second init may not change the node\'s id or cluster","in_reply_to":5}}',
  );
  assertEquals(t.node.id, "n1");
  await stop(t);
});

Deno.test("Node.onInit() synchronous hooks finish before the next line is handled", async () => {
  const order: string[] = [];
  const t = startNode((node) => {
    node.onInit(() => {
      order.push("hook 1");
    });
    node.onInit(() => {
      order.push("hook 2");
    });
    node.handle("echo", (msg) => {
      order.push("echo");
      return { type: "echo_ok", echo: msg.body.echo };
    });
  });
  t.transport.write(
    JSON.stringify(INIT) + "\n" + JSON.stringify(request({ type: "echo", msg_id: 2, echo: 1 })) +
      "\n",
  );
  assertEquals(await t.transport.next(), INIT_OK);
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":1,"in_reply_to":2}}',
  );
  deepEqual(order, ["hook 1", "hook 2", "echo"]);
  await stop(t);
});

Deno.test("Node replies error 13 to init when an init hook throws", async () => {
  const t = startNode((node) =>
    node.onInit(async () => {
      await Promise.resolve();
      throw new Error("no state");
    })
  );
  t.transport.send(INIT);
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c0","body":{"type":"error","code":13,"text":"no state","in_reply_to":1}}',
  );
  await stop(t);
});

Deno.test("Node hands a reply nobody awaits to a handler registered for its type", async () => {
  const seen: unknown[] = [];
  const t = await startInitialised((node) =>
    node.handle("gossip_ok", (msg) => {
      seen.push(msg.body.in_reply_to);
    })
  );
  t.transport.send(request({ type: "gossip_ok", in_reply_to: 41 }, "n2"));
  await stop(t);
  deepEqual(seen, [41]);
  deepEqual(t.transport.lines, [INIT_OK]);
  deepEqual(t.logger.lines, []);
});

Deno.test("Node refuses a request holding an integer beyond 2^53 with error 12, never rounds it", async () => {
  let added = 0;
  const t = await startInitialised((node) =>
    node.handle("add", (msg) => {
      added += msg.body.delta as number;
      return { type: "add_ok" };
    })
  );
  t.transport.write(
    '{"src":"c1","dest":"n1","body":{"type":"add","msg_id":2,"delta":9007199254740993}}\n',
  );
  assertEquals(
    await t.transport.next(),
    '{"src":"n1","dest":"c1","body":{"type":"error","code":12,"text":"malformed request: An integer beyond 2^53 (near 9007199254740992) would not stay exact","in_reply_to":2}}',
  );
  assertEquals(added, 0);
  await stop(t);
});

Deno.test("Node.handle() refuses init and a second handler for one type", () => {
  const node = new NodeClass({ ...new MemoryTransport().streams, logger: new MemoryLogger() });
  node.handle("echo", () => undefined);
  throws(() => node.handle("echo", () => undefined), /handler for "echo" is already/);
  throws(() => node.handle("init", () => undefined), /handled by the runtime/);
});
