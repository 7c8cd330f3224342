import assert from "node:assert/strict";
import type { Body } from "../lib/message.ts";
import { commandFor } from "./node_command.ts";
import { NodeProcess } from "./node_process.ts";
import { envelopeProblem, withoutAnsi } from "./node_output.ts";

const FIXTURE = new URL("../tests/fixtures/engine/node.ts", import.meta.url).pathname;

function _init(node: NodeProcess): void {
  const body = { type: "init", msg_id: 1, node_id: node.id, node_ids: [node.id] };
  node.deliver("c0", body, 0, JSON.stringify(body));
}

Deno.test("envelopeProblem() accepts exactly src, dest, body and an integer id", () => {
  assert.equal(envelopeProblem({ src: "n0", dest: "c1", body: { type: "a" } }), undefined);
  assert.equal(envelopeProblem({ id: 3, src: "n0", dest: "c1", body: { type: "a" } }), undefined);
  assert.equal(
    envelopeProblem({ src: "n0", dest: "c1", body: { type: "a" }, x: 1 }),
    'unexpected key "x"',
  );
  assert.equal(
    envelopeProblem({ id: 1.5, src: "n0", dest: "c1", body: { type: "a" } }),
    "id is not an integer",
  );
  assert.equal(
    envelopeProblem({ src: "n0", dest: "c1", body: {} }),
    "body is not an object with a string type",
  );
  assert.equal(envelopeProblem([1]), "not an object");
});

Deno.test("commandFor() runs a non-executable .ts file with Deno", async () => {
  assert.deepEqual(await commandFor(FIXTURE, ["ok"]), [
    Deno.execPath(),
    "run",
    "-A",
    FIXTURE,
    "ok",
  ]);
});

Deno.test("NodeProcess reports a malformed stdout line with the node id and the line", async () => {
  const messages: [string, string, Body][] = [];
  const malformed: [string, string, string][] = [];
  const node = await NodeProcess.start({
    id: "n7",
    bin: FIXTURE,
    args: ["malformed"],
    onMessage: (src, dest, body) => {
      messages.push([src, dest, body]);
    },
    onMalformed: (id, line, reason) => malformed.push([id, line, reason]),
  });
  _init(node);
  for (let i = 0; i < 200 && messages.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
  await node.close();
  assert.deepEqual(messages, [
    ["n7", "c0", { type: "init_ok", in_reply_to: 1 }],
    ["n7", "c0", { type: "after" }],
  ]);
  assert.deepEqual(malformed, [
    ["n7", "this is not json", "not JSON"],
    ["n7", '{"src":"n7","dest":"c0","body":{"type":"x"},"extra":1}', 'unexpected key "extra"'],
  ]);
  assert.equal(node.malformedCount, 2);
});

Deno.test("NodeProcess notices an exit before teardown and keeps stderr in its log", async () => {
  const logDir = await Deno.makeTempDir();
  const exits: [string, number][] = [];
  const node = await NodeProcess.start({
    id: "n1",
    bin: FIXTURE,
    args: ["exit"],
    logDir,
    onMessage: () => {},
    onExit: (id, status) => exits.push([id, status.code]),
  });
  _init(node);
  for (let i = 0; i < 200 && exits.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  await node.close();
  assert.deepEqual(exits, [["n1", 3]]);
  assert.equal(node.exitedEarly, true);
  assert.deepEqual(node.stderrTail(), ["fixture: exiting on purpose"]);
  assert.equal(await Deno.readTextFile(`${logDir}/n1.log`), "fixture: exiting on purpose\n");
  await Deno.remove(logDir, { recursive: true });
});

Deno.test("NodeProcess.kill() stops a live node without reporting an early exit", async () => {
  let exits = 0;
  const node = await NodeProcess.start({
    id: "n0",
    bin: FIXTURE,
    args: ["silent"],
    onMessage: () => {},
    onExit: () => exits++,
  });
  _init(node);
  const status = await node.kill();
  await node.close();
  assert.equal(status.success, true);
  assert.equal(exits, 0);
  assert.equal(node.exitedEarly, false);
});

Deno.test("NodeProcess in compat mode reads nothing more after a malformed line", async () => {
  const messages: string[] = [];
  let malformed = 0;
  const node = await NodeProcess.start({
    id: "n7",
    bin: FIXTURE,
    args: ["malformed"],
    compat: true,
    onMessage: (_src, _dest, body) => {
      messages.push(body.type);
    },
    onMalformed: () => malformed++,
  });
  _init(node);
  for (let i = 0; i < 200 && !node.silenced; i++) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 100));
  await node.close();
  assert.deepEqual([messages, malformed, node.silenced], [["init_ok"], 1, true]);
});

