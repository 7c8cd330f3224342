/**
 * Maelstrom's kafka workload: append-only logs keyed by strings.
 *
 * History shapes (as Jepsen's kafka test, with string keys):
 * - `send`: `[["send", k, msg]]`, ok → `[["send", k, [offset, msg]]]`;
 * - `poll`: `[["poll"]]`, ok → `[["poll", {k: [[offset, msg], …]}]]`;
 * - `assign`: `[k, …]`; the final phase's assign carries `final: true`, which stands for Jepsen's
 *   `:seek-to-beginning? true` (every offset restarts at 0 and no RPC is sent);
 * - `crash`: `null`, always `info` (the worker gets a new process, so a fresh client and offsets).
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import { withErrors } from "../op_errors.ts";
import type { Rng } from "../rng.ts";
import type {
  Completion,
  Connection,
  FinalContext,
  Invocation,
  OpGenerator,
  SideStream,
  Workload,
  WorkloadClient,
} from "./contract.ts";
import type { Op } from "../history.ts";
import type { TestOptions } from "../options.ts";
import { expectReply, isInt, isSeqOf, seqOrEmpty } from "./closed_reply.ts";
import { isRecord } from "../../lib/message.ts";
import { checkKafka } from "../checkers/kafka/checker.ts";
import { maxOffsetsOf } from "../checkers/kafka/log.ts";
import { KeyPool } from "./key_pool.ts";

const IDEMPOTENT: ReadonlySet<string> = new Set(["assign"]);
/** Jepsen's `sub-p`: the chance that an assign is slipped in before an op. */
const ASSIGN_P = 1 / 64;
/** The chance that an assign also gets every sent-but-unpolled key (Jepsen's poll-unseen). */
const UNSEEN_P = 1 / 3;
/** Maelstrom's clip on the final phase. */
const FINAL_LIMIT_MS = 10_000;
/** `{Key Offset}`: a map schema, so `null` is rejected, as Maelstrom does. */
function _isOffsetMap(value: unknown): value is Record<string, number> {
  return isRecord(value) && Object.values(value).every(isInt);
}

/** `[(s/one Offset "offset") (s/one Message "msg")]`: exactly two elements, never `null`. */
function _isPair(value: unknown): boolean {
  return Array.isArray(value) && value.length === 2 && isInt(value[0]);
}

/** `{Key [OffsetMessage]}`: the map itself can't be `null`, but each key's list can. */
const _isPairs = isSeqOf(_isPair);

function _isMsgs(value: unknown): boolean {
  return isRecord(value) && Object.values(value).every(_isPairs);
}

/** A checked `msgs` with every `null` list read as empty, as Maelstrom's client does. */
function _normalizeMsgs(value: unknown): Record<string, [number, unknown][]> {
  const msgs: Record<string, [number, unknown][]> = {};
  for (const [key, pairs] of Object.entries(value as Record<string, unknown>)) {
    msgs[key] = seqOrEmpty(pairs) as [number, unknown][];
  }
  return msgs;
}

/** One process's consumer: its offsets map (key → next offset to poll). */
class _KafkaClient implements WorkloadClient {
  #offsets = new Map<string, number>();

  async invoke(op: Invocation, conn: Connection): Promise<Completion> {
    if (op.f === "crash") return { type: "info", value: op.value };
    return await withErrors(op, IDEMPOTENT, () => this.#perform(op, conn));
  }

  async #perform(op: Invocation, conn: Connection): Promise<Completion> {
    if (op.f === "assign") return await this.#assign(op, conn);
    const mop = Array.isArray(op.value) ? op.value[0] : undefined;
    if (op.f === "send" && Array.isArray(mop)) {
      const [, key, msg] = mop as [string, string, unknown];
      const reply = expectReply(await conn.rpc({ type: "send", key, msg }), "send_ok", {
        offset: isInt,
      });
      return { type: "ok", value: [["send", key, [reply.offset, msg]]] };
    }
    if (op.f === "poll") return await this.#poll(conn);
    throw new TypeError(`kafka cannot perform ${op.f}`);
  }

  async #assign(op: Invocation, conn: Connection): Promise<Completion> {
    const keys = (op.value as string[]).map(String);
    const next = new Map<string, number>();
    if (op.final === true) {
      for (const key of keys) next.set(key, 0);
    } else {
      const reply = expectReply(
        await conn.rpc({ type: "list_committed_offsets", keys }),
        "list_committed_offsets_ok",
        { offsets: _isOffsetMap },
      );
      const committed = reply.offsets as Record<string, number>;
      for (const key of keys) next.set(key, this.#offsets.get(key) ?? committed[key] ?? 0);
    }
    this.#offsets = next;
    return { type: "ok", value: op.value };
  }

