/**
 * The g-set workload (Maelstrom's `workload/g_set.clj`): clients mix `add {element}` (0, 1, 2, …
 * in global order) with `read`, every worker ends with one read, and the set-full checker follows
 * each element through the reads, as for broadcast. The client doesn't use `with-errors`: every
 * timeout, error reply or malformed reply is `info`.
 *
 * @module
 */

import { allErrorsIndeterminate } from "../op_errors.ts";
import type { Invocation, Workload } from "./contract.ts";
import { expectReply, isSeqOf, seqOrEmpty } from "./closed_reply.ts";
import { checkSetFull } from "../checkers/set_full.ts";

/** Maelstrom's g-set workload. */
export const gSetWorkload: Workload = {
  name: "g-set",
  idempotent: new Set(),
  reusableClient: false,
  hasFinalPhase: true,
  timeoutMs: () => 5000,
  generator: (_options, rng) => {
    let next = 0;
    return {
      // Jepsen's `mix`: each op picks one of the two sources uniformly.
      next: (): Invocation =>
        rng.int(2) === 0 ? { f: "add", value: next++ } : { f: "read", value: null },
    };
  },
  client: () => ({
    invoke: (op, conn) =>
      allErrorsIndeterminate(op, async () => {
        if (op.f === "add") {
          expectReply(await conn.rpc({ type: "add", element: op.value }), "add_ok", {});
          return { type: "ok", value: op.value };
        }
        if (op.f === "read") {
          const reply = await conn.rpc({ type: "read" });
          // `:value [s/Any]`, read as set-full reads a broadcast's messages.
          expectReply(reply, "read_ok", { value: isSeqOf() });
          return { type: "ok", value: seqOrEmpty(reply.value) };
        }
        throw new TypeError(`Unknown g-set op ${op.f}`);
      }),
  }),
  // Maelstrom's final generator is one read per thread (it marks none `final`; marking them lets
  // set-full's per-node final-read check warn, as for broadcast).
  final: async (ctx) => {
    await ctx.invoke({ f: "read", value: null, final: true });
  },
  check: (history, options) => checkSetFull(history, { addF: "add", strict: options.strict }),
};
