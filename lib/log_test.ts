import { equal } from "node:assert/strict";
import { formatLogArgs, MemoryLogger } from "./log.ts";

Deno.test("formatLogArgs() joins strings, inspects values and prints error stacks", () => {
  equal(formatLogArgs(["a", 1, { k: [1] }]), "a 1 { k: [ 1 ] }");
  const error = new Error("bad");
  equal(formatLogArgs(["failed:", error]), `failed: ${error.stack}`);
});

Deno.test("MemoryLogger.log() records one formatted line per call", () => {
  const logger = new MemoryLogger();
  logger.log("x", 2);
  equal(logger.lines.join("|"), "x 2");
});
