/**
 * Shared by the npm package tests: running a command, an empty npm project with a tarball
 * installed, and Bun from the npm registry.
 *
 * @module
 */

import { equal } from "node:assert/strict";
import { join } from "node:path";

/** The repository's root folder. */
export const ROOT: string = new URL("../", import.meta.url).pathname;
const BUN_VERSION = "1.4.5";

/** What a finished command printed. */
export interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `argv` in `cwd` to its end. */
export async function exec(argv: readonly string[], cwd: string): Promise<Exec> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const out = await new Deno.Command(program, { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/**
 * A new empty npm project (ES modules) with `tarball` installed from the file, as a user
 * installs a package (its dependencies come from the registry). Remove it when done.
 */
export async function installTarball(tarball: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "npm_package_" });
  Deno.writeTextFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "user-project", private: true, type: "module" }),
  );
  const out = await exec(["npm", "install", "--no-audit", "--no-fund", tarball], dir);
  equal(out.code, 0, out.stderr);
  return dir;
}

/** Bun's binary, installed once from the npm registry into `dist/.tools/bun`, or why not. */
export async function findBun(): Promise<{ path: string } | { reason: string }> {
  const dir = join(ROOT, "dist/.tools/bun");
  const path = join(dir, "node_modules/.bin/bun");
  try {
    Deno.statSync(path);
  } catch {
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(join(dir, "package.json"), '{"private":true}');
    const out = await exec(
      ["npm", "install", "--no-audit", "--no-fund", `bun@${BUN_VERSION}`],
      dir,
    );
    if (out.code !== 0) {
      return { reason: `npm install bun@${BUN_VERSION} failed: ${out.stderr.trim()}` };
    }
  }
  const version = await exec([path, "--version"], dir)
    .catch((error): Exec => ({ code: -1, stdout: "", stderr: String(error) }));
  if (version.code !== 0) return { reason: `bun does not start: ${version.stderr.trim()}` };
  return { path };
}
