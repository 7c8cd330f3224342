/**
 * The broadcast workload (Maelstrom's `workload/broadcast.clj`): setup sends each node the
 * `topology`, then clients mix `broadcast {message}` (0, 1, 2, … in global order) with `read`, and
 * every worker ends with one final read. Checked by set-full, which also checks each final read
 * on its own (fatal with `--strict`).
 *
 * @module
 */

import { withErrors } from "../op_errors.ts";
import { makeTopology, topologyKinds } from "./broadcast_topology.ts";
import type { Invocation, SetupContext, Workload } from "./contract.ts";
import { expectReply, isSeqOf, seqOrEmpty } from "./closed_reply.ts";
import { checkSetFull } from "../checkers/set_full.ts";

const _IDEMPOTENT: ReadonlySet<string> = new Set(["read"]);

/** Topology messages go through setup clients with Maelstrom's 5 s timeout. */
const _SETUP_TIMEOUT_MS = 5000;

/**
 * Sends `topology` to every node in parallel, each through a fresh setup connection.
 *
 * @throws {Error} When a node times out, replies with an error or with a malformed body: the test
 * can't run without a topology, so this is a harness failure, as in Maelstrom.
 */
export async function sendTopology(ctx: SetupContext): Promise<void> {
  const topology = makeTopology(ctx.options.topology, ctx.options.nodes);
  await Promise.all(ctx.options.nodes.map(async (node) => {
    const conn = ctx.connect(node);
    try {
      const reply = await conn.rpc({ type: "topology", topology }, {
        timeoutMs: _SETUP_TIMEOUT_MS,
      });
      expectReply(reply, "topology_ok", {});
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`Topology setup of ${node} failed: ${why}`, { cause: error });
    }
  }));
}

/** Maelstrom's broadcast workload. */
export const broadcastWorkload: Workload = {
  name: "broadcast",
  idempotent: _IDEMPOTENT,
  reusableClient: false,
  hasFinalPhase: true,
  timeoutMs: () => 5000,
  validate(options) {
    if (!topologyKinds.includes(options.topology)) {
      throw new RangeError(
        `--topology: unknown topology ${JSON.stringify(options.topology)} (known: ${
          topologyKinds.join(", ")
        })`,
      );
    }
  },
  setup: sendTopology,
  generator: (_options, rng) => {
    let nextMessage = 0;
    return {
      // Jepsen's `mix`: each op picks one of the two sources uniformly.
      next: (): Invocation =>
        rng.int(2) === 0 ? { f: "broadcast", value: nextMessage++ } : { f: "read", value: null },
    };
  },
  client: () => ({
    invoke: (op, conn) =>
      withErrors(op, _IDEMPOTENT, async () => {
        if (op.f === "broadcast") {
          const reply = await conn.rpc({ type: "broadcast", message: op.value });
          expectReply(reply, "broadcast_ok", {});
          return { type: "ok", value: op.value };
        }
        if (op.f === "read") {
          const reply = await conn.rpc({ type: "read" });
          // `messages: [s/Any]` accepts null, which Maelstrom's set-full reads as no messages.
          expectReply(reply, "read_ok", { messages: isSeqOf() });
          return { type: "ok", value: seqOrEmpty(reply.messages) };
        }
        throw new TypeError(`Unknown broadcast op ${op.f}`);
      }),
  }),
  final: async (ctx) => {
    await ctx.invoke({ f: "read", value: null, final: true });
  },
  check: (history, options) => checkSetFull(history, { addF: "broadcast", strict: options.strict }),
};
