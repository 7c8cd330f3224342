/**
 * The pn-counter workload (Maelstrom's `workload/pn_counter.clj`): the g-counter workload with
 * negative deltas kept (adds of −5…4), checked the same way: every final read must be a possible
 * sum of the adds.
 *
 * @module
 */

import type { Workload } from "./contract.ts";
import { counterWorkload } from "./g_counter.ts";

/** Maelstrom's pn-counter workload. */
export const pnCounterWorkload: Workload = counterWorkload({ name: "pn-counter", growOnly: false });
