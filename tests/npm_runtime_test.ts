/**
 * The `maelstrom-node` npm package as a user gets it: packed, installed by npm into an empty
 * folder, and run under Node, and under Bun when Bun installs from the npm registry (otherwise
 * those tests are ignored, with the reason printed). lib's own unit tests run on both too.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { buildLibTests, libTestCommand } from "../scripts/lib_tests_node.ts";
import { packRuntime } from "../scripts/pack.ts";
import { run, runOptions } from "./_harness_run.ts";
import { initLine, runProgram } from "./_node_process.ts";
import { exec, findBun, installTarball, ROOT } from "./_npm.ts";

const bun = await findBun();
if ("reason" in bun) console.log(`ignoring the Bun tests: ${bun.reason}`);
const BUN = "path" in bun ? bun.path : "";

let _tarball: Promise<string> | undefined;

const ECHO_NODE = `import { Node } from "maelstrom-node";
const node = new Node();
node.handle("echo", (msg) => ({ type: "echo_ok", echo: msg.body.echo }));
await node.run();
`;

const CARELESS_NODE = `import { Node } from "maelstrom-node";
const node = new Node();
node.handle("careless", () => {
  void node.rpc("n2", { type: "never_answered" });
  setTimeout(() => { throw new Error("thrown in a timer"); }, 0);
  return { type: "careless_ok" };
});
await node.run();
`;

const TYPED_NODE = `import { ErrorCode, KV, Node, RPCError } from "maelstrom-node";
const node = new Node();
const kv = new KV(node, "seq-kv");
node.handle("read", async () => {
  const value = await kv.read<number>("counter", { timeoutMs: 500 }).catch((error: unknown) => {
    if (error instanceof RPCError && error.code === ErrorCode.KeyDoesNotExist) return 0;
    throw error;
  });
  return { type: "read_ok", value };
});
// @ts-expect-error: timeoutMs is a number
void kv.read("counter", { timeoutMs: "500" });
await node.run();
`;

/** The echo and careless nodes in a project with the runtime installed, and an executable echo. */
async function _runtimeProject(): Promise<string> {
  const dir = await installTarball(await (_tarball ??= packRuntime()));
  Deno.writeTextFileSync(join(dir, "echo.mjs"), ECHO_NODE);
  Deno.writeTextFileSync(join(dir, "careless.mjs"), CARELESS_NODE);
  return dir;
}

/** A `--bin` for the harness: a shell script running `file` on `runtime`. */
function _wrapper(dir: string, runtime: string, file: string): string {
  const bin = join(dir, `${file}.sh`);
  Deno.writeTextFileSync(bin, `#!/bin/sh\nexec "${runtime}" "${join(dir, file)}" "$@"\n`);
  Deno.chmodSync(bin, 0o755);
  return bin;
}

/** The checks every runtime passes: exact wire lines, global errors logged, a valid harness run. */
async function _checkRuntime(runtime: string, dir: string): Promise<void> {
  const echo = await runProgram(
    [runtime, join(dir, "echo.mjs")],
    [
      initLine("n1"),
      '{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":1,"echo":"hello"}}',
      "this is not json",
      '{"src":"c1","dest":"n1","body":{"type":"nope","msg_id":2}}',
    ].join("\n") + "\n",
  );
  equal(echo.code, 0, echo.stderr);
  deepEqual(echo.lines, [
    '{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"hello","in_reply_to":1}}',
    '{"src":"n1","dest":"c1","body":{"type":"error","code":10,"text":"unsupported message type nope","in_reply_to":2}}',
  ]);
  ok(echo.stderr.includes("this is not json"), echo.stderr);

  const careless = await runProgram(
    [runtime, join(dir, "careless.mjs")],
    [
      initLine("n1", ["n1", "n2"]),
      '{"src":"c1","dest":"n1","body":{"type":"careless","msg_id":1}}',
    ].join("\n") + "\n",
  );
  equal(careless.code, 0, careless.stderr);
  ok(careless.stderr.includes("unhandled rejection: RPCError: node shut down"), careless.stderr);
  ok(careless.stderr.includes("uncaught error: Error: thrown in a timer"), careless.stderr);

  const store = join(dir, "store");
  const outcome = await run(
    runOptions("echo", _wrapper(dir, runtime, "echo.mjs"), store, { timeLimit: 3, rate: 20 }),
  );
  equal(outcome.exitCode, 0);
  equal(outcome.results.valid, true);
}

Deno.test("maelstrom-node installs from its tarball with no dependencies, and its types check", async () => {
  const dir = await _runtimeProject();
  try {
    const pkg = JSON.parse(
      Deno.readTextFileSync(join(dir, "node_modules/maelstrom-node/package.json")),
    );
    equal(pkg.dependencies, undefined);
    deepEqual(
      Object.keys(JSON.parse(Deno.readTextFileSync(join(dir, "package-lock.json"))).packages),
      ["", "node_modules/maelstrom-node"],
    );
    // A TypeScript user's node type-checks against the shipped .d.ts files, which are not `any`.
    Deno.writeTextFileSync(join(dir, "typed.ts"), TYPED_NODE);
    const tsc = join(ROOT, "dist/.tools/node_modules/typescript/bin/tsc");
    const out = await exec([
      "node",
      tsc,
      "--noEmit",
      "--strict",
      "--module",
      "NodeNext",
      "--target",
      "ES2022",
      "--lib",
      "ES2024,DOM",
      "--types",
      "node",
      "--typeRoots",
      join(ROOT, "dist/.tools/node_modules/@types"),
      "typed.ts",
    ], dir);
    equal(out.code, 0, out.stdout + out.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("maelstrom-node runs under Node: exact wire lines, global errors logged, a valid echo run", async () => {
  const dir = await _runtimeProject();
  try {
    await _checkRuntime("node", dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "maelstrom-node runs under Bun: exact wire lines, global errors logged, a valid echo run",
  ignore: BUN === "",
  async fn() {
    const dir = await _runtimeProject();
    try {
      await _checkRuntime(BUN, dir);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

let _libTests: Promise<string[]> | undefined;

/** Runs lib's own unit tests under `runtime`, compiled once, and checks every one passed. */
async function _checkLibTests(runtime: string): Promise<void> {
  const tests = await (_libTests ??= buildLibTests());
  const out = await exec(libTestCommand(runtime, tests), ROOT);
  const output = out.stdout + out.stderr;
  equal(out.code, 0, output);
  let expected = 0;
  for (const file of Deno.readDirSync(join(ROOT, "lib"))) {
    if (!file.name.endsWith("_test.ts")) continue;
    expected += Deno.readTextFileSync(join(ROOT, "lib", file.name)).split("Deno.test(").length - 1;
  }
  // node --test prints "# pass 58", bun test " 58 pass".
  ok(new RegExp(`(# pass ${expected}\\b)|(\\b${expected} pass\\b)`).test(output), output);
  ok(/# fail 0\b|\b0 fail\b/.test(output), output);
}

Deno.test("lib's unit tests pass under Node", async () => {
  await _checkLibTests("node");
});

Deno.test({
  name: "lib's unit tests pass under Bun",
  ignore: BUN === "",
  async fn() {
    await _checkLibTests(BUN);
  },
});
