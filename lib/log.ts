/**
 * A small stderr logger (stdout carries the protocol only), injectable so tests can capture logs.
 *
 * @module
 */

import { inspect, writeStderr } from "./stdio.ts";

/** Anything that can take log lines. */
export interface Logger {
  /** Logs one line built from `args` (strings as is, errors with their stack, others inspected). */
  log(...args: unknown[]): void;
}

const _encoder = new TextEncoder();

/** Formats log arguments into one line, the way `console.error` would but without colours. */
export function formatLogArgs(args: readonly unknown[]): string {
  let line = "";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (i > 0) line += " ";
    if (typeof arg === "string") line += arg;
    else if (arg instanceof Error) line += arg.stack ?? `${arg.name}: ${arg.message}`;
    else line += inspect(arg);
  }
  return line;
}

/** Logs to stderr synchronously, so lines are never lost at exit and never interleave. */
export const stderrLogger: Logger = {
  log(...args: unknown[]): void {
    const bytes = _encoder.encode(formatLogArgs(args) + "\n");
    try {
      writeStderr(bytes);
    } catch {
      // stderr is gone (harness closed it): logging must never take the node down.
    }
  },
};

/** A logger that keeps its lines in memory, for tests. */
export class MemoryLogger implements Logger {
  /** Every line logged so far. */
  readonly lines: string[] = [];

  /** Records one formatted line. */
  log(...args: unknown[]): void {
    this.lines.push(formatLogArgs(args));
  }
}
