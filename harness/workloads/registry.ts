/**
 * Workloads by their `-w` name.
 *
 * @module
 */

import type { Workload } from "./contract.ts";
import { broadcastWorkload } from "./broadcast.ts";
import { echoWorkload } from "./echo.ts";
import { gCounterWorkload } from "./g_counter.ts";
import { gSetWorkload } from "./g_set.ts";
import { pnCounterWorkload } from "./pn_counter.ts";
import { kafkaWorkload } from "./kafka.ts";
import { linKvWorkload } from "./lin_kv.ts";
import { uniqueIdsWorkload } from "./unique_ids.ts";
import { txnListAppendWorkload } from "./txn_list_append.ts";
import { txnRwRegisterWorkload } from "./txn_rw_register.ts";

/** Every workload the harness can run, keyed by name. */
export const workloads: ReadonlyMap<string, Workload> = new Map(
  [
    echoWorkload,
    uniqueIdsWorkload,
    broadcastWorkload,
    gCounterWorkload,
    gSetWorkload,
    pnCounterWorkload,
    kafkaWorkload,
    linKvWorkload,
    txnRwRegisterWorkload,
    txnListAppendWorkload,
  ].map((w) => [w.name, w]),
);
