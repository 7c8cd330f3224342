/**
 * The checkers every Maelstrom test runs besides its workload's: `:stats` (per-`:f` outcome
 * counts), `:availability` (ok fraction against `--availability`) and `:net` (message counts from
 * the journal), plus the quantile map the set-full checker reports.
 *
 * Differences from Maelstrom, on purpose: ok-fraction and msgs-per-op are 64-bit ratios (Maelstrom
 * rounds both to 32-bit floats, so there an ok-fraction of exactly 0.9 compares below a 0.9
 * threshold); nothing else.
 *
 * @module
 */

import type { CheckResult } from "./workloads/contract.ts";
import type { JournalEvent } from "./net/journal.ts";
import type { Op } from "./history.ts";

/** Outcome counts of a group of client completions. */
export interface OutcomeCounts {
  /** At least one `ok`. */
  valid: boolean;
  count: number;
  "ok-count": number;
  "fail-count": number;
  "info-count": number;
}

/** Message counts of one group of journal events (see {@linkcode netStats}). */
export interface NetGroup {
  "send-count": number;
  "recv-count": number;
  /** Distinct message ids. */
  "msg-count": number;
  /** msg-count / client invocations; only in `all` and `servers`, absent when there are none. */
  "msgs-per-op"?: number;
}

/** The `:net` result. */
export interface NetStats {
  valid: true;
  all: NetGroup;
  clients: NetGroup;
  servers: NetGroup;
}

/** The quantiles reported for latencies. */
export type QuantileKey = "0" | "0.5" | "0.95" | "0.99" | "1";

const QUANTILES: readonly [QuantileKey, number][] = [
  ["0", 0],
  ["0.5", 0.5],
  ["0.95", 0.95],
  ["0.99", 0.99],
  ["1", 1],
];

function _isClientOp(op: Op): boolean {
  return op.process !== "nemesis";
}

function _counts(ops: readonly Op[]): OutcomeCounts {
  let ok = 0;
  let fail = 0;
  let info = 0;
  for (const op of ops) {
    if (op.type === "ok") ok++;
    else if (op.type === "fail") fail++;
    else if (op.type === "info") info++;
  }
  return {
    valid: ok > 0,
    count: ops.length,
    "ok-count": ok,
    "fail-count": fail,
    "info-count": info,
  };
}

/**
 * Jepsen's stats checker over client completions (not invocations, not nemesis ops), skipping
 * the `:f`s in `ignore` (kafka's `crash`). Valid iff every `:f` has at least one `ok`, so an
 * empty history is valid.
 *
 * @returns `{valid, count, ok-count, fail-count, info-count, by-f: {f: {valid, …counts}}}` with
 * `by-f` in sorted key order.
 */
export function opStats(
  history: readonly Op[],
  ignore: ReadonlySet<string> = new Set(),
): CheckResult {
  const completions = history.filter((op) =>
    op.type !== "invoke" && _isClientOp(op) && !ignore.has(op.f)
  );
  const groups = new Map<string, Op[]>();
  for (const op of completions) {
    const group = groups.get(op.f);
    if (group === undefined) groups.set(op.f, [op]);
    else group.push(op);
  }
  const byF: Record<string, OutcomeCounts> = {};
  for (const f of [...groups.keys()].sort()) byF[f] = _counts(groups.get(f) ?? []);
  const total = _counts(completions);
  return { ...total, valid: Object.values(byF).every((c) => c.valid), "by-f": byF };
}

/**
 * Maelstrom's availability checker: ok-fraction = client `ok` completions / client invocations
 * (1 when there are none). Always valid when `flag` is undefined; `"total"` requires 1; a number
 * requires ok-fraction ≥ it.
 */
export function availability(
  history: readonly Op[],
  flag: "total" | number | undefined,
): CheckResult {
  let invokes = 0;
  let oks = 0;
  for (const op of history) {
    if (!_isClientOp(op)) continue;
    if (op.type === "invoke") invokes++;
    else if (op.type === "ok") oks++;
  }
  const fraction = invokes === 0 ? 1 : oks / invokes;
  const valid = flag === undefined ? true : flag === "total" ? fraction === 1 : fraction >= flag;
  return { valid, "ok-fraction": fraction };
}

/** Whether a network id is a client (`c…`), as Maelstrom decides it. */
export function isClientId(id: string): boolean {
  return id.startsWith("c");
}

/**
 * Maelstrom's `:net` statistics: per group, sends, receives and distinct message ids. `clients`
 * holds events with a client at either end; `servers` the rest (node↔node and node↔service);
 * `all` everything, init and topology traffic included. msgs-per-op divides msg-count by the
 * number of client invocations in `history`.
 */
export function netStats(journal: Iterable<JournalEvent>, history: readonly Op[]): NetStats {
  const all = new _Group();
  const clients = new _Group();
  const servers = new _Group();
  for (const event of journal) {
    all.add(event);
    (isClientId(event.src) || isClientId(event.dest) ? clients : servers).add(event);
  }
  const ops = history.filter((op) => op.type === "invoke" && _isClientOp(op)).length;
  return {
    valid: true,
    all: all.result(ops),
    clients: clients.result(0),
    servers: servers.result(ops),
  };
}

/**
 * Counts of one group of messages. Every message is journalled as sent exactly once (a delivery
 * is only ever of a sent message, in the same group), so the distinct messages are the sends: no
 * set of ids, which at millions of messages would cost hundreds of megabytes.
 */
class _Group {
  sends = 0;
  recvs = 0;

  add(event: JournalEvent): void {
    if (event.type === "send") this.sends++;
    else this.recvs++;
  }

  /** @param ops Client invocations, or 0 to omit msgs-per-op. */
  result(ops: number): NetGroup {
    const group: NetGroup = {
      "send-count": this.sends,
      "recv-count": this.recvs,
      "msg-count": this.sends,
    };
    if (ops > 0) group["msgs-per-op"] = this.sends / ops;
    return group;
  }
}

/**
 * Jepsen's frequency distribution at 0, 0.5, 0.95, 0.99 and 1: sorted[min(n−1, ⌊n·q⌋)]. Empty
 * input gives `{}`, as in Jepsen, hence the `Partial`.
 */
export function quantiles(values: readonly number[]): Partial<Record<QuantileKey, number>> {
  if (values.length === 0) return {};
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const out: Partial<Record<QuantileKey, number>> = {};
  for (const [key, q] of QUANTILES) out[key] = sorted[Math.min(n - 1, Math.floor(n * q))] as number;
  return out;
}
