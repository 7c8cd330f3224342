/**
 * The g-counter kept in a sequentially consistent KV (Maelstrom's `seq-kv`), with no state in the
 * node that matters after a restart.
 *
 * Why final reads can't be stale:
 * - Each node owns one key, `count/<node>`, and is its only writer. So there are no cas races
 *   between nodes; a cas fails only if this node's cached value is stale (e.g. after a restart),
 *   and the retry re-reads.
 * - seq-kv serves a node some state at or after the last one it saw, and any request that changes
 *   state is applied to the newest state and moves the node there. A read alone draws a state
 *   between the node's last one and the newest, so it may lag by any number of writes.
 * - So a read first writes a fresh random nonce to `touch/<node>`: that write changes state, the
 *   node jumps to the newest state, and the reads that follow see every add acknowledged before
 *   that write. Final reads run after every add finished, so they see them all.
 * - Reads share that work: with `maxStaleMs`, a read may answer from the last such refresh when
 *   its nonce write was sent less than `maxStaleMs` before the read arrived, so it sees every add
 *   acknowledged before then. Maelstrom's final reads come after 10 s of quiescence, longer than
 *   any `maxStaleMs` the node uses, so they still see every add. With 0, every read refreshes.
 *
 * Restart-safe: the only in-memory value is a cache of the node's own key, dropped on any doubt; a
 * restarted node reads its key back before its first cas. Adds are acknowledged only after their
 * cas succeeded. Concurrent adds on one node are group-committed: one cas per batch.
 *
 * @module
 */

import type { KVClient } from "../../lib/kv.ts";
import { ErrorCode, RPCError } from "../../lib/rpc_error.ts";
import { Batcher } from "./batcher.ts";

/** Options of {@linkcode KvCounter}. */
export interface KvCounterOptions {
  /** Makes a value never written before (tests pin it); defaults to `crypto.randomUUID`. */
  nonce?: () => string;
  /** Cas attempts per batch before giving up with error 11 (default 10). */
  attempts?: number;
  /**
   * How old a refresh (nonce write, then the other nodes' keys) a read may answer from, ms
   * (default 0: every read refreshes).
   */
  maxStaleMs?: number;
  /** The clock `maxStaleMs` is measured on (the node's); defaults to `performance.now`. */
  now?: () => number;
}

/** A refresh: when its nonce write went out, and the other nodes' total it read after. */
interface _Refresh {
  sentAt: number;
  others: Promise<number>;
}

/** The key holding `node`'s own total. */
export function countKey(node: string): string {
  return `count/${node}`;
}

/** A g-counter over a KV: per-node keys written only by their owner, fresh reads via a nonce. */
export class KvCounter {
  readonly #kv: KVClient;
  readonly #self: string;
  readonly #nodes: readonly string[];
  readonly #nonce: () => string;
  readonly #attempts: number;
  /** Our own key's value as last confirmed by a successful cas or read; undefined = unknown. */
  #mine: number | undefined;
  readonly #adds: Batcher<number>;
  readonly #maxStaleMs: number;
  readonly #now: () => number;
  #refresh: _Refresh | undefined;

  /**
   * @param kv The KV client (seq-kv in the challenge).
   * @param self This node's id.
   * @param nodes Every node id (this one included).
   */
  constructor(
    kv: KVClient,
    self: string,
    nodes: readonly string[],
    options: KvCounterOptions = {},
  ) {
    this.#kv = kv;
    this.#self = self;
    this.#nodes = nodes;
    this.#nonce = options.nonce ?? (() => crypto.randomUUID());
    this.#attempts = options.attempts ?? 10;
    this.#maxStaleMs = options.maxStaleMs ?? 0;
    this.#now = options.now ?? (() => performance.now());
    this.#adds = new Batcher((deltas) => this.#commit(deltas.reduce((a, b) => a + b, 0)));
  }

  /**
   * Adds `delta` (≥ 0); resolves once it is stored.
   *
   * @throws {RPCError} 11 when the cas kept failing; the KV's indefinite codes (0, 13) when the
   *   outcome is unknown.
   */
  add(delta: number): Promise<void> {
    if (delta === 0) return Promise.resolve();
    return this.#adds.submit(delta);
  }

  /**
   * Reads the counter: the other nodes' keys as of a refresh (a nonce write to catch up with the
   * newest state, then their keys) sent less than `maxStaleMs` ago, or a new one, plus this node's
   * own total.
   *
   * @throws {RPCError} The KV's codes other than 20 (a missing key counts as 0).
   */
  async read(): Promise<number> {
    const now = this.#now();
    let refresh = this.#refresh;
    if (refresh === undefined || !(now - refresh.sentAt < this.#maxStaleMs)) {
      const fresh: _Refresh = { sentAt: now, others: this.#readOthers() };
      // A failed refresh is not reused.
      fresh.others.catch(() => {
        if (this.#refresh === fresh) this.#refresh = undefined;
      });
      this.#refresh = refresh = fresh;
    }
    const others = await refresh.others;
    return others + (this.#mine ?? await this.#readCount(this.#self));
  }

  async #readOthers(): Promise<number> {
    await this.#kv.write(`touch/${this.#self}`, this.#nonce());
    const others = this.#nodes.filter((node) => node !== this.#self);
    const totals = await Promise.all(others.map((node) => this.#readCount(node)));
    return totals.reduce((a, b) => a + b, 0);
  }

  async #readCount(node: string): Promise<number> {
    try {
      const value = await this.#kv.read<unknown>(countKey(node));
      if (!Number.isInteger(value)) throw new RPCError(ErrorCode.Crash, `bad count ${value}`);
      return value as number;
    } catch (error) {
      if (error instanceof RPCError && error.code === ErrorCode.KeyDoesNotExist) return 0;
      throw error;
    }
  }

  async #commit(sum: number): Promise<void> {
    const key = countKey(this.#self);
    for (let attempt = 0; attempt < this.#attempts; attempt++) {
      const from = this.#mine ?? await this.#readCount(this.#self);
      try {
        await this.#kv.cas(key, { from, to: from + sum, createIfNotExists: from === 0 });
        this.#mine = from + sum;
        return;
      } catch (error) {
        this.#mine = undefined; // whatever happened, re-read before the next cas
        // 22/20: our view was stale (only after a restart); re-read and retry. Anything else is
        // indefinite (the cas may have landed): fail this batch rather than risk counting twice.
        if (!(error instanceof RPCError) || (error.code !== 22 && error.code !== 20)) throw error;
      }
    }
    throw new RPCError(ErrorCode.TemporarilyUnavailable, "cas on own count kept failing");
  }
}
