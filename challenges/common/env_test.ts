import assert from "node:assert/strict";
import { envChoice, envMs } from "./env.ts";

const env = (values: Record<string, string>) => (name: string) => values[name];

Deno.test("envChoice() takes a listed value, defaults when unset or empty, names a bad one", () => {
  const modes = ["a", "b"] as const;
  assert.equal(envChoice("MODE", modes, "a", env({ MODE: "b" })), "b");
  assert.equal(envChoice("MODE", modes, "a", env({})), "a");
  assert.equal(envChoice("MODE", modes, "a", env({ MODE: "" })), "a");
  assert.throws(() => envChoice("MODE", modes, "a", env({ MODE: "c" })), {
    name: "RangeError",
    message: "MODE=c is not one of a, b",
  });
});

Deno.test("envMs() takes a positive number and names the variable otherwise", () => {
  assert.equal(envMs("TICK_MS", 100, env({ TICK_MS: "50" })), 50);
  assert.equal(envMs("TICK_MS", 100, env({})), 100);
  for (const bad of ["abc", "0", "-5", "Infinity"]) {
    assert.throws(() => envMs("TICK_MS", 100, env({ TICK_MS: bad })), {
      name: "RangeError",
      message: `TICK_MS=${bad} is not a positive number of milliseconds`,
    });
  }
});

Deno.test("kafka.ts with KAFKA_TICK_MS=abc exits 2 naming the variable", async () => {
  const kafka = new URL("../kafka.ts", import.meta.url).pathname;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", kafka],
    env: { KAFKA_TICK_MS: "abc" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 2);
  assert.equal(
    new TextDecoder().decode(stderr),
    "configuration error: KAFKA_TICK_MS=abc is not a positive number of milliseconds\n",
  );
});
