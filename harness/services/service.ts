/**
 * The contract of an in-harness service, as the network delivers to it.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";

/**
 * An in-harness service (`lin-kv`, `seq-kv`, `lww-kv`, `lin-tso`): a state machine that handles one
 * request at a time in delivery order and returns the reply body, or undefined for no reply
 * (Maelstrom sends none for an unknown type).
 */
export interface Service {
  readonly id: string;
  handle(src: string, body: Body): Body | undefined;
}
