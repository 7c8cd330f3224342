/**
 * The g-counter workload (Maelstrom's `workload/g_counter.clj` over `pn_counter.clj`): clients mix
 * `add {delta}` with `read`, every worker ends with one final read, and the final reads must be a
 * possible sum of the adds.
 *
 * @module
 */

import { allErrorsIndeterminate } from "../op_errors.ts";
import type { Invocation, Workload } from "./contract.ts";
import { checkCounter } from "../checkers/counter.ts";
import { expectReply } from "./closed_reply.ts";
import { isLong } from "../node_json.ts";

/** Options of {@linkcode counterWorkload}. */
export interface CounterWorkloadOptions {
  /** The workload's name, `"g-counter"` or `"pn-counter"`. */
  name: string;
  /** Drop negative deltas (g-counter), leaving 0…4; pn-counter keeps −5…4. */
  growOnly: boolean;
}

/**
 * Builds a counter workload. The generator is Jepsen's `mix` of an add (delta uniform in −5…4)
 * and a read; for g-counter, Maelstrom's `gen/filter` drops negative adds and draws again, so adds
 * are a third of the ops and their deltas are 0…4, zero included. Counters don't use
 * `with-errors`: every timeout, error reply or malformed reply is `info`.
 */
export function counterWorkload(options: CounterWorkloadOptions): Workload {
  return {
    name: options.name,
    idempotent: new Set(),
    reusableClient: false,
    hasFinalPhase: true,
    timeoutMs: () => 5000,
    generator: (_options, rng) => ({
      next: (): Invocation => {
        for (;;) {
          if (rng.int(2) === 1) return { f: "read", value: null };
          const delta = rng.int(10) - 5;
          if (!options.growOnly || delta >= 0) return { f: "add", value: delta };
        }
      },
    }),
    client: () => ({
      invoke: (op, conn) =>
        allErrorsIndeterminate(op, async () => {
          if (op.f === "add") {
            const reply = await conn.rpc({ type: "add", delta: op.value });
            expectReply(reply, "add_ok", {});
            return { type: "ok", value: op.value };
          }
          if (op.f === "read") {
            const reply = await conn.rpc({ type: "read" });
            expectReply(reply, "read_ok", { value: isLong });
            return { type: "ok", value: reply.value };
          }
          throw new TypeError(`Unknown counter op ${op.f}`);
        }),
    }),
    final: async (ctx) => {
      await ctx.invoke({ f: "read", value: null, final: true });
    },
    check: (history) => checkCounter(history),
  };
}

/** Maelstrom's g-counter workload. */
export const gCounterWorkload: Workload = counterWorkload({ name: "g-counter", growOnly: true });
