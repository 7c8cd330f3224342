/**
 * Runs the fourteen official commands with a real Maelstrom against the binaries in `bin/`, and
 * prints the same table as `deno task challenges` from Maelstrom's `results.edn` files.
 *
 * Maelstrom is found through `MAELSTROM_HOME` (the unpacked release, holding `maelstrom`) or as
 * `maelstrom` on PATH. Usage: `deno run -A scripts/maelstrom-official.ts [--only NAME,…]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname, join, resolve } from "node:path";
import { parseEDNString } from "edn-data";
import { nodeEnv, OFFICIAL_RUNS, officialRun } from "./official.ts";
import { formatTable, type ResultRow, rowFromResults } from "./results_table.ts";

const USAGE = "usage: deno run -A scripts/maelstrom-official.ts [--only 1,3d,5c] [--bin-dir bin]";

/** Finds the `maelstrom` launcher, or returns undefined. */
export function findMaelstrom(
  env: { home?: string | undefined; path?: string | undefined },
): string | undefined {
  const candidates = env.home ? [join(env.home, "maelstrom")] : [];
  for (const dir of (env.path ?? "").split(":").filter((d) => d !== "")) {
    candidates.push(join(dir, "maelstrom"));
  }
  return candidates.find((file) => {
    try {
      return Deno.statSync(file).isFile;
    } catch {
      return false;
    }
  });
}

/** Parses a `results.edn` text into plain data with Maelstrom's names (`valid?`, `msgs-per-op`). */
export function parseResultsEdn(text: string): unknown {
  return parseEDNString(text, { mapAs: "object", keywordAs: "string", listAs: "array" });
}

async function runOne(maelstrom: string, binDir: string, name: string): Promise<ResultRow> {
  const run = officialRun(name);
  const cwd = dirname(maelstrom);
  const args = ["test", "-w", run.challenge, "--bin", resolve(binDir, run.challenge), ...run.flags];
  console.error(`maelstrom ${args.join(" ")}`);
  const status = await new Deno.Command(maelstrom, {
    args,
    cwd,
    env: nodeEnv(run.env),
    stdout: "null",
    stderr: "inherit",
  }).output();
  const resultsFile = join(cwd, "store", "latest", "results.edn");
  try {
    const row = rowFromResults(
      name,
      parseResultsEdn(await Deno.readTextFile(resultsFile)),
      run.target,
    );
    row.note = `exit ${status.code}`;
    return row;
  } catch {
    return {
      name,
      valid: "error",
      target: run.target,
      note: `exit ${status.code}, no results.edn`,
    };
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { only: { type: "string" }, "bin-dir": { type: "string", default: "bin" } },
    strict: true,
  });
  const maelstrom = findMaelstrom({
    home: Deno.env.get("MAELSTROM_HOME"),
    path: Deno.env.get("PATH"),
  });
  if (!maelstrom) {
    console.error(
      "maelstrom-official: Maelstrom not found. Unpack a release from " +
        "https://github.com/jepsen-io/maelstrom/releases (it needs a JVM) and set MAELSTROM_HOME to " +
        "its directory, or put its `maelstrom` launcher on PATH.",
    );
    return 2;
  }
  const names = values.only ? values.only.split(",") : OFFICIAL_RUNS.map((r) => r.name);
  const binDir = values["bin-dir"];
  const missing = [...new Set(names.map((n) => officialRun(n).challenge))]
    .filter((c) => {
      try {
        return !Deno.statSync(join(binDir, c)).isFile;
      } catch {
        return true;
      }
    });
  if (missing.length > 0) {
    console.error(
      `maelstrom-official: no binary for ${
        missing.join(", ")
      } in ${binDir}/: run \`deno task build\` first.`,
    );
    return 2;
  }
  const rows: ResultRow[] = [];
  for (const name of names) rows.push(await runOne(maelstrom, binDir, name));
  console.log(formatTable(rows));
  return rows.every((row) => row.valid === true) ? 0 : 1;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`maelstrom-official: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    Deno.exit(2);
  }
}
