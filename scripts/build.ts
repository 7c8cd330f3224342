/**
 * `deno task build`: compiles every challenge (`challenges/<name>.ts` of each official run) into
 * `bin/<name>` with `deno compile`.
 *
 * Each entrypoint may declare the permissions its binary needs in a comment line
 * `// build-permissions: --allow-env=BROADCAST_MODE`; without one it gets none.
 *
 * `deno compile` needs the `denort` runtime. It uses `DENORT_BIN` when set, else a copy cached
 * in `$DENO_DIR/dl/release/v<version>/`, else it downloads one. When none of the three works, the
 * build stops with one message saying how to fix it; it never falls back silently.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { CHALLENGES } from "./official.ts";

const PERMISSIONS_PRAGMA = /^\/\/\s*build-permissions:(.*)$/m;

/** Reads the permission flags an entrypoint declares in its `build-permissions` comment. */
export function parseBuildPermissions(source: string): string[] {
  const match = PERMISSIONS_PRAGMA.exec(source);
  if (!match?.[1]) return [];
  const flags = match[1].trim().split(/\s+/).filter((flag) => flag.length > 0);
  for (const flag of flags) {
    if (!flag.startsWith("--allow-")) {
      throw new RangeError(`build-permissions may hold only --allow-* flags, got "${flag}"`);
    }
  }
  return flags;
}

/** Where `deno compile` will find its runtime, or why it can't. */
export type DenortSource =
  | { kind: "env"; path: string }
  | { kind: "cache"; path: string }
  | { kind: "download" }
  | { kind: "invalid-env"; path: string };

/** Options of {@linkcode findDenort}. */
export interface FindDenortOptions {
  /** The value of `DENORT_BIN`, if any. */
  denortBin: string | undefined;
  /** Deno's cache directory (`deno info --json`'s `denoDir`). */
  denoDir: string;
  /** Deno's version, e.g. `2.9.6`. */
  version: string;
  /** Deno's target triple, e.g. `x86_64-unknown-linux-gnu`. */
  target: string;
  /** Tests whether a file exists (injected for tests). */
  exists: (path: string) => boolean;
}

/** Decides which denort `deno compile` will use. */
export function findDenort(options: FindDenortOptions): DenortSource {
  const { denortBin, denoDir, version, target, exists } = options;
  if (denortBin !== undefined && denortBin !== "") {
    return exists(denortBin)
      ? { kind: "env", path: denortBin }
      : { kind: "invalid-env", path: denortBin };
  }
  const cached = join(denoDir, "dl", "release", `v${version}`, `denort-${target}.zip`);
  return exists(cached) ? { kind: "cache", path: cached } : { kind: "download" };
}

/** The one message printed when no denort can be had. */
export function denortHelp(source: DenortSource, version: string, target: string): string {
  const why = source.kind === "invalid-env"
    ? `DENORT_BIN points at ${source.path}, which does not exist.`
    : `deno compile needs the denort ${version} runtime, which is neither in DENORT_BIN nor in ` +
      "Deno's cache, and downloading it failed (this machine has no route to Deno's download server).";
  return `build: ${why} Fix: set DENORT_BIN to a denort ${version} binary for ${target} ` +
    "(unzipped from a denort release), or run `deno task build` once on a machine with network " +
    "access so the runtime is cached. Tests and the harness do not need binaries: they run " +
    "challenges/*.ts with deno run.";
}

function fileExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  const info: unknown = JSON.parse(new TextDecoder().decode(out.stdout));
  if (
    typeof info === "object" && info !== null && "denoDir" in info &&
    typeof info.denoDir === "string"
  ) {
    return info.denoDir;
  }
  throw new TypeError("deno info --json did not report denoDir");
}

async function compile(
  entry: string,
  output: string,
  permissions: string[],
): Promise<string | undefined> {
  const args = ["compile", "--quiet", ...permissions, "--output", output, entry];
  const result = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "inherit",
    stderr: "piped",
  })
    .output();
  return result.success ? undefined : new TextDecoder().decode(result.stderr);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { out: { type: "string", default: "bin" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log("usage: deno task build [--out DIR] [challenge ...]");
    return 0;
  }
  const version = Deno.version.deno;
  const target = Deno.build.target;
  const source = findDenort({
    denortBin: Deno.env.get("DENORT_BIN"),
    denoDir: await denoDir(),
    version,
    target,
    exists: fileExists,
  });
  if (source.kind === "invalid-env") {
    console.error(denortHelp(source, version, target));
    return 1;
  }
  const entries = CHALLENGES
    .filter((name) => positionals.length === 0 || positionals.includes(name))
    .sort();
  const unknown = positionals.filter((name) => !entries.includes(name));
  if (unknown.length > 0) throw new RangeError(`No challenges/${unknown[0]}.ts`);
  await Deno.mkdir(values.out, { recursive: true });
  for (const name of entries) {
    const entry = join("challenges", `${name}.ts`);
    const permissions = parseBuildPermissions(await Deno.readTextFile(entry));
    const output = join(values.out, name);
    const failure = await compile(entry, output, permissions);
    if (failure !== undefined) {
      const noRuntime = source.kind === "download" &&
        /denort|dl\.deno\.land|dns|connect/i.test(failure);
      console.error(
        noRuntime ? denortHelp(source, version, target) : `build: ${name} failed:\n${failure}`,
      );
      return 1;
    }
    const size = (Deno.statSync(output).size / 1048576).toFixed(1);
    console.log(`built ${output} (${size} MiB) ${permissions.join(" ") || "(no permissions)"}`);
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
    console.error("usage: deno task build [--out DIR] [challenge ...]");
    Deno.exit(2);
  }
}
