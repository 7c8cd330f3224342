/**
 * A short human summary of a run's results, printed after every run. It always shows the seed so
 * a failure can be replayed with `--seed`.
 *
 * @module
 */

import { isRecord } from "../lib/message.ts";
import type { Op } from "./history.ts";
import { explainRun } from "./checkers/explain/mod.ts";

/** What {@linkcode formatSummary} reads. */
export interface SummaryInput {
  results: Record<string, unknown>;
  storePath: string;
  seed: number;
  history: readonly Op[];
}

/** Fields worth showing when a checker fails (those present and non-empty are shown). */
const KEY_FIELDS = [
  "error",
  "harness-error",
  "lost-count",
  "duplicated-count",
  "never-read-count",
  "anomaly-types",
  "bad-error-types",
  "errors",
  "failures",
  "ok-fraction",
  "final-read-missing",
];

function _short(value: unknown): string {
  if (Array.isArray(value) && value.length > 3) {
    return `${value.length} (first: ${JSON.stringify(value.slice(0, 3))})`;
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function _num(value: unknown, digits = 2): string {
  return typeof value === "number" ? value.toFixed(digits) : "-";
}

/** Why a checker failed, e.g. `workload (lost-count 3)` or `stats (read: no ok)`. */
export function failureReason(name: string, result: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of KEY_FIELDS) {
    const value = result[key];
    if (value === undefined || value === 0 || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    parts.push(`${key} ${_short(value)}`);
  }
  const byF = result["by-f"];
  if (isRecord(byF)) {
    for (const [f, counts] of Object.entries(byF)) {
      if (isRecord(counts) && counts.valid === false) parts.push(`${f}: no ok`);
    }
  }
  return parts.length === 0 ? name : `${name} (${parts.join(", ")})`;
}

/**
 * The `warnings` of every checker in `results`, each prefixed with its checker's name: findings
 * of checks Maelstrom does not make, which do not change the verdict unless `--strict`.
 */
export function checkerWarnings(results: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, checker] of Object.entries(results)) {
    if (!isRecord(checker) || !Array.isArray(checker.warnings)) continue;
    for (const warning of checker.warnings) out.push(`${name}: ${String(warning)}`);
  }
  return out;
}

/**
 * `rate: 805 ops/s achieved of 1000 requested`, from `achieved-rate` and `options.rate`, or
 * undefined when the run has no achieved rate (it stopped before its main phase).
 */
export function achievedRateLine(results: Record<string, unknown>): string | undefined {
  const achieved = results["achieved-rate"];
  if (typeof achieved !== "number") return undefined;
  const requested = isRecord(results.options) ? results.options.rate : undefined;
  const shown = achieved >= 100 ? achieved.toFixed(0) : achieved.toFixed(1);
  const line = `rate: ${shown} ops/s achieved` +
    (typeof requested === "number" ? ` of ${requested} requested` : "");
  if (typeof requested !== "number" || requested <= 0 || achieved >= 0.95 * requested) return line;
  const share = `${Math.round(achieved / requested * 100)} %`;
  const why = rateShortfall(results);
  return `${line} (${why === undefined ? share : `${share}: ${why}`})`;
}

/**
 * Why a run achieved less than 95 % of `--rate`, from the `stagger` section of the results;
 * undefined when there is none. Uniform gaps in [0, 2/rate) make the count over T seconds vary
 * with a standard deviation of about √(T·rate/3) ops, so a shortfall within three of those is
 * chance, and said to be.
 */
export function rateShortfall(results: Record<string, unknown>): string | undefined {
  if (!isRecord(results.stagger)) return undefined;
  const s = results.stagger;
  const duration = typeof s["duration-ms"] === "number" ? s["duration-ms"] : 0;
  const workerWait = typeof s["worker-wait-ms"] === "number" ? s["worker-wait-ms"] : 0;
  const lag = typeof s["lag-ms"] === "number" ? s["lag-ms"] : 0;
  const ops = typeof s.ops === "number" ? s.ops : 0;
  const options = isRecord(results.options) ? results.options : {};
  const concurrency = options.concurrency;
  const rate = typeof options.rate === "number" ? options.rate : 0;
  const expected = (duration / 1000) * rate;
  if (expected - ops <= 3 * Math.sqrt(expected / 3)) {
    return `within the stagger's randomness over ${Math.round(expected)} expected ops`;
  }
  if (duration > 0 && workerWait > 0.05 * duration) {
    return `every one of the ${concurrency ?? "?"} client threads was waiting on a reply for ` +
      `${(workerWait / 1000).toFixed(1)} s of the ${(duration / 1000).toFixed(1)} s: the nodes' ` +
      `latency times --concurrency caps the rate`;
  }
  const perOp = ops > 0 ? lag / ops : 0;
  return `each op was issued ${perOp.toFixed(2)} ms after it was due on average, and Jepsen's ` +
    `stagger never catches up (Maelstrom also issues ~80–90 % at rate 1000); a busy harness ` +
    `or machine lags more`;
}

