#!/usr/bin/env node
// The `maelstrom-harness` command: runs the harness's TypeScript sources (../harness/cli.ts) with
// the Deno binary of the `deno` npm package, so a user needs nothing but Node. Arguments, stdio
// and the exit code pass straight through; the store is written under the working directory.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../harness/cli.ts", import.meta.url));

/** The argv prefix that starts Deno: its binary, or the package's own launcher when absent. */
function denoCommand() {
  const pkg = dirname(createRequire(import.meta.url).resolve("deno/package.json"));
  const exe = join(pkg, process.platform === "win32" ? "deno.exe" : "deno");
  // The package's install script links the binary here; without install scripts, its bin.cjs
  // finds the platform package itself.
  return existsSync(exe) ? [exe] : [process.execPath, join(pkg, "bin.cjs")];
}

const [program, ...prefix] = denoCommand();
const args = [...prefix, "run", "-A", "--no-config", "--no-lock", cli, ...process.argv.slice(2)];
// The harness names this command in its usage text.
const env = { ...process.env, MAELSTROM_HARNESS_COMMAND: "npx maelstrom-harness" };
const child = spawn(program, args, { stdio: "inherit", env });
// A terminal's Ctrl-C reaches the whole process group, Deno included: let Deno handle it alone.
// A SIGTERM sent to this launcher only is passed on.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("error", (error) => {
  console.error(`maelstrom-harness: cannot start deno: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  process.exit(signal === null ? code ?? 1 : 128 + (constants.signals[signal] ?? 0));
});
