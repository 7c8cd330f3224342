/**
 * `seq-kv`: Maelstrom's sequentially consistent key-value store (`sequential` over a persistent
 * map).
 *
 * States S0 (empty) … SL form a timeline; a new state is appended only when a request changes
 * the map. Each requesting node (`src`) has an index c, from 0. A request picks an index i
 * uniformly in [c, L], the newest state included, as Maelstrom does since v0.2.3 ("seq-kv:
 * ensure reads have a chance to catch up to latest state"; before it, i was drawn from [c, L)
 * and a read-only node never saw the last write). If the request leaves S_i unchanged (a read, a failed cas, a write of the current
 * value) its result on S_i is the reply and c becomes i: reads are stale but monotonic per node.
 * Otherwise the request runs on S_L, its result becomes S_{L+1} (appended even when equal) and
 * c = L+1, so a node always sees its own writes. A cas may fail with 20 or 22 against a stale
 * state.
 *
 * Memory: the latest map plus one undo record (key and previous value) per state transition, for
 * the last `versions` (32) states; older states are forgotten. Maelstrom keeps 32 states in a ring
 * buffer whose lookup wraps modulo 32 (a bug: a node more than 32 states behind is served an
 * unrelated, possibly newer state, so its reads can go backwards). `compat: true` reproduces that
 * wrap; by default a node's index is clamped to the oldest kept state instead, which keeps every
 * node's reads monotonic.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import type { Rng } from "../rng.ts";
import type { Service } from "./service.ts";
import { jsonKey } from "../json_value.ts";
import { changes, evalKv, KV_TYPES, type KvEval, type Lookup, replyTo } from "./kv_core.ts";

/** Options of {@linkcode SeqKv}. */
export interface SeqKvOptions {
  /** The service's node id; defaults to `"seq-kv"`. */
  id?: string;
  /** How many states are kept (Maelstrom: 32). */
  versions?: number;
  /** Reproduce Maelstrom's modulo wrap for nodes more than `versions` states behind. */
  compat?: boolean;
}

interface _Undo {
  key: string;
  had: boolean;
  prev: unknown;
}

/** The sequentially consistent KV service. */
export class SeqKv implements Service {
  readonly id: string;
  readonly #rng: Rng;
  readonly #versions: number;
  readonly #compat: boolean;
  readonly #latest = new Map<string, unknown>();
  /** Slot `v % versions` undoes the step from state v−1 to state v. */
  readonly #undo: (_Undo | undefined)[];
  readonly #clients = new Map<string, number>();
  #last = 0;

  /**
   * @param rng The source of the per-request state choice.
   * @throws {RangeError} When `versions` is not a positive integer.
   */
  constructor(rng: Rng, options: SeqKvOptions = {}) {
    const versions = options.versions ?? 32;
    if (!Number.isInteger(versions) || versions < 1) {
      throw new RangeError(`versions must be a positive integer, got ${versions}`);
    }
    this.id = options.id ?? "seq-kv";
    this.#rng = rng;
    this.#versions = versions;
    this.#compat = options.compat ?? false;
    this.#undo = new Array<_Undo | undefined>(versions).fill(undefined);
  }

  /** Handles `read`, `write` and `cas`; returns undefined (no reply) for any other type. */
  handle(src: string, body: Body): Body | undefined {
    if (!KV_TYPES.has(body.type)) return undefined;
    const key = jsonKey(body.key);
    const last = this.#last;
    const c = this.#clients.get(src) ?? 0;
    const lo = this.#compat ? c : Math.max(c, this.oldestVersion);
    const i = lo + this.#rng.int(last - lo + 1);
    // The ring buffer's negative lookup wraps modulo its size; without compat, L − i < versions.
    const served = last - ((last - i) % this.#versions);
    const current = this.#lookup(key, served);
    const result = evalKv(body, current) as KvEval;
    if (!changes(result, current)) {
      this.#clients.set(src, i);
      return replyTo(body, result.reply);
    }
    const newest = this.#lookup(key, last);
    const applied = evalKv(body, newest) as KvEval;
    this.#append(key, newest, applied);
    this.#clients.set(src, this.#last);
    return replyTo(body, applied.reply);
  }

  /** The index L of the newest state. */
  get lastVersion(): number {
    return this.#last;
  }

  /** The index of the oldest state still kept. */
  get oldestVersion(): number {
    return Math.max(0, this.#last - this.#versions + 1);
  }

  /** How many states are kept (at most `versions`). */
  get retainedVersions(): number {
    return this.#last - this.oldestVersion + 1;
  }

  /** How many undo records are held (bounded by `versions`). */
  get undoRecords(): number {
    return this.#undo.filter((u) => u !== undefined).length;
  }

  /** The value of `key` (canonical JSON) in state `version`, which must be kept. */
  #lookup(key: string, version: number): Lookup {
    let found: Lookup = this.#latest.has(key)
      ? { found: true, value: this.#latest.get(key) }
      : { found: false };
    // Walk back from the newest step; the earliest step after `version` touching key wins.
    for (let v = this.#last; v > version; v--) {
      const undo = this.#undo[v % this.#versions];
      if (undo !== undefined && undo.key === key) {
        found = undo.had ? { found: true, value: undo.prev } : { found: false };
      }
    }
    return found;
  }

  #append(key: string, before: Lookup, applied: KvEval): void {
    this.#last++;
    this.#undo[this.#last % this.#versions] = {
      key,
      had: before.found,
      prev: before.found ? before.value : undefined,
    };
    if (applied.set !== undefined) this.#latest.set(key, applied.set.value);
  }
}
