/**
 * The unique-ids workload (Maelstrom's `workload/unique_ids.clj` with Jepsen's `unique-ids`
 * checker): clients ask any node to `generate` an id; every acknowledged id must be distinct.
 *
 * @module
 */

import { withErrors } from "../op_errors.ts";
import type { CheckResult, Workload } from "./contract.ts";
import type { Op } from "../history.ts";
import { expectReply, isAny } from "./closed_reply.ts";
import { compareJson, jsonKey } from "../json_value.ts";

const _IDEMPOTENT: ReadonlySet<string> = new Set();

/** How many duplicated ids the report lists (Jepsen keeps the 48 most repeated). */
const _DUPLICATES_SHOWN = 48;

/**
 * Checks that no acknowledged id repeats. Ids are equal by JSON content, so `1` and `"1"` are two
 * ids. Like Jepsen, the checker also computes the `[lowest, highest]` range with Clojure's ordering;
 * ids it can't order (objects, or a mix of strings and numbers) make Maelstrom's checker throw, so
 * the result here is `valid: "unknown"` with an `error`.
 *
 * @returns `{ valid, attempted-count, acknowledged-count, duplicated-count, duplicated, range }`;
 * `duplicated` maps the JSON text of an id to how many times it was acknowledged.
 */
export function checkUniqueIds(history: readonly Op[]): CheckResult {
  let attempted = 0;
  const acks: unknown[] = [];
  for (const op of history) {
    if (op.f !== "generate") continue;
    if (op.type === "invoke") attempted++;
    else if (op.type === "ok") acks.push(op.value);
  }
  const counts = new Map<string, { id: unknown; count: number }>();
  let range: [unknown, unknown] | null = null;
  try {
    for (const id of acks) {
      const key = jsonKey(id);
      const entry = counts.get(key);
      if (entry === undefined) counts.set(key, { id, count: 1 });
      else entry.count++;
      if (range === null) range = [id, id];
      else {
        if (compareJson(id, range[0]) < 0) range[0] = id;
        if (compareJson(id, range[1]) > 0) range[1] = id;
      }
    }
  } catch (error) {
    return {
      valid: "unknown",
      error: `Checker threw: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const dups = [...counts.values()].filter((e) => e.count > 1);
  const shown = [...dups].sort((a, b) => b.count - a.count).slice(0, _DUPLICATES_SHOWN)
    .sort((a, b) => compareJson(a.id, b.id));
  const duplicated: Record<string, number> = {};
  for (const e of shown) duplicated[jsonKey(e.id)] = e.count;
  return {
    valid: dups.length === 0,
    "attempted-count": attempted,
    "acknowledged-count": acks.length,
    "duplicated-count": dups.length,
    duplicated,
    range,
  };
}

/** Maelstrom's unique-ids workload: `generate` → `generate_ok {id}`, reusable clients. */
export const uniqueIdsWorkload: Workload = {
  name: "unique-ids",
  idempotent: _IDEMPOTENT,
  reusableClient: true,
  hasFinalPhase: false,
  timeoutMs: () => 5000,
  generator: () => ({ next: () => ({ f: "generate", value: null }) }),
  client: () => ({
    invoke: (op, conn) =>
      withErrors(op, _IDEMPOTENT, async () => {
        const reply = await conn.rpc({ type: "generate" });
        expectReply(reply, "generate_ok", { id: isAny });
        return { type: "ok", value: reply.id };
      }),
  }),
  check: (history) => checkUniqueIds(history),
};
