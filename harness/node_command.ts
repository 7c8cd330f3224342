/**
 * How a `--bin` becomes a command line: an executable runs as it is, a plain `.ts`/`.js` file runs
 * with Deno (its module graph cached once before many nodes start).
 *
 * @module
 */

import { resolve } from "node:path";

/**
 * Loads a script's module graph into Deno's cache once, so that many nodes starting at once
 * don't each compile it (a cold 25-node start can otherwise miss the init timeout). Executables
 * are left alone.
 */
export async function warmScript(bin: string): Promise<void> {
  const [program] = await commandFor(bin, []);
  if (program !== Deno.execPath()) return;
  await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--quiet", bin],
    stdout: "null",
    stderr: "inherit",
  })
    .output();
}

/**
 * Returns the argv that runs `bin`: executables directly, plain `.ts`/`.js` files with Deno. The
 * path is made absolute, since a node runs in its own working directory.
 */
export async function commandFor(bin: string, args: readonly string[]): Promise<string[]> {
  const path = resolve(bin);
  const info = await Deno.stat(path);
  const executable = info.mode !== null && (info.mode & 0o111) !== 0;
  if (!executable && /\.(ts|js|mts|mjs)$/.test(path)) {
    return [Deno.execPath(), "run", "-A", path, ...args];
  }
  return [path, ...args];
}