/** The share of `--latency` beyond which the machine's own delay is called out. */
const _MACHINE_SHARE = 0.1;

/**
 * Warnings when the machine, not the simulated network, adds a noticeable part of the latency a
 * run measures: node links slower on average than `--latency` by more than 10 % of it, or nodes
 * whose median reply turnaround (`net.node-reply-turnaround`) is more than 10 % of it. Every hop
 * of a multi-hop design pays both, so its latencies read higher here than on an idle machine.
 */
export function machineWarnings(results: Record<string, unknown>): string[] {
  const latency = isRecord(results.options) ? results.options.latency : undefined;
  const net = isRecord(results.net) ? results.net : {};
  if (typeof latency !== "number" || latency <= 0) return [];
  const out: string[] = [];
  const limit = _MACHINE_SHARE * latency;
  const observed = net["latency-observed"];
  if (isRecord(observed) && typeof observed.mean === "number" && (observed.count as number) > 0) {
    const extra = observed.mean - latency;
    if (extra > limit) {
      out.push(
        `warning: node links took ${extra.toFixed(1)} ms beyond --latency ${latency} on average ` +
          `(the harness or machine was busy); latencies here include it`,
      );
    }
  }
  const reply = net["node-reply-turnaround"];
  if (isRecord(reply) && typeof reply.median === "number" && reply.median > limit) {
    out.push(
      `warning: nodes took ${reply.median.toFixed(1)} ms (median) from their latest message to a ` +
        `reply, over ${Math.round(_MACHINE_SHARE * 100)} % of --latency ${latency}; each hop of ` +
        `a multi-hop design adds it`,
    );
  }
  return out;
}

/**
 * `final reads: 1169 keys × 2 nodes, 0 lost writes`, from the txn checker's `final-reads`
 * (`--final-reads`), or undefined without one; lost writes and unread keys are spelled out.
 */
export function finalReadsLine(finals: unknown): string | undefined {
  if (!isRecord(finals)) return undefined;
  const keys = finals["key-count"];
  const reads = finals["read-count"];
  const lost = finals["lost-write-count"];
  const unread = finals["unread-count"];
  let line = `final reads: ${keys} keys, ${reads} reads, ${lost} lost writes`;
  if (typeof lost === "number" && lost > 0) line += " (lost-write: fatal with --final-reads)";
  if (typeof unread === "number" && unread > 0) line += `; ${unread} node/key pairs never read`;
  return line;
}

/** Renders the summary as a few lines of text. */
export function formatSummary(input: SummaryInput): string {
  const { results } = input;
  const workload = results.workload;
  return [
    ..._verdictLines(results, input.history),
    ..._opsLines(input.history),
    achievedRateLine(results),
    _malformedLine(results["malformed-stdout"]),
    ..._nemesisLines(results.nemesis),
    ..._netLines(results),
    isRecord(workload) ? _stableLatencyLine(workload["stable-latencies"]) : undefined,
    isRecord(workload) ? finalReadsLine(workload["final-reads"]) : undefined,
    isRecord(results.availability)
      ? `availability: ok-fraction ${_num(results.availability["ok-fraction"], 4)}`
      : undefined,
    _harnessLine(results.harness),
    `store: ${input.storePath}`,
    `seed: ${input.seed} (replay with --seed ${input.seed})`,
  ].filter((line) => line !== undefined).join("\n");
}

/** The verdict with every failing checker's reason, the strict mode, and the warnings. */
function _verdictLines(
  results: SummaryInput["results"],
  history: SummaryInput["history"],
): string[] {
  const reasons: string[] = [];
  for (const name of ["workload", "stats", "availability", "net"]) {
    const checker = results[name];
    if (isRecord(checker) && checker.valid !== true) reasons.push(failureReason(name, checker));
  }
  if (typeof results["harness-error"] === "string") {
    reasons.push(`harness: ${results["harness-error"]}`);
  }
  const valid = results.valid;
  const verdict = valid === true ? "VALID" : valid === false ? "INVALID" : "UNKNOWN";
  const lines = [reasons.length === 0 ? verdict : `${verdict}: ${reasons.join("; ")}`];
  // What is wrong, as the report's first screen says it: the first few sentences (kept in the
  // results by the run; explained here for results that lack them).
  const findings = Array.isArray(results.findings)
    ? results.findings.map(String)
    : explainRun(results, history).map((f) => f.text);
  for (const finding of findings.slice(0, 3)) lines.push(`  ${finding}`);
  if (findings.length > 3) lines.push(`  … ${findings.length - 3} more in report.html`);
  if (results.strict === true) lines.push("strict: checks beyond Maelstrom's are fatal (--strict)");
  for (const warning of checkerWarnings(results)) lines.push(`warning: ${warning}`);
  return lines;
}

