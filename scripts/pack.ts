/**
 * `deno task pack`: builds the two npm packages from this repository's sources and writes their
 * `npm pack` tarballs into `dist/`.
 *
 * - `maelstrom-node`: `lib/` compiled by `tsc` to ES modules with `.d.ts` files, no dependencies.
 * - `maelstrom-harness`: the harness's and lib's TypeScript sources as they are, started by a small
 *   Node launcher (`npm/maelstrom-harness/cli.mjs`) with the binary of the `deno` npm package.
 *
 * `tsc` and Node's types are build tools only, installed once from the npm registry into
 * `dist/.tools/`. The JSR package is `lib/` itself (`lib/deno.json`).
 *
 * @module
 */

import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The runtime's npm name. */
export const RUNTIME_PACKAGE = "maelstrom-node";
/** The harness command's npm name (and its command). */
export const HARNESS_PACKAGE = "maelstrom-harness";
/** The Deno the harness package runs on, from the `deno` npm package. */
export const DENO_VERSION = "2.9.6";
const _BUILD_TOOLS = ["typescript@5.9.3", "@types/node@20.19.43"];

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Where {@linkcode pack} put the tarballs. */
export interface PackResult {
  /** The runtime's tarball. */
  runtime: string;
  /** The harness's tarball. */
  harness: string;
}

/** Options of {@linkcode pack}. */
export interface PackOptions {
  /** Where the tarballs go (default `dist/`); the build folders go in its `build/`. */
  outDir?: string;
}

async function _run(cmd: string, args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${text}${err}`);
  }
  return text;
}

/** The `.ts` sources of a folder, recursively, without tests and test helpers. */
function _sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(join(ROOT, dir))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(..._sources(path));
    else if (entry.name.endsWith(".ts") && !/_test(_util)?\.ts$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

function _copy(files: readonly string[], into: string): void {
  for (const file of files) {
    Deno.mkdirSync(dirname(join(into, file)), { recursive: true });
    Deno.copyFileSync(join(ROOT, file), join(into, file));
  }
}

function _clean(dir: string): void {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function _writeJson(path: string, value: unknown): void {
  Deno.writeTextFileSync(path, JSON.stringify(value, null, 2) + "\n");
}

/** The package's version: the JSR package's, so both registries carry the same number. */
export function packageVersion(): string {
  const config = JSON.parse(Deno.readTextFileSync(join(ROOT, "lib/deno.json")));
  return String(config.version);
}

async function _tools(outDir: string): Promise<string> {
  const dir = join(outDir, ".tools");
  const tsc = join(dir, "node_modules/typescript/bin/tsc");
  try {
    Deno.statSync(join(dir, "node_modules/@types/node/package.json"));
    Deno.statSync(tsc);
  } catch {
    Deno.mkdirSync(dir, { recursive: true });
    _writeJson(join(dir, "package.json"), { private: true });
    await _run("npm", ["install", "--no-audit", "--no-fund", ..._BUILD_TOOLS], dir);
  }
  return dir;
}

async function _npmPack(dir: string, outDir: string): Promise<string> {
  const out = await _run("npm", ["pack", "--json", "--pack-destination", outDir], dir);
  const [info] = JSON.parse(out) as { filename: string }[];
  if (info === undefined) throw new Error(`npm pack wrote nothing for ${dir}`);
  return join(outDir, basename(info.filename));
}

const _COMMON = {
  version: "",
  license: "MIT",
  keywords: ["maelstrom", "jepsen", "gossip-glomers", "distributed-systems"],
  engines: { node: ">=20" },
};

async function _packRuntime(outDir: string, tools: string): Promise<string> {
  const build = join(outDir, "build", RUNTIME_PACKAGE);
  const pkg = join(build, "package");
  _clean(build);
  const files = _sources("lib").filter((file) => file !== "lib/deno.json");
  _copy(files, join(build, "src"));
  _writeJson(join(build, "tsconfig.json"), {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2024", "DOM"],
      types: ["node"],
      typeRoots: [join(tools, "node_modules/@types")],
      rewriteRelativeImportExtensions: true,
      declaration: true,
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      skipLibCheck: true,
      rootDir: "src/lib",
      outDir: "package",
    },
    files: ["src/lib/mod.ts"],
  });
  await _run("node", [join(tools, "node_modules/typescript/bin/tsc")], build);
  Deno.copyFileSync(join(ROOT, "lib/README.md"), join(pkg, "README.md"));
  _writeJson(join(pkg, "package.json"), {
    name: RUNTIME_PACKAGE,
    ..._COMMON,
    version: packageVersion(),
    description: "A typed runtime for Maelstrom (Gossip Glomers) nodes on Node, Bun and Deno",
    type: "module",
    exports: { ".": { types: "./mod.d.ts", default: "./mod.js" } },
    sideEffects: false,
  });
  return await _npmPack(pkg, outDir);
}

async function _packHarness(outDir: string): Promise<string> {
  const pkg = join(outDir, "build", HARNESS_PACKAGE);
  _clean(pkg);
  _copy([..._sources("harness"), ..._sources("lib")], pkg);
  Deno.mkdirSync(join(pkg, "bin"), { recursive: true });
  Deno.copyFileSync(join(ROOT, "npm", HARNESS_PACKAGE, "cli.mjs"), join(pkg, "bin/cli.mjs"));
  Deno.chmodSync(join(pkg, "bin/cli.mjs"), 0o755);
  Deno.copyFileSync(join(ROOT, "npm", HARNESS_PACKAGE, "README.md"), join(pkg, "README.md"));
  _writeJson(join(pkg, "package.json"), {
    name: HARNESS_PACKAGE,
    ..._COMMON,
    version: packageVersion(),
    description: "A Maelstrom-compatible test harness for nodes in any language, without a JVM",
    type: "module",
    bin: { [HARNESS_PACKAGE]: "bin/cli.mjs" },
    dependencies: { deno: DENO_VERSION },
  });
  return await _npmPack(pkg, outDir);
}

/** Builds both packages and packs them into `outDir`; returns the tarballs' paths. */
export async function pack(options: PackOptions = {}): Promise<PackResult> {
  const outDir = options.outDir ?? join(ROOT, "dist");
  Deno.mkdirSync(outDir, { recursive: true });
  const tools = await _tools(outDir);
  return { runtime: await _packRuntime(outDir, tools), harness: await _packHarness(outDir) };
}

if (import.meta.main) {
  const result = await pack();
  for (const tarball of [result.runtime, result.harness]) {
    console.log(`${relative(Deno.cwd(), tarball)}  ${Deno.statSync(tarball).size} bytes`);
  }
}
