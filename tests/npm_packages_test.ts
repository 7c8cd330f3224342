/**
 * The two npm packages as a user gets them: `deno task pack` builds the tarballs, npm installs each
 * into an empty folder, and the result runs. `maelstrom-node` carries lib to Node (and to Bun when
 * Bun installs from the npm registry); `maelstrom-harness` judges Python nodes with its own Deno.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { pack, type PackResult } from "../scripts/pack.ts";
import { buildLibTests, libTestCommand } from "../scripts/lib_tests_node.ts";
import { run, runOptions } from "./_harness_run.ts";
import { initLine, runProgram } from "./_node_process.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BUN_VERSION = "1.4.5";

let _packed: Promise<PackResult> | undefined;
/** Packs once for the whole file. */
function packed(): Promise<PackResult> {
  return _packed ??= pack();
}

async function _exec(argv: string[], cwd: string) {
  const [program, ...args] = argv;
  const out = await new Deno.Command(program as string, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** An empty npm project with `tarball` installed from the file (its dependencies from npm). */
async function _install(tarball: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "npm_package_" });
  Deno.writeTextFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "user-project", private: true, type: "module" }),
  );
  const out = await _exec(["npm", "install", "--no-audit", "--no-fund", tarball], dir);
  equal(out.code, 0, out.stderr);
  return dir;
}

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
  const dir = await _install((await packed()).runtime);
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
    const out = await _exec([
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

/** Bun from the npm registry, installed once into `dist/.tools/bun`, or why not. */
async function _bun(): Promise<{ path: string } | { reason: string }> {
  const dir = join(ROOT, "dist/.tools/bun");
  const path = join(dir, "node_modules/.bin/bun");
  try {
    Deno.statSync(path);
  } catch {
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(join(dir, "package.json"), '{"private":true}');
    const out = await _exec(
      ["npm", "install", "--no-audit", "--no-fund", `bun@${BUN_VERSION}`],
      dir,
    );
    if (out.code !== 0) {
      return {
        reason: `npm install bun@${BUN_VERSION} failed: ${out.stderr.trim().split("\n").at(-1)}`,
      };
    }
  }
  const version = await _exec([path, "--version"], dir).catch((error) => ({
    code: -1,
    stdout: "",
    stderr: String(error),
  }));
  if (version.code !== 0) return { reason: `bun does not start: ${version.stderr.trim()}` };
  return { path };
}

const bun = await _bun();
if ("reason" in bun) console.log(`skipping the Bun run: ${bun.reason}`);

Deno.test({
  name: "maelstrom-node runs under Bun: exact wire lines, global errors logged, a valid echo run",
  ignore: "reason" in bun,
  async fn() {
    const dir = await _runtimeProject();
    try {
      await _checkRuntime("path" in bun ? bun.path : "", dir);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

let _libTests: Promise<string[]> | undefined;

/** Runs lib's own unit tests under `runtime`, compiled once, and checks every one passed. */
async function _checkLibTests(runtime: string): Promise<void> {
  const tests = await (_libTests ??= buildLibTests());
  const out = await _exec(libTestCommand(runtime, tests), ROOT);
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
  ignore: "reason" in bun,
  async fn() {
    await _checkLibTests("path" in bun ? bun.path : "");
  },
});

/** Runs the installed `maelstrom-harness` command in `dir`. */
function _harness(dir: string, args: string[]) {
  return _exec([join(dir, "node_modules/.bin/maelstrom-harness"), ...args], dir);
}

/** The one results.json under `dir/store/<workload>/`. */
function _results(dir: string, workload: string): Record<string, unknown> {
  const runs = [...Deno.readDirSync(join(dir, "store", workload))].filter((e) => e.isDirectory);
  equal(runs.length, 1);
  return JSON.parse(
    Deno.readTextFileSync(join(dir, "store", workload, runs[0]!.name, "results.json")),
  );
}

Deno.test("maelstrom-harness installs from its tarball and judges Python echo and broadcast nodes", async () => {
  const dir = await _install((await packed()).harness);
  const fixtures = join(ROOT, "tests/fixtures/python");
  try {
    const usage = await _harness(dir, ["test", "-w", "nope", "--bin", join(fixtures, "echo.py")]);
    equal(usage.code, 2, usage.stderr);
    ok(usage.stderr.includes("Usage:"), usage.stderr);

    const echo = await _harness(dir, [
      "test",
      "-w",
      "echo",
      "--bin",
      join(fixtures, "echo.py"),
      "--time-limit",
      "3",
      "--rate",
      "20",
    ]);
    equal(echo.code, 0, echo.stdout + echo.stderr);
    equal(_results(dir, "echo").valid, true);

    const broadcast = await _harness(dir, [
      "test",
      "-w",
      "broadcast",
      "--bin",
      join(fixtures, "broadcast.py"),
      "--node-count",
      "3",
      "--time-limit",
      "4",
      "--rate",
      "10",
    ]);
    equal(broadcast.code, 0, broadcast.stdout + broadcast.stderr);
    const results = _results(dir, "broadcast");
    equal(results.valid, true);
    for (const file of ["history.jsonl", "report.html"]) {
      ok(
        [...Deno.readDirSync(join(dir, "store/broadcast"))].some((run) => {
          try {
            return Deno.statSync(join(dir, "store/broadcast", run.name, file)).isFile;
          } catch {
            return false;
          }
        }),
        `${file} missing`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