/** Client operations by outcome, and the nemesis's. */
function _opsLines(history: SummaryInput["history"]): string[] {
  const counts = { invoke: 0, ok: 0, fail: 0, info: 0 };
  for (const op of history) if (op.process !== "nemesis") counts[op.type]++;
  const nemesisOps = history.filter((op) => op.process === "nemesis").length;
  return [
    `ops: ${counts.invoke} invoked, ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info` +
    (nemesisOps > 0 ? `; ${nemesisOps} nemesis ops` : ""),
  ];
}

function _malformedLine(malformed: unknown): string | undefined {
  if (!isRecord(malformed)) return undefined;
  const counts = Object.entries(malformed).map(([node, m]) =>
    `${node} ${isRecord(m) ? m.count : "?"}`
  );
  return `malformed stdout lines dropped: ${counts.join(", ")} (examples in results.json)`;
}

/** What the kill and pause nemeses did. */
function _nemesisLines(nemesis: unknown): string[] {
  if (!isRecord(nemesis)) return [];
  const lines: string[] = [];
  const nodes = (list: unknown, verb: string) => {
    const ids = Array.isArray(list) ? list.map(String) : [];
    const shown = ids.length > 8 ? [...ids.slice(0, 8), "..."] : ids;
    return shown.length === 0 ? "" : ` (${verb} ${shown.join(", ")})`;
  };
  if (typeof nemesis.kills === "number") {
    const dropped = nemesis["dropped-to-dead"];
    lines.push(
      `kill nemesis: ${nemesis.kills} kills, ${nemesis.restarts} restarts` +
        nodes(nemesis.killed, "killed") +
        (typeof dropped === "number" ? `; ${dropped} msgs dropped at dead nodes` : ""),
    );
  }
  if (typeof nemesis.pauses === "number") {
    lines.push(
      `pause nemesis: ${nemesis.pauses} pauses, ${nemesis.resumes} resumes` +
        nodes(nemesis.paused, "paused"),
    );
  }
  return lines;
}

/** Messages per op, the observed link latency and reply turnaround, and the machine's warnings. */
function _netLines(results: SummaryInput["results"]): string[] {
  const net = results.net;
  if (!isRecord(net) || !isRecord(net.all) || !isRecord(net.servers)) return [];
  const lines = [
    `msgs/op: all ${_num(net.all["msgs-per-op"])}, servers ${_num(net.servers["msgs-per-op"])}` +
    ` (${net.all["msg-count"]} msgs)`,
  ];
  const observed = net["latency-observed"];
  if (isRecord(observed) && typeof observed.count === "number" && observed.count > 0) {
    lines.push(
      `node link latency observed (ms): mean ${_num(observed.mean)}, min ${_num(observed.min)},` +
        ` max ${_num(observed.max)} over ${observed.count} msgs`,
    );
  }
  const reply = net["node-reply-turnaround"];
  if (isRecord(reply) && typeof reply.count === "number" && reply.count > 0) {
    lines.push(
      `node reply turnaround (ms): median ${_num(reply.median)}, p99 ${_num(reply.p99)}, max ` +
        `${_num(reply.max)} over ${reply.count} replies`,
    );
  }
  return [...lines, ...machineWarnings(results)];
}

function _stableLatencyLine(q: unknown): string | undefined {
  if (!isRecord(q)) return undefined;
  return `stable latencies (ms): median ${q["0.5"] ?? "-"}, p95 ${q["0.95"] ?? "-"}, max ${
    q["1"] ?? "-"
  }`;
}

function _harnessLine(harness: unknown): string | undefined {
  if (!isRecord(harness)) return undefined;
  const post = harness["post-processing-ms"];
  const rss = harness["peak-rss-mib"];
  return `harness cpu: ${harness["cpu-user-ms"]} ms user + ${harness["cpu-system-ms"]} ms sys ` +
    `over ${harness["wall-ms"]} ms` +
    (typeof post === "number" ? `; post-processing ${post} ms` : "") +
    (typeof rss === "number" ? `; peak RSS ${rss} MiB` : "");
}
