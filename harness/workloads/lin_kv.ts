/**
 * The lin-kv workload (Maelstrom's `workload/lin_kv.clj` over Jepsen's
 * `tests/linearizable_register.clj`): independent registers, each key worked on by one group of
 * 2n threads (n = node count) at a time: the group's first n threads read, the others write a
 * value in 0…4 or compare-and-set from one such value to another (one write for two cas). A key
 * is done once 20 distinct processes have worked on it (a process is replaced after each
 * indeterminate op), and the group moves on to the next key. Threads beyond a whole number of
 * groups would idle, as in Jepsen; so `--concurrency` must be a multiple of 2n here.
 *
 * Requests time out after max(10 × mean latency, 1000) ms; reads are idempotent, so a read that
 * fails or times out is a definite failure. Each key is checked for linearizability
 * (`checkers/linearizable.ts`).
 *
 * @module
 */

import { withErrors } from "../op_errors.ts";
import type { Invocation, OpGenerator, Workload } from "./contract.ts";
import { expectReply, isAny } from "./closed_reply.ts";
import { checkLinearizable } from "../checkers/linearizable.ts";
import type { Op } from "../history.ts";
import type { Rng } from "../rng.ts";
import type { TestOptions } from "../options.ts";

const _IDEMPOTENT: ReadonlySet<string> = new Set(["read"]);

/** Jepsen's `process-limit` for one key. */
const _PROCESS_LIMIT = 20;

class _LinKvGenerator implements OpGenerator {
  readonly #rng: Rng;
  readonly #n: number;
  readonly #concurrency: number;
  /** Per group: its key and the processes that have worked on it. */
  readonly #groups: { key: number; processes: Set<number> }[];
  /** Each thread's current process (thread, then + concurrency after each info op). */
  readonly #process: number[];
  #nextKey: number;

  constructor(options: TestOptions, rng: Rng) {
    this.#rng = rng;
    this.#n = options.nodes.length;
    this.#concurrency = options.concurrency;
    const groups = Math.floor(options.concurrency / (2 * this.#n));
    this.#groups = Array.from({ length: groups }, (_, key) => ({ key, processes: new Set() }));
    this.#process = Array.from({ length: options.concurrency }, (_, t) => t);
    this.#nextKey = groups;
  }

  next(thread: number): Invocation | undefined {
    const size = 2 * this.#n;
    const group = this.#groups[Math.floor(thread / size)];
    if (group === undefined) return undefined;
    const process = this.#process[thread] as number;
    if (!group.processes.has(process) && group.processes.size >= _PROCESS_LIMIT) {
      group.key = this.#nextKey++;
      group.processes.clear();
    }
    group.processes.add(process);
    const k = group.key;
    if (thread % size < this.#n) return { f: "read", value: [k, null] };
    const rng = this.#rng;
    return rng.int(3) === 0
      ? { f: "write", value: [k, rng.int(5)] }
      : { f: "cas", value: [k, [rng.int(5), rng.int(5)]] };
  }

  observe(op: Op): void {
    if (op.type !== "info" || typeof op.process !== "number") return;
    const thread = op.process % this.#concurrency;
    this.#process[thread] = op.process + this.#concurrency;
  }
}

/** Maelstrom's lin-kv workload. */
export const linKvWorkload: Workload = {
  name: "lin-kv",
  idempotent: _IDEMPOTENT,
  reusableClient: true,
  hasFinalPhase: false,
  timeoutMs: (options) => Math.max(10 * options.latency, 1000),
  validate(options) {
    const size = 2 * options.nodes.length;
    if (options.concurrency % size !== 0) {
      throw new RangeError(
        `--concurrency must be a multiple of 2 × --node-count (${size}) for lin-kv: each key is ` +
          `worked on by a group of ${size} threads, and the rest would idle (try --concurrency 2n)`,
      );
    }
  },
  generator: (options, rng) => new _LinKvGenerator(options, rng),
  client: () => ({
    invoke: (op, conn) =>
      withErrors(op, _IDEMPOTENT, async () => {
        const [key, value] = op.value as [unknown, unknown];
        if (op.f === "read") {
          const reply = expectReply(await conn.rpc({ type: "read", key }), "read_ok", {
            value: isAny,
          });
          return { type: "ok", value: [key, reply.value ?? null] };
        }
        if (op.f === "write") {
          expectReply(await conn.rpc({ type: "write", key, value }), "write_ok", {});
          return { type: "ok", value: op.value };
        }
        if (op.f === "cas") {
          const [from, to] = value as [unknown, unknown];
          expectReply(await conn.rpc({ type: "cas", key, from, to }), "cas_ok", {});
          return { type: "ok", value: op.value };
        }
        throw new TypeError(`Unknown lin-kv op ${op.f}`);
      }),
  }),
  check: (history) => checkLinearizable(history),
};
