import { equal, throws } from "node:assert/strict";
import { UsageError } from "../cli.ts";
import { findFactory, moduleUrl, parseSimCli, splitSimArgs } from "./cli.ts";
import { replayCommand } from "./replay.ts";

Deno.test("splitSimArgs() puts --node in the harness's --bin slot and keeps --factory", () => {
  const args = splitSimArgs(["test", "-w", "echo", "--node=a.ts", "--factory", "f", "--rate", "5"]);
  equal(args.node, "a.ts");
  equal(args.factory, "f");
  equal(args.harnessArgv.join(" "), "test -w echo --rate 5 --bin a.ts");
  throws(() => splitSimArgs(["test", "-w", "echo"]), UsageError);
  throws(() => splitSimArgs(["test", "--node", "a.ts", "--bin", "b"]), UsageError);
});

Deno.test("findFactory() takes the one create…Node export, or the one --factory names", () => {
  const f = () => undefined;
  equal(findFactory({ createEchoNode: f, other: 1 }), f);
  equal(findFactory({ createANode: f, createBNode: () => 0 }, "createANode"), f);
  throws(() => findFactory({ createANode: f, createBNode: f }), UsageError);
  throws(() => findFactory({}), UsageError);
  throws(() => findFactory({ x: 1 }, "x"), UsageError);
});

Deno.test("moduleUrl() resolves paths and keeps file:// URLs", () => {
  equal(moduleUrl("file:///a/b.ts"), "file:///a/b.ts");
  equal(moduleUrl("/a/b.ts"), "file:///a/b.ts");
  equal(moduleUrl("b.ts").startsWith("file:///"), true);
});

Deno.test("replayCommand() pins the seed", () => {
  equal(
    replayCommand(["test", "-w", "echo", "--seed", "3", "--node", "a b.ts"], 7),
    "deno task sim test -w echo --node 'a b.ts' --seed 7",
  );
});

Deno.test("parseSimCli() loads a challenge's factory and runs it on the simulated engine", async () => {
  const options = await parseSimCli(
    ["test", "-w", "echo", "--node", "challenges/echo.ts", "--seed", "4"],
    () => 1,
  );
  equal(options.bin, "challenges/echo.ts");
  equal(options.seed, 4);
  equal(typeof options.engine, "function");
  equal(options.replay, "deno task sim test -w echo --node challenges/echo.ts --seed 4");
});
