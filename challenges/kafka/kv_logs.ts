/**
 * The kafka logs kept in a linearizable KV (Maelstrom's `lin-kv`), as the challenge intends:
 * nodes hold no state, so any node can serve any request and a restart loses nothing.
 *
 * Layout: `log/<key>` holds the key's messages as an array, so a message's offset is its index
 * (offsets are dense: 0, 1, 2, …); `commit/<key>` holds the committed offset. A send appends with
 * read + cas and retries on conflict; lin-kv's linearizability makes the cas the point where the
 * offset is decided, so two sends never get the same offset and a poll never sees a hole.
 * Commits are plain writes: a commit that loses a race may lower the offset, which only makes a
 * fresh assign re-read messages (allowed; it can never skip one).
 *
 * @module
 */

import type { KVClient } from "../../lib/kv.ts";
import { ErrorCode, RPCError } from "../../lib/rpc_error.ts";
import type { OffsetMsg } from "./replicated_log.ts";

/** Options of {@linkcode KvLogs}. */
export interface KvLogsOptions {
  /** Read + cas rounds per send before failing with 11 (default 50). */
  attempts?: number;
}

/** Kafka logs in a linearizable KV. */
export class KvLogs {
  readonly #kv: KVClient;
  readonly #attempts: number;

  /** @param kv A lin-kv client. */
  constructor(kv: KVClient, options: KvLogsOptions = {}) {
    this.#kv = kv;
    this.#attempts = options.attempts ?? 50;
  }

  /**
   * Appends `msg` to `key` and returns its offset.
   *
   * @throws {RPCError} 11 (definite: nothing was appended) when every cas lost a race.
   */
  async send(key: string, msg: unknown): Promise<number> {
    for (let attempt = 0; attempt < this.#attempts; attempt++) {
      const log = await this.#readLog(key);
      try {
        await this.#kv.cas(`log/${key}`, { from: log, to: [...log, msg], createIfNotExists: true });
        return log.length;
      } catch (error) {
        if (!(error instanceof RPCError) || error.code !== ErrorCode.PreconditionFailed) {
          throw error;
        }
      }
    }
    throw new RPCError(ErrorCode.TemporarilyUnavailable, `too much contention on ${key}`);
  }

  /** Every message of each key from its requested offset; empty keys omitted. */
  async poll(offsets: Readonly<Record<string, number>>): Promise<Record<string, OffsetMsg[]>> {
    const entries = await Promise.all(
      Object.entries(offsets).map(async ([key, from]) => {
        const log = await this.#readLog(key);
        const pairs: OffsetMsg[] = [];
        for (let offset = Math.max(0, from); offset < log.length; offset++) {
          pairs.push([offset, log[offset]]);
        }
        return [key, pairs] as const;
      }),
    );
    return Object.fromEntries(entries.filter(([, pairs]) => pairs.length > 0));
  }

  /** Stores committed offsets. */
  async commit(offsets: Readonly<Record<string, number>>): Promise<void> {
    await Promise.all(
      Object.entries(offsets).map(([key, offset]) => this.#kv.write(`commit/${key}`, offset)),
    );
  }

  /** The committed offsets of the keys that have one. */
  async committed(keys: readonly string[]): Promise<Record<string, number>> {
    const found = await Promise.all(keys.map(async (key) => {
      try {
        return [key, await this.#kv.read<number>(`commit/${key}`)] as const;
      } catch (error) {
        if (error instanceof RPCError && error.code === ErrorCode.KeyDoesNotExist) return undefined;
        throw error;
      }
    }));
    return Object.fromEntries(found.filter((e) => e !== undefined));
  }

  async #readLog(key: string): Promise<unknown[]> {
    try {
      const log = await this.#kv.read<unknown>(`log/${key}`);
      if (!Array.isArray(log)) throw new RPCError(ErrorCode.Crash, `log/${key} is not an array`);
      return log;
    } catch (error) {
      if (error instanceof RPCError && error.code === ErrorCode.KeyDoesNotExist) return [];
      throw error;
    }
  }
}
