/**
 * `deno task serve [--store DIR] [--port N]` (also `deno task harness serve`, as Maelstrom's
 * `serve`): the store's web UI on http://127.0.0.1:N/ until Ctrl-C.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "../usage_error.ts";
import { serveStore } from "./server.ts";

/** The usage text printed after a bad flag. */
export const SERVE_USAGE = `Usage: deno task serve [--store DIR] [--port N]

  --store DIR   the store to show (store)
  --port N      the port on 127.0.0.1 (8080; 0 picks a free one)
  Lists every run of the store, each opening its report; filters by workload and verdict;
  compares two runs' figures. Stops on Ctrl-C.`;

/** What the serve command was asked. */
export interface ServeArgs {
  store: string;
  port: number;
}

/** Parses the serve command's flags; throws {@linkcode UsageError}. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { store: { type: "string" }, port: { type: "string" } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { store = "store", port = "8080" } = parsed.values;
  const number = Number(port);
  if (!/^\d+$/.test(port) || number > 65535) {
    throw new UsageError(`--port expects an integer in 0..65535, got ${JSON.stringify(port)}`);
  }
  return { store, port: number };
}

/** Options of {@linkcode serveMain}, for tests. */
export interface ServeMainOptions {
  signal?: AbortSignal;
  onListen?: (url: string) => void;
}

/** Runs the serve command; returns the exit code (2 for bad flags or a store that is not there). */
export async function serveMain(
  argv: readonly string[],
  options: ServeMainOptions = {},
): Promise<number> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  try {
    if (!(await Deno.stat(args.store)).isDirectory) throw new Deno.errors.NotFound();
  } catch {
    console.error(`error: no store at ${args.store}\n\n${SERVE_USAGE}`);
    return 2;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const signal = options.signal === undefined
    ? stop.signal
    : AbortSignal.any([stop.signal, options.signal]);
  if (options.signal === undefined) Deno.addSignalListener("SIGINT", onSignal);
  try {
    await serveStore({
      root: args.store,
      port: args.port,
      signal,
      onListen: options.onListen ?? ((url) => console.error(`serving ${args.store} at ${url}`)),
    });
  } finally {
    if (options.signal === undefined) Deno.removeSignalListener("SIGINT", onSignal);
  }
  return 0;
}

if (import.meta.main) Deno.exit(await serveMain(Deno.args));
