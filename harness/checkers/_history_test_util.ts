/**
 * Builds small hand-written histories for checker tests, entry by entry ({@linkcode history}) or
 * operation by operation ({@linkcode buildHistory}).
 *
 * @module
 */

import type { Op, OpType } from "../history.ts";

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
  /** The node the op went to. */
  node?: string;
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
    if (s.node !== undefined) op.node = s.node;
    return op;
  });
}

/** One operation of a test history. */
export interface Step {
  process: number;
  f: string;
  /** The invocation's value. */
  invoke: unknown;
  type: Exclude<OpType, "invoke">;
  /** The completion's value; defaults to the invocation's. */
  value?: unknown;
  /** Invocation time (ns); defaults to 10 × the step number. */
  start?: number;
  /** Completion time (ns); defaults to start + 5. */
  end?: number;
  final?: boolean;
}

/**
 * Turns steps into a history ordered by time (invocations before completions at equal times),
 * numbering indices from 0.
 */
export function buildHistory(steps: readonly Step[]): Op[] {
  const ops: Omit<Op, "index">[] = [];
  steps.forEach((step, i) => {
    const start = step.start ?? i * 10;
    const extra = step.final === undefined ? {} : { final: step.final };
    ops.push({
      time: start,
      type: "invoke",
      process: step.process,
      f: step.f,
      value: step.invoke,
      ...extra,
    });
    ops.push({
      time: step.end ?? start + 5,
      type: step.type,
      process: step.process,
      f: step.f,
      value: step.value === undefined ? step.invoke : step.value,
      ...extra,
    });
  });
  const order = ops.map((op, i) => ({ op, i }));
  order.sort((a, b) =>
    a.op.time - b.op.time || (a.op.type === "invoke" ? 0 : 1) - (b.op.type === "invoke" ? 0 : 1) ||
    a.i - b.i
  );
  return order.map(({ op }, index) => ({ index, ...op }));
}
