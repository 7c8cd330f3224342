/**
 * Compiling `lib/` for Node and Bun: `tsc` turns the Deno sources (`.ts` imports) into ES modules
 * with `.js` imports and `.d.ts` files. `tsc` and Node's types are build tools only, installed once
 * from the npm registry into `dist/.tools/`. Used by `deno task pack` and `deno task test:node`.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const ROOT: string = fileURLToPath(new URL("../", import.meta.url));
/** Where builds and tarballs go (gitignored). */
export const DIST: string = join(ROOT, "dist");
const _BUILD_TOOLS = ["typescript@5.9.3", "@types/node@20.19.43"];

/** Runs a command to completion; returns its stdout, or throws with its output on failure. */
export async function run(cmd: string, args: readonly string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args: [...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${text}${err}`);
  }
  return text;
}

/**
 * The `.ts` files of a repository folder, recursively, sorted; without tests and test helpers
 * unless `tests` is set.
 */
export function sources(dir: string, tests = false): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(join(ROOT, dir))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...sources(path, tests));
    else if (!entry.name.endsWith(".ts")) continue;
    else if (tests || !/_test(_util)?\.ts$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Copies repository files into `into`, keeping their relative paths. */
export function copy(files: readonly string[], into: string): void {
  for (const file of files) {
    Deno.mkdirSync(dirname(join(into, file)), { recursive: true });
    Deno.copyFileSync(join(ROOT, file), join(into, file));
  }
}

/** Removes a folder and everything in it, if it exists. */
export function clean(dir: string): void {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Writes `value` as indented JSON. */
export function writeJson(path: string, value: unknown): void {
  Deno.writeTextFileSync(path, JSON.stringify(value, null, 2) + "\n");
}

/** Installs `tsc` and Node's types into `dist/.tools/` once; returns that folder. */
export async function buildTools(): Promise<string> {
  const dir = join(DIST, ".tools");
  try {
    Deno.statSync(join(dir, "node_modules/@types/node/package.json"));
    Deno.statSync(join(dir, "node_modules/typescript/bin/tsc"));
  } catch {
    Deno.mkdirSync(dir, { recursive: true });
    writeJson(join(dir, "package.json"), { private: true });
    await run("npm", ["install", "--no-audit", "--no-fund", ..._BUILD_TOOLS], dir);
  }
  return dir;
}

/** Options of {@linkcode compileLib}. */
export interface CompileOptions {
  /** The `lib/` files to compile (repository paths); the rest of `lib/` is left out. */
  files: readonly string[];
  /** Emit without type checking (for tests, which `deno check` already checks). */
  noCheck?: boolean;
  /** Rewrites a file's source before compiling (e.g. `Deno.test` to `node:test`). */
  transform?: (path: string, text: string) => string;
}

/**
 * Compiles `lib/` files under `build/src/` with `tsc` into `build/out/`: ES2022 modules with
 * `.js` imports and `.d.ts` files, with the repository's strict compiler options.
 *
 * @returns The output folder.
 */
export async function compileLib(build: string, options: CompileOptions): Promise<string> {
  const tools = await buildTools();
  clean(build);
  copy(options.files, join(build, "src"));
  if (options.transform !== undefined) {
    for (const file of options.files) {
      const path = join(build, "src", file);
      Deno.writeTextFileSync(path, options.transform(file, Deno.readTextFileSync(path)));
    }
  }
  writeJson(join(build, "tsconfig.json"), {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2024", "DOM"],
      types: ["node"],
      typeRoots: [join(tools, "node_modules/@types")],
      rewriteRelativeImportExtensions: true,
      declaration: true,
      noCheck: options.noCheck ?? false,
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      skipLibCheck: true,
      rootDir: "src/lib",
      outDir: "out",
    },
    files: options.files.map((file) => `src/${file}`),
  });
  await run("node", [join(tools, "node_modules/typescript/bin/tsc")], build);
  return join(build, "out");
}