  async #poll(conn: Connection): Promise<Completion> {
    const reply = expectReply(
      await conn.rpc({ type: "poll", offsets: Object.fromEntries(this.#offsets) }),
      "poll_ok",
      { msgs: _isMsgs },
    );
    const msgs = _normalizeMsgs(reply.msgs);
    // The commit carries the highest polled offset itself (not +1), as Maelstrom's client does.
    const commit: Record<string, number> = {};
    for (const [key, pairs] of Object.entries(msgs)) {
      let max = -1;
      for (const [offset] of pairs) max = Math.max(max, offset);
      this.#offsets.set(key, Math.max(this.#offsets.get(key) ?? 0, max + 1));
      if (pairs.length > 0) commit[key] = Math.max(0, max);
    }
    if (Object.keys(commit).length > 0) {
      const body: Body = { type: "commit_offsets", offsets: commit };
      expectReply(await conn.rpc(body), "commit_offsets_ok", {});
    }
    return { type: "ok", value: [["poll", msgs]] };
  }
}

/** Keys sent but not yet polled up to, learnt from completions (Jepsen's poll-unseen). */
class _Unseen {
  readonly sent = new Map<string, number>();
  readonly polled = new Map<string, number>();

  observe(op: Pick<Op, "type" | "f" | "value">): void {
    if (op.type !== "ok") return;
    const { sent, polled } = maxOffsetsOf(op);
    for (const [k, o] of sent) this.sent.set(k, Math.max(this.sent.get(k) ?? -1, o));
    for (const [k, o] of polled) this.polled.set(k, Math.max(this.polled.get(k) ?? -1, o));
    for (const k of [...sent.keys(), ...polled.keys()]) {
      if ((this.polled.get(k) ?? -1) >= (this.sent.get(k) ?? -1)) {
        this.sent.delete(k);
        this.polled.delete(k);
      }
    }
  }
}

class _KafkaGenerator implements OpGenerator {
  readonly #rng: Rng;
  readonly #pool: KeyPool;
  readonly #unseen = new _Unseen();
  #pending: { op: Invocation; key: string } | undefined;

  constructor(options: TestOptions, rng: Rng) {
    this.#rng = rng;
    this.#pool = new KeyPool(rng, {
      keyCount: options.keyCount ?? 10,
      maxWritesPerKey: options.maxWritesPerKey,
    });
  }

  next(_thread: number): Invocation | undefined {
    const pending = this.#pending ?? this.#fresh();
    if (this.#pending === undefined && this.#rng.next() < ASSIGN_P) {
      // The assign goes first; the op it was drawn from still happens next time.
      this.#pending = pending;
      let keys = [pending.key];
      if (this.#unseen.sent.size > 0 && this.#rng.next() < UNSEEN_P) {
        keys = [...new Set([...keys, ...this.#unseen.sent.keys()])];
      }
      return { f: "assign", value: keys };
    }
    this.#pending = undefined;
    return pending.op;
  }

  observe(op: Op): void {
    this.#unseen.observe(op);
  }

  #fresh(): { op: Invocation; key: string } {
    const key = this.#pool.pick();
    if (this.#rng.next() < 0.5) return { op: { f: "poll", value: [["poll"]] }, key: String(key) };
    const value = this.#pool.nextValue(key);
    return { op: { f: "send", value: [["send", String(key), value]] }, key: String(key) };
  }
}

/** Runs one worker's final phase: crash, assign every key from offset 0, poll until caught up. */
async function _final(ctx: FinalContext): Promise<void> {
  const targets = new Map<string, number>();
  for (const op of ctx.history) {
    if (op.type !== "ok") continue;
    const { sent, polled } = maxOffsetsOf(op);
    for (const [k, o] of [...sent, ...polled]) targets.set(k, Math.max(targets.get(k) ?? -1, o));
  }
  if (targets.size === 0) return;
  // Maelstrom clips the final generator to 10 s: data may be lost, and we must not stall.
  const deadline = ctx.now() + FINAL_LIMIT_MS;
  const over = () => ctx.signal.aborted || ctx.now() >= deadline;
  await ctx.invoke({ f: "crash", value: null });
  if (over()) return;
  const assigned = await ctx.invoke({ f: "assign", value: [...targets.keys()], final: true });
  if (assigned.type !== "ok") return;
  while (!over() && targets.size > 0) {
    await ctx.sleep(Math.min(ctx.rng.uniform(0, 400), Math.max(0, deadline - ctx.now())));
    if (over()) return;
    const done = await ctx.invoke({ f: "poll", value: [["poll"]] });
    if (done.type !== "ok") continue;
    const { polled } = maxOffsetsOf({ type: "ok", f: "poll", value: done.value });
    for (const [k, o] of polled) {
      if ((targets.get(k) ?? Infinity) <= o) targets.delete(k);
    }
  }
}

/** Maelstrom's kafka workload (generator, client, crash stream, final polls, checker). */
export const kafkaWorkload: Workload = {
  name: "kafka",
  idempotent: IDEMPOTENT,
  reusableClient: false,
  hasFinalPhase: true,
  timeoutMs: () => 5000,
  statsIgnore: new Set(["crash", "debug-topic-partitions"]),
  generator: (options, rng) => new _KafkaGenerator(options, rng),
  sideStream: (options): SideStream => ({
    // Jepsen staggers crashes by 30/concurrency s: gaps uniform in [0, 60/concurrency).
    nextDelayS: (rng) => rng.uniform(0, 60 / Math.max(1, options.concurrency)),
    next: () => ({ f: "crash", value: null }),
  }),
  client: () => new _KafkaClient(),
  final: _final,
  check: (history) => checkKafka(history),
};
