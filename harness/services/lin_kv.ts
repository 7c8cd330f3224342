/**
 * `lin-kv`: Maelstrom's linearizable key-value store. One map, each request applied atomically in
 * the order the network delivers it, so every read sees the latest write.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import type { Service } from "./service.ts";
import { jsonKey } from "../json_value.ts";
import { evalKv, type Lookup, replyTo } from "./kv_core.ts";

/** The linearizable KV service. */
export class LinKv implements Service {
  readonly id: string;
  readonly #map = new Map<string, unknown>();

  /** @param id The service's node id; defaults to `"lin-kv"`. */
  constructor(id = "lin-kv") {
    this.id = id;
  }

  /** Handles `read`, `write` and `cas`; returns undefined (no reply) for any other type. */
  handle(_src: string, body: Body): Body | undefined {
    const key = jsonKey(body.key);
    const current: Lookup = this.#map.has(key)
      ? { found: true, value: this.#map.get(key) }
      : { found: false };
    const result = evalKv(body, current);
    if (result === undefined) return undefined;
    if (result.set !== undefined) this.#map.set(key, result.set.value);
    return replyTo(body, result.reply);
  }

  /** How many keys are stored (for tests and reports). */
  get size(): number {
    return this.#map.size;
  }
}
