/**
 * Taking a command's own flags out of an argv whose other flags go to the harness's parser.
 *
 * @module
 */

import { UsageError } from "../cli.ts";

/**
 * Takes each flag of `names` (`--flag value` or `--flag=value`) out of `argv`: their values, and
 * the rest of argv in order.
 *
 * @throws {UsageError} For one of `names` given without a value.
 */
export function takeFlags(
  argv: readonly string[],
  names: readonly string[],
): { values: Map<string, string>; rest: string[] } {
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!names.includes(flag)) {
      rest.push(arg);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === "") throw new UsageError(`${flag} expects a value`);
    values.set(flag, value);
  }
  return { values, rest };
}
