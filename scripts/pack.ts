/**
 * `deno task pack`: builds the two npm packages from this repository's sources and writes their
 * `npm pack` tarballs into `dist/`.
 *
 * - `maelstrom-node`: `lib/` compiled by `tsc` to ES modules with `.d.ts` files, no dependencies.
 * - `maelstrom-harness`: the harness's and lib's TypeScript sources as they are, started by a small
 *   Node launcher (`npm/maelstrom-harness/cli.mjs`) with the binary of the `deno` npm package.
 *
 * The JSR package is `lib/` itself (`lib/deno.json`); `deno publish` publishes it.
 *
 * @module
 */

import { basename, join, relative } from "node:path";
import { clean, compileLib, copy, DIST, ROOT, run, sources, writeJson } from "./npm_build.ts";

/** The runtime's npm name. */
export const RUNTIME_PACKAGE = "maelstrom-node";
/** The harness command's npm name (and its command). */
export const HARNESS_PACKAGE = "maelstrom-harness";
/** The Deno the harness package runs on, from the `deno` npm package. */
export const DENO_VERSION = "2.9.6";

/** Where {@linkcode pack} put the tarballs. */
export interface PackResult {
  /** The runtime's tarball. */
  runtime: string;
  /** The harness's tarball. */
  harness: string;
}

/** The packages' version: the JSR package's, so both registries carry the same number. */
export function packageVersion(): string {
  const config = JSON.parse(Deno.readTextFileSync(join(ROOT, "lib/deno.json")));
  return String(config.version);
}

async function _npmPack(dir: string): Promise<string> {
  Deno.mkdirSync(DIST, { recursive: true });
  const out = await run("npm", ["pack", "--json", "--pack-destination", DIST], dir);
  const [info] = JSON.parse(out) as { filename: string }[];
  if (info === undefined) throw new Error(`npm pack wrote nothing for ${dir}`);
  return join(DIST, basename(info.filename));
}

function _manifest(name: string, description: string): Record<string, unknown> {
  return {
    name,
    version: packageVersion(),
    description,
    license: "MIT",
    keywords: ["maelstrom", "jepsen", "gossip-glomers", "distributed-systems"],
    engines: { node: ">=20" },
    type: "module",
  };
}

/** Builds `maelstrom-node` and packs it into `dist/`; returns the tarball's path. */
export async function packRuntime(): Promise<string> {
  const pkg = await compileLib(join(DIST, "build", RUNTIME_PACKAGE), { files: sources("lib") });
  Deno.copyFileSync(join(ROOT, "lib/README.md"), join(pkg, "README.md"));
  writeJson(join(pkg, "package.json"), {
    ..._manifest(
      RUNTIME_PACKAGE,
      "A typed runtime for Maelstrom (Gossip Glomers) nodes on Node, Bun and Deno",
    ),
    exports: { ".": { types: "./mod.d.ts", default: "./mod.js" } },
    sideEffects: false,
  });
  return await _npmPack(pkg);
}

/** Builds `maelstrom-harness` and packs it into `dist/`; returns the tarball's path. */
export async function packHarness(): Promise<string> {
  const pkg = join(DIST, "build", HARNESS_PACKAGE);
  clean(pkg);
  copy([...sources("harness"), ...sources("lib")], pkg);
  Deno.mkdirSync(join(pkg, "bin"), { recursive: true });
  Deno.copyFileSync(join(ROOT, "npm", HARNESS_PACKAGE, "cli.mjs"), join(pkg, "bin/cli.mjs"));
  Deno.chmodSync(join(pkg, "bin/cli.mjs"), 0o755);
  Deno.copyFileSync(join(ROOT, "npm", HARNESS_PACKAGE, "README.md"), join(pkg, "README.md"));
  writeJson(join(pkg, "package.json"), {
    ..._manifest(
      HARNESS_PACKAGE,
      "A Maelstrom-compatible test harness for nodes in any language, without a JVM",
    ),
    bin: { [HARNESS_PACKAGE]: "bin/cli.mjs" },
    dependencies: { deno: DENO_VERSION },
  });
  return await _npmPack(pkg);
}

/** Builds both packages and packs them into `dist/`; returns the tarballs' paths. */
export async function pack(): Promise<PackResult> {
  return { runtime: await packRuntime(), harness: await packHarness() };
}

if (import.meta.main) {
  const result = await pack();
  for (const tarball of [result.runtime, result.harness]) {
    console.log(`${relative(Deno.cwd(), tarball)}  ${Deno.statSync(tarball).size} bytes`);
  }
}
