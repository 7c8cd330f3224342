/**
 * `deno task test:node`: runs lib's own unit tests under Node (`node --test`), or under Bun with
 * `--runtime PATH/TO/bun` (`bun test`, which runs `node:test` tests too). `tsc` compiles them as
 * it compiles the npm package, with one change: `Deno.test(name, fn)` becomes `node:test`'s
 * `test(name, fn)`.
 *
 * @module
 */

import { basename, join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { compileLib, DIST, sources } from "./npm_build.ts";

/** Rewrites a Deno test file into a `node:test` one; other files are left as they are. */
export function toNodeTest(path: string, text: string): string {
  if (!path.endsWith("_test.ts")) return text;
  return `import { test as _nodeTest } from "node:test";\n` +
    text.replaceAll("Deno.test(", "_nodeTest(");
}

/** Compiles lib with its tests for Node; returns the test files' paths. */
export async function buildLibTests(): Promise<string[]> {
  const files = sources("lib", true);
  const out = await compileLib(join(DIST, "build", "lib-tests"), {
    files,
    noCheck: true,
    transform: toNodeTest,
  });
  return files.filter((file) => file.endsWith("_test.ts"))
    .map((file) => join(out, file.replace(/^lib\//, "").replace(/\.ts$/, ".js")));
}

/** The command line that runs compiled `tests` under `runtime` (`node`, or Bun's binary). */
export function libTestCommand(runtime: string, tests: readonly string[]): string[] {
  return basename(runtime) === "bun" ? [runtime, "test", ...tests] : [runtime, "--test", ...tests];
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { runtime: { type: "string" } } });
  const [program, ...args] = libTestCommand(values.runtime ?? "node", await buildLibTests());
  const { code } = await new Deno.Command(program as string, {
    args,
    stdout: "inherit",
    stderr: "inherit",
  })
    .output();
  process.exitCode = code;
}
