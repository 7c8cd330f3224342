/**
 * The txn-list-append workload (Maelstrom's `workload/txn_list_append.clj` over Jepsen's
 * `tests/cycle/append.clj`): each operation is one transaction of 1…`--max-txn-length` micro-ops
 * on a few active keys (`--key-count`, default 10), each a read `["r", k, null]` or an append
 * `["append", k, v]` with equal chance; appended values are unique per key, and a key retires
 * after `--max-writes-per-key` appends. The node fills in each read with the key's list (`null`
 * for a key never appended to). Checked as Elle checks list-append histories against
 * `--consistency-models` (`checkers/txn/append.ts`, then the same cycle search and model lattice
 * as txn-rw-register).
 *
 * @module
 */

import { withErrors } from "../op_errors.ts";
import type { Workload } from "./contract.ts";
import { expectReply, isSeqOf, seqOrEmpty } from "./closed_reply.ts";
import { checkTxn } from "../checkers/txn/checker.ts";
import { TxnGenerator, txnRwRegisterWorkload } from "./txn_rw_register.ts";

const IDEMPOTENT: ReadonlySet<string> = new Set();

/** `ReadRes` (`["r", k, [elements] | null]`) or `Append` (`["append", k, v]`). */
function _isMop(value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 3) return false;
  if (value[0] === "append") return true;
  return value[0] === "r" && (value[2] === null || Array.isArray(value[2]));
}

/** Maelstrom's txn-list-append workload. */
export const txnListAppendWorkload: Workload = {
  name: "txn-list-append",
  idempotent: IDEMPOTENT,
  reusableClient: true,
  hasFinalPhase: false,
  timeoutMs: () => 5000,
  // The same option checks as txn-rw-register (models, lengths, key counts).
  validate: (options) => txnRwRegisterWorkload.validate?.({ ...options, finalReads: false }),
  generator: (options, rng) => new TxnGenerator(options, rng, "append"),
  client: () => ({
    invoke: (op, conn) =>
      withErrors(op, IDEMPOTENT, async () => {
        const reply = expectReply(await conn.rpc({ type: "txn", txn: op.value }), "txn_ok", {
          txn: isSeqOf(_isMop),
        });
        return { type: "ok", value: seqOrEmpty(reply.txn) };
      }),
  }),
  check: (history, options) =>
    checkTxn(history, options.consistencyModels, { strict: options.strict, kind: "list-append" }),
};
