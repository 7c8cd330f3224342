/**
 * The echo workload (Maelstrom's `workload/echo.clj`): clients send `echo {echo}` and expect the
 * same payload back in `echo_ok`. No final phase.
 *
 * @module
 */

import { isRecord } from "../../lib/message.ts";
import { withErrors } from "../op_errors.ts";
import type { CheckResult, Workload } from "./contract.ts";
import type { Op } from "../history.ts";
import { expectReply, isAny } from "./closed_reply.ts";
import { jsonEqual } from "../json_value.ts";

const _IDEMPOTENT: ReadonlySet<string> = new Set();

/**
 * Checks that every echo completed `ok` with the invocation's payload. Timed-out, failed and
 * malformed ops fail that comparison too, so any non-ok echo makes the run invalid, as in
 * Maelstrom. An invocation with no completion counts as an error as well.
 *
 * @returns `{ valid, errors }`, each error `["Expected a message with echo", sent, "But received",
 * the reply]` as Maelstrom words it, or, when no reply came, `["Expected a message with echo",
 * sent, "But the op ended fail" | "But the op ended info" | "But the op never completed",
 * its error]`, so a timeout is not shown as a reply equal to the request.
 */
export function checkEcho(history: readonly Op[]): CheckResult {
  const pending = new Map<number | "nemesis", Op>();
  const errors: unknown[] = [];
  const expected = "Expected a message with echo";
  const report = (invoke: Op, received: unknown) =>
    errors.push([expected, invoke.value, "But received", received ?? null]);
  for (const op of history) {
    if (op.f !== "echo") continue;
    if (op.type === "invoke") {
      pending.set(op.process, op);
      continue;
    }
    const invoke = pending.get(op.process);
    if (invoke === undefined) continue;
    pending.delete(op.process);
    if (op.type !== "ok") {
      errors.push([expected, invoke.value, `But the op ended ${op.type}`, op.error ?? null]);
      continue;
    }
    const echoed = isRecord(op.value) ? op.value.echo : undefined;
    if (!jsonEqual(echoed, invoke.value)) report(invoke, op.value);
  }
  for (const invoke of pending.values()) {
    errors.push([expected, invoke.value, "But the op never completed", null]);
  }
  return { valid: errors.length === 0, errors };
}

/** Maelstrom's echo workload: `"Please echo <0..127>"` payloads, closed-schema replies. */
export const echoWorkload: Workload = {
  name: "echo",
  idempotent: _IDEMPOTENT,
  reusableClient: false,
  hasFinalPhase: false,
  timeoutMs: () => 5000,
  generator: (_options, rng) => ({
    next: () => ({ f: "echo", value: `Please echo ${rng.int(128)}` }),
  }),
  client: () => ({
    invoke: (op, conn) =>
      withErrors(op, _IDEMPOTENT, async () => {
        const reply = await conn.rpc({ type: "echo", echo: op.value });
        expectReply(reply, "echo_ok", { echo: isAny });
        // The whole reply body is the value, as in Maelstrom's history.
        return { type: "ok", value: reply };
      }),
  }),
  check: (history) => checkEcho(history),
};
