/**
 * The four in-harness services every Maelstrom test runs: `lin-kv`, `seq-kv`, `lww-kv` and
 * `lin-tso`. Pure state machines: the engine delivers requests to {@linkcode Service.handle} in
 * delivery order, sends back the returned body, and logs a warning (no reply) when it returns
 * undefined.
 *
 * @module
 */

import type { Rng } from "../rng.ts";
import type { Service } from "./service.ts";
import { LinKv } from "./lin_kv.ts";
import { LinTso } from "./lin_tso.ts";
import { LwwKv } from "./lww_kv.ts";
import { SeqKv } from "./seq_kv.ts";

export { LinKv } from "./lin_kv.ts";
export { LinTso } from "./lin_tso.ts";
export { LwwKv, type LwwKvOptions } from "./lww_kv.ts";
export { SeqKv, type SeqKvOptions } from "./seq_kv.ts";

/** The ids of the services, in Maelstrom's order. */
export const SERVICE_IDS: readonly string[] = ["lin-kv", "seq-kv", "lww-kv", "lin-tso"];

/** Options of {@linkcode createServices}. */
export interface ServicesOptions {
  /** Reproduce Maelstrom's seq-kv ring-buffer wrap (see `seq_kv.ts`). Defaults to false. */
  compat?: boolean;
}

/**
 * Creates fresh instances of all four services. seq-kv and lww-kv each get their own fork of
 * `rng`, so one service's traffic does not shift the other's choices.
 */
export function createServices(rng: Rng, options: ServicesOptions = {}): Service[] {
  const seqRng = rng.fork();
  const lwwRng = rng.fork();
  return [
    new LinKv(),
    new SeqKv(seqRng, { compat: options.compat ?? false }),
    new LwwKv(lwwRng),
    new LinTso(),
  ];
}
