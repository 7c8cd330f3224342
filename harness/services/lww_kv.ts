/**
 * `lww-kv`: Maelstrom's "eventually consistent" key-value store (`eventual` over `LWWKV`).
 *
 * Two replicas, each a map of key → `{ts, value}` and a Lamport clock from 0. Each request goes
 * to a uniformly random replica; a write or a successful cas stores `{ts: clock, value}` and bumps
 * that replica's clock. cas ignores `create_if_not_exists` (20 on a missing key), and its 22 text
 * prints `from` with Clojure's `str` (strings unquoted).
 *
 * Maelstrom also computes a last-write-wins merge of one random replica into another on every
 * request, then discards it (the replica vector is rebound from the unmerged value), so the
 * replicas never converge: after writes of A then B, reads keep returning A, B or 20 depending on
 * the replica drawn. That is Maelstrom's observable behaviour, so it is the default here;
 * `merge: true` applies the merge (higher ts wins, ties keep the merge source) before each request.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import type { Rng } from "../rng.ts";
import type { Service } from "./service.ts";
import { jsonKey } from "../json_value.ts";
import { evalKv, type Lookup, replyTo } from "./kv_core.ts";

/** Options of {@linkcode LwwKv}. */
export interface LwwKvOptions {
  /** The service's node id; defaults to `"lww-kv"`. */
  id?: string;
  /** How many replicas (Maelstrom: 2). */
  replicas?: number;
  /** Actually apply the per-request merge (Maelstrom discards it). Defaults to false. */
  merge?: boolean;
}

interface _Entry {
  ts: number;
  value: unknown;
}

interface _Replica {
  clock: number;
  map: Map<string, _Entry>;
}

/** The last-write-wins KV service. */
export class LwwKv implements Service {
  readonly id: string;
  readonly #rng: Rng;
  readonly #merge: boolean;
  readonly #replicas: _Replica[];

  /**
   * @param rng The source of replica choices.
   * @throws {RangeError} When `replicas` is not a positive integer.
   */
  constructor(rng: Rng, options: LwwKvOptions = {}) {
    const count = options.replicas ?? 2;
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`replicas must be a positive integer, got ${count}`);
    }
    this.id = options.id ?? "lww-kv";
    this.#rng = rng;
    this.#merge = options.merge ?? false;
    this.#replicas = Array.from({ length: count }, () => ({ clock: 0, map: new Map() }));
  }

  /** Handles `read`, `write` and `cas`; returns undefined (no reply) for any other type. */
  handle(_src: string, body: Body): Body | undefined {
    if (this.#merge) {
      const source = this.#replica(this.#rng.int(this.#replicas.length));
      const dest = this.#replica(this.#rng.int(this.#replicas.length));
      if (source !== dest) _mergeInto(source, dest);
    }
    const replica = this.#replica(this.#rng.int(this.#replicas.length));
    const key = jsonKey(body.key);
    const entry = replica.map.get(key);
    const current: Lookup = entry === undefined
      ? { found: false }
      : { found: true, value: entry.value };
    const result = evalKv(body, current, { casCreates: false, fromText: "str" });
    if (result === undefined) return undefined;
    if (result.set !== undefined) {
      replica.map.set(key, { ts: replica.clock, value: result.set.value });
      replica.clock++;
    }
    return replyTo(body, result.reply);
  }

  /** Each replica's value of `key` (a JSON value), or undefined where it is missing. */
  replicaValues(key: unknown): unknown[] {
    const k = jsonKey(key);
    return this.#replicas.map((r) => r.map.get(k)?.value);
  }

  #replica(index: number): _Replica {
    const replica = this.#replicas[index];
    if (replica === undefined) throw new RangeError(`No replica ${index}`);
    return replica;
  }
}

/** Merges `source` into `dest`: Lamport max of clocks; per key the higher ts wins, ties keep source. */
function _mergeInto(source: _Replica, dest: _Replica): void {
  dest.clock = Math.max(dest.clock, source.clock);
  for (const [key, entry] of source.map) {
    const mine = dest.map.get(key);
    if (mine === undefined || mine.ts <= entry.ts) dest.map.set(key, entry);
  }
}
