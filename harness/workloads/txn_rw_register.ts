/**
 * Maelstrom's txn-rw-register workload: transactions of reads and writes over integer keys.
 *
 * `txn {txn: [["r", k, null] | ["w", k, v]]}` → `txn_ok {txn: [["r", k, any] | ["w", k, v]]}`.
 * Error replies map through `with-errors` with no idempotent op: 30 and other definite codes are
 * `fail` (a definite abort, whose writes count as failed), others and timeouts `info`.
 *
 * With `--final-reads` (beyond Maelstrom) the run also ends with a heal, the final pause and a
 * read of every written key on every node, held to the last acknowledged write of each key
 * (`txn_final_reads.ts`); without it the workload is Maelstrom's, with no final phase.
 *
 * @module
 */

import { withErrors } from "../op_errors.ts";
import type { Rng } from "../rng.ts";
import type { Completion, Connection, Invocation, OpGenerator, Workload } from "./contract.ts";
import type { TestOptions } from "../options.ts";
import { expectReply, isInt, isSeqOf, seqOrEmpty } from "./closed_reply.ts";
import { KeyPool } from "./key_pool.ts";
import { checkTxn, parseModels } from "../checkers/txn/checker.ts";
import { checkFinalReads, finalReads, withFinalReads } from "../checkers/txn/final_reads.ts";

const IDEMPOTENT: ReadonlySet<string> = new Set();

function _isMop(value: unknown): boolean {
  return Array.isArray(value) && value.length === 3 && (value[0] === "r" || value[0] === "w");
}

/**
 * Elle's txn generators: lengths uniform in 1…max, reads and writes equally likely, values unique
 * per key; `write` names the write micro-op (`"w"` for rw-register, `"append"` for list-append).
 */
export class TxnGenerator implements OpGenerator {
  readonly #rng: Rng;
  readonly #pool: KeyPool;
  readonly #maxLength: number;
  readonly #write: string;

  constructor(options: TestOptions, rng: Rng, write = "w") {
    this.#rng = rng;
    this.#write = write;
    this.#maxLength = options.maxTxnLength;
    this.#pool = new KeyPool(rng, {
      keyCount: options.keyCount ?? 10,
      maxWritesPerKey: options.maxWritesPerKey,
    });
  }

  next(_thread: number): Invocation {
    const length = 1 + this.#rng.int(this.#maxLength);
    const txn: [string, number, number | null][] = [];
    for (let i = 0; i < length; i++) {
      const key = this.#pool.pick();
      if (this.#rng.next() < 0.5) txn.push(["r", key, null]);
      else txn.push([this.#write, key, this.#pool.nextValue(key)]);
    }
    return { f: "txn", value: txn };
  }
}

async function _perform(op: Invocation, conn: Connection): Promise<Completion> {
  const reply = expectReply(await conn.rpc({ type: "txn", txn: op.value }), "txn_ok", {
    txn: isSeqOf(_isMop),
  });
  // As in Maelstrom, the reply's micro-ops are recorded as they are, not compared with ours; a
  // null `txn` passes `[(s/either ReadRes Write)]` and Maelstrom's `mapv` makes it `[]`.
  return { type: "ok", value: seqOrEmpty(reply.txn) };
}

/** Maelstrom's txn-rw-register workload, checked against `--consistency-models`. */
export const txnRwRegisterWorkload: Workload = {
  name: "txn-rw-register",
  idempotent: IDEMPOTENT,
  reusableClient: true,
  hasFinalPhase: false,
  timeoutMs: () => 5000,
  validate(options) {
    parseModels(options.consistencyModels);
    if (!isInt(options.maxTxnLength) || options.maxTxnLength < 1) {
      throw new RangeError("--max-txn-length must be a positive integer");
    }
    if (!isInt(options.maxWritesPerKey) || options.maxWritesPerKey < 1) {
      throw new RangeError("--max-writes-per-key must be a positive integer");
    }
    if (options.keyCount !== undefined && (!isInt(options.keyCount) || options.keyCount < 1)) {
      throw new RangeError("--key-count must be a positive integer");
    }
    if (options.finalReads === true && options.concurrency < options.nodes.length) {
      throw new RangeError("--final-reads needs a worker on every node: --concurrency >= 1n");
    }
  },
  generator: (options, rng) => new TxnGenerator(options, rng),
  client: () => ({ invoke: (op, conn) => withErrors(op, IDEMPOTENT, () => _perform(op, conn)) }),
  check: (history, options) =>
    checkTxn(history, options.consistencyModels, { strict: options.strict }),
  forOptions: (options) =>
    options.finalReads === true ? txnFinalReadsWorkload : txnRwRegisterWorkload,
};

/** txn-rw-register with `--final-reads`: a final phase reading every key on every node. */
export const txnFinalReadsWorkload: Workload = {
  ...txnRwRegisterWorkload,
  hasFinalPhase: true,
  final: finalReads,
  check: (history, options) =>
    withFinalReads(
      checkTxn(history, options.consistencyModels, { strict: options.strict }),
      checkFinalReads(history, options.nodes),
    ),
};
