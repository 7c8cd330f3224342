/**
 * Builds small hand-written histories for checker tests.
 *
 * @module
 */

import type { Op, OpType } from "../types.ts";

/** One history entry without its index; `time` is in milliseconds here for readability. */
export interface OpSpec {
  type: OpType;
  process: number | "nemesis";
  f: string;
  value: unknown;
  /** Milliseconds since the start; stored as nanoseconds. Defaults to the entry's position. */
  ms?: number;
  final?: boolean;
  error?: unknown;
}

/** Numbers the entries from 0 and converts their times to nanoseconds. */
export function history(...specs: OpSpec[]): Op[] {
  return specs.map((s, index) => {
    const op: Op = {
      index,
      time: (s.ms ?? index) * 1_000_000,
      type: s.type,
      process: s.process,
      f: s.f,
      value: s.value,
    };
    if (s.final !== undefined) op.final = s.final;
    if (s.error !== undefined) op.error = s.error;
    return op;
  });
}