Deno.test("NodeProcess.crash() SIGKILLs without an early exit; restart() boots it again", async () => {
  const logDir = await Deno.makeTempDir();
  let exits = 0;
  const replies: string[] = [];
  const node = await NodeProcess.start({
    id: "n2",
    bin: FIXTURE,
    args: ["boot"],
    logDir,
    onMessage: (_src, _dest, body) => {
      replies.push(body.type);
    },
    onExit: () => exits++,
  });
  const waitFor = async (count: number) => {
    for (let i = 0; i < 400 && replies.length < count; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  _init(node);
  await waitFor(1);
  const status = await node.crash();
  assert.deepEqual([status.signal, node.alive, node.exitedEarly, exits], [
    "SIGKILL",
    false,
    false,
    0,
  ]);
  // A dead node's deliveries are lost silently.
  _init(node);
  await node.restart();
  assert.deepEqual([node.alive, node.boots], [true, 2]);
  _init(node);
  await waitFor(2);
  await node.close();
  assert.deepEqual([replies, exits, node.exitedEarly], [["init_ok", "init_ok"], 0, false]);
  const log = (await Deno.readTextFile(`${logDir}/n2.log`)).trim().split("\n");
  assert.equal(log.length, 4);
  assert.match(log[0] ?? "", /^fixture: init n2 boot [0-9a-f]{8}$/);
  assert.deepEqual(log.slice(1, 3), [
    "[harness] n2 killed (SIGKILL) by the kill nemesis",
    "[harness] n2 restarted (boot 2)",
  ]);
  assert.match(log[3] ?? "", /^fixture: init n2 boot [0-9a-f]{8}$/);
  assert.notEqual(log[0], log[3]);
  await Deno.remove(logDir, { recursive: true });
});

Deno.test("NodeProcess passes its env to the node, on top of the inherited environment", async () => {
  const dir = await Deno.makeTempDir({ prefix: "node-env-" });
  const script = `${dir}/env_node.ts`;
  // Answers init with the two variables it sees.
  await Deno.writeTextFile(
    script,
    `const reader = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
let text = "";
while (!text.includes("\\n")) text += (await reader.read()).value ?? "";
const line = text.split("\\n")[0];
const msg = JSON.parse(line);
const body = { type: "init_ok", in_reply_to: msg.body.msg_id, mode: Deno.env.get("GLOMERS_MODE"), path: Deno.env.has("PATH") };
console.log(JSON.stringify({ src: msg.dest, dest: msg.src, body }));\n`,
  );
  const messages: Body[] = [];
  const node = await NodeProcess.start({
    id: "n0",
    bin: script,
    args: [],
    env: { GLOMERS_MODE: "efficient" },
    onMessage: (_src, _dest, body) => {
      messages.push(body);
    },
  });
  try {
    _init(node);
    for (let i = 0; i < 200 && messages.length < 1; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.deepEqual(messages, [{
      type: "init_ok",
      in_reply_to: 1,
      mode: "efficient",
      path: true,
    }]);
  } finally {
    await node.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withoutAnsi() strips colours and cursor moves, and nothing else", () => {
  assert.equal(
    withoutAnsi("\x1b[0m\x1b[1m\x1b[31merror\x1b[0m: Uncaught \x1b[2K[x] 100%"),
    "error: Uncaught [x] 100%",
  );
  assert.equal(withoutAnsi("plain [1m text"), "plain [1m text");
});
