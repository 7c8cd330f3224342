import assert from "node:assert/strict";
import { parseCli, parseConcurrency, UsageError } from "./cli.ts";
import { validateOptions } from "./options.ts";

const seed = () => 1234;

Deno.test("parseConcurrency() reads integers and Kn as K × node count", () => {
  assert.equal(parseConcurrency("2n", 5), 10);
  assert.equal(parseConcurrency("1n", 3), 3);
  assert.equal(parseConcurrency("4", 3), 4);
  assert.throws(() => parseConcurrency("0", 3), UsageError);
  assert.throws(
    () => parseConcurrency("2x", 3),
    /--concurrency expects an integer or Kn, got "2x"/,
  );
});

Deno.test("parseCli() applies Maelstrom's defaults, nodes n1…n5 without --node-count", () => {
  const o = parseCli(["test", "-w", "echo", "--bin", "x.ts"], seed);
  assert.deepEqual(o.nodes, ["n1", "n2", "n3", "n4", "n5"]);
  assert.deepEqual(
    [o.timeLimit, o.rate, o.concurrency, o.latency, o.latencyDist, o.nemesisInterval, o.topology],
    [60, 5, 5, 0, "constant", 10, "grid"],
  );
  assert.deepEqual([o.maxTxnLength, o.maxWritesPerKey, o.keyCount, o.availability], [
    4,
    16,
    undefined,
    undefined,
  ]);
  assert.deepEqual(o.consistencyModels, ["strict-serializable"]);
  assert.deepEqual([o.seed, o.binArgs, o.logStderr], [1234, [], false]);
});

Deno.test("parseCli() reads flags, --concurrency 2n after --node-count, and args after --", () => {
  const o = parseCli([
    "test",
    "-w",
    "broadcast",
    "--bin",
    "b.ts",
    "--node-count",
    "3",
    "--concurrency",
    "2n",
    "--nemesis",
    "partition",
    "--availability",
    "total",
    "--consistency-models",
    "read-committed,serializable",
    "--seed",
    "9",
    "--",
    "--fast",
    "x",
  ], seed);
  assert.deepEqual(o.nodes, ["n0", "n1", "n2"]);
  assert.deepEqual(
    [o.concurrency, o.nemesis, o.availability, o.consistencyModels, o.seed, o.binArgs],
    [6, ["partition"], "total", ["read-committed", "serializable"], 9, ["--fast", "x"]],
  );
});

Deno.test("parseCli() accepts the kill nemesis alone and with partition", () => {
  assert.deepEqual(parseCli(["test", "--bin", "x", "--nemesis", "kill"], seed).nemesis, ["kill"]);
  assert.deepEqual(
    parseCli(["test", "--bin", "x", "--nemesis", "partition,kill"], seed).nemesis,
    ["partition", "kill"],
  );
});

Deno.test("parseCli() sets finalReads only with --final-reads (unset by default)", () => {
  const plain = parseCli(["test", "-w", "txn-rw-register", "--bin", "x"], seed);
  assert.equal("finalReads" in plain, false);
  const o = parseCli(["test", "-w", "txn-rw-register", "--bin", "x", "--final-reads"], seed);
  assert.equal(o.finalReads, true);
  assert.throws(
    () => validateOptions({ ...o, workload: "broadcast" }),
    /--final-reads applies to -w txn-rw-register only/,
  );
});

Deno.test("parseCli() rejects unknown flags and bad numbers; validateOptions() unknown names", () => {
  assert.throws(() => parseCli(["test", "--bin", "x", "--bogus"], seed), UsageError);
  assert.throws(
    () => parseCli(["test", "--bin", "x", "--rate", "fast"], seed),
    /--rate expects a number, got "fast"/,
  );
  const bad = (...flags: string[]) => () =>
    validateOptions(parseCli(["test", "--bin", "x", "-w", "echo", ...flags], seed));
  assert.throws(
    bad("--nemesis", "partition,clock"),
    /--nemesis has no fault "clock" \(known: partition, kill, pause\)/,
  );
  assert.throws(
    bad("--latency-dist", "normal"),
    /--latency-dist must be constant, uniform or exponential/,
  );
  assert.throws(bad("--availability", "2"), /--availability must be total or in \[0, 1\]/);
  assert.throws(() => parseCli(["test", "-w", "echo"], seed), /--bin is required/);
  assert.throws(() => parseCli(["run", "--bin", "x"], seed), /Expected the "test" command/);
});

Deno.test("parseCli() takes a negative number as a value, so validation can name the flag", () => {
  const options = parseCli(["test", "--bin", "x", "-w", "echo", "--rate", "-5"], () => 1);
  assert.equal(options.rate, -5);
  assert.equal(parseCli(["test", "--bin", "x", "--latency", "-0.5"], () => 1).latency, -0.5);
});

Deno.test("cli.ts exits 2 with one error line and the usage on a bad flag", async () => {
  const cli = new URL("./cli.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "test", "--bin", "x", "--bogus"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 2);
  assert.match(stderr, /^error: Unknown option '--bogus'/);
  assert.match(stderr, /\nUsage: deno task harness test -w WORKLOAD --bin PATH/);
  assert.equal(out.stdout.length, 0);
});

Deno.test("parseCli() takes --nodes (which --node-count overrides), the net logs and --test-count", () => {
  const named = parseCli(["test", "--bin", "x", "--nodes", "a,b,c"], seed);
  assert.deepEqual(named.nodes, ["a", "b", "c"]);
  assert.equal(named.concurrency, 3);
  const counted = parseCli(["test", "--bin", "x", "--nodes", "a,b", "--node-count", "4"], seed);
  assert.deepEqual(counted.nodes, ["n0", "n1", "n2", "n3"]);
  const logged = parseCli(
    ["test", "--bin", "x", "--log-net-send", "--log-net-recv", "--test-count", "3"],
    seed,
  );
  assert.deepEqual([logged.logNetSend, logged.logNetRecv, logged.testCount], [true, true, 3]);
  assert.equal(parseCli(["test", "--bin", "x"], seed).testCount, 1);
  assert.throws(
    () => parseCli(["test", "--bin", "x", "--nodes", ","], seed),
    /--nodes names no node/,
  );
});

Deno.test("cli.ts --test-count runs the test again with the next seeds; --log-net-send prints sends", async () => {
  const cli = new URL("./cli.ts", import.meta.url).pathname;
  const echo = new URL("../challenges/echo.ts", import.meta.url).pathname;
  const store = await Deno.makeTempDir({ prefix: "cli-count-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        cli,
        "test",
        "-w",
        "echo",
        "--bin",
        echo,
        "--nodes",
        "solo",
        "--time-limit",
        "1",
        "--test-count",
        "2",
        "--seed",
        "7",
        "--log-net-send",
        "--store",
        store,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.match(stderr, /test 1 of 2, seed: 7/);
    assert.match(stderr, /test 2 of 2, seed: 8/);
    assert.match(stderr, /all 2 tests valid/);
    assert.match(stderr, /\{"type":"send",.*"dest":"solo".*"type":"echo"/);
    assert.doesNotMatch(stderr, /\{"type":"recv"/);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
