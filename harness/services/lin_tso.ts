/**
 * `lin-tso`: Maelstrom's timestamp oracle. `ts` → `ts_ok {ts}` with 0, 1, 2, … in delivery order.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import type { Service } from "./service.ts";
import { replyTo } from "./kv_core.ts";

/** The timestamp oracle service. */
export class LinTso implements Service {
  readonly id: string;
  #next = 0;

  /** @param id The service's node id; defaults to `"lin-tso"`. */
  constructor(id = "lin-tso") {
    this.id = id;
  }

  /** Answers `ts` with the next timestamp; returns undefined (no reply) for any other type. */
  handle(_src: string, body: Body): Body | undefined {
    if (body.type !== "ts") return undefined;
    return replyTo(body, { type: "ts_ok", ts: this.#next++ });
  }
}
