/**
 * `report.html`: one self-contained page per run (no network at view time) with the verdict and
 * its reasons, the plots, and the anomalies the checkers found.
 *
 * @module
 */

import { pairOps } from "../history.ts";
import { checkerWarnings } from "../summary.ts";
import type { JournalEvent } from "../net/journal.ts";
import type { Op } from "../history.ts";
import {
  latencyDistributionPlot,
  latencyQuantilesPlot,
  latencyRawPlot,
  ratePlot,
} from "./plots.ts";
import { escapeXml } from "./svg.ts";
import { isRecord } from "../../lib/message.ts";
import { processTimeline } from "./timeline.ts";
import { DIAGRAM_STYLE, messageDiagram } from "./diagram.ts";
import { diagramData } from "./diagram_data.ts";
import { findingsSection } from "./findings.ts";
import { messageRatePlot, messagesPerNodePlot } from "./message_plots.ts";
import { workloadPlots } from "./workload_plots.ts";
import { explainRun, type Finding } from "../checkers/explain/mod.ts";

/** What a report is made from. */
export interface ReportInput {
  /** The run's `results.json` object. */
  results: Record<string, unknown>;
  history: readonly Op[];
  journal: Iterable<JournalEvent>;
  /** A one-line description of the run (workload, bin, flags). */
  title: string;
  /** Message bodies by the network's id, for hovering in the diagram (`readBodies`). */
  bodies?: ReadonlyMap<number, string>;
  /** What is wrong ({@linkcode explainRun}), when the caller has it already. */
  findings?: readonly Finding[];
}

/** Checker sections of results.json, in the order the page lists them. */
const SECTIONS = ["workload", "stats", "availability", "exceptions", "net"] as const;

/** Workload fields that hold anomalies or their examples. */
const ANOMALY_FIELDS = [
  "errors",
  "lost",
  "duplicated",
  "anomalies",
  "anomaly-types",
  "bad-error-types",
  "worst-stale",
  "never-read",
  "error",
];

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.keys(value).length === 0;
  return false;
}

function json(value: unknown, limit = 4000): string {
  const text = JSON.stringify(value, null, 2) ?? "null";
  return escapeXml(
    text.length > limit
      ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters)`
      : text,
  );
}

/** The reasons a run is not valid: each checker section whose `valid` is not true. */
export function verdictReasons(results: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  for (const name of SECTIONS) {
    const section = results[name];
    if (isRecord(section) && "valid" in section && section.valid !== true) {
      const detail = isRecord(section) && typeof section.error === "string"
        ? `: ${section.error}`
        : "";
      reasons.push(`${name} is ${String(section.valid)}${detail}`);
    }
  }
  if (typeof results.error === "string") reasons.push(results.error);
  return reasons;
}

function anomalies(results: Record<string, unknown>, history: readonly Op[]): string {
  const workload = results.workload;
  if (!isRecord(workload)) return "";
  const rows: string[] = [];
  for (const field of ANOMALY_FIELDS) {
    if (!isEmpty(workload[field])) {
      rows.push(`<h3>${escapeXml(field)}</h3><pre>${json(workload[field])}</pre>`);
    }
  }
  for (const [field, value] of Object.entries(workload)) {
    if (isRecord(value) && "errs" in value && !isEmpty(value.errs)) {
      rows.push(`<h3>${escapeXml(field)}</h3><pre>${json(value)}</pre>`);
    }
  }
  const failed = pairOps(history).filter((p) => p.complete && p.complete.type !== "ok").slice(
    0,
    20,
  );
  if (failed.length > 0) {
    const lines = failed.map(({ invoke, complete }) =>
      `${invoke.index}\tprocess ${invoke.process}\t${invoke.f}\t${
        JSON.stringify(invoke.value)
      }\t→ ` +
      `${complete?.type} ${JSON.stringify(complete?.error ?? complete?.value)}`
    );
    rows.push(
      `<h3>first operations that did not complete ok</h3><pre>${escapeXml(lines.join("\n"))}</pre>`,
    );
  }
  return rows.length === 0 ? "<p>None found.</p>" : rows.join("");
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:960px}
.verdict{font-size:20px;padding:10px 14px;border-radius:6px}.valid{background:#dff3e4}.invalid{background:#f8d7da}
.unknown{background:#fff3cd}figure{margin:18px 0}figcaption{font-weight:600;margin-bottom:4px}
svg.plot{background:#fff;border:1px solid #ddd}svg text{font-size:11px;fill:#333}.grid{stroke:#eee}
.axis{stroke:#888}.partition{fill:#d1495b;opacity:.12}.down{fill:#4062bb;opacity:.12}.lane{stroke:#ccc}.msg{stroke:#555;stroke-width:.8}
.dropped{stroke:#d1495b;stroke-dasharray:3 2}pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:320px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
#findings{background:#fdf0f1;border-left:4px solid #d1495b;padding:4px 14px}#findings li{margin:4px 0}
${DIAGRAM_STYLE}`;

/**
 * A tiny self-check run by the browser: counts plots with a non-zero size into
 * `data-plots-rendered` on `<body>`, so a headless test can tell the page drew them.
 */
const SELF_CHECK = `addEventListener("load",()=>{const n=[...document.querySelectorAll("svg.plot")]
.filter(s=>{const r=s.getBoundingClientRect();return r.width>0&&r.height>0}).length;
document.body.dataset.plotsRendered=String(n)});`;

/** A figure as a person reads it: numbers to 4 significant digits, maps as `key: value` pairs. */
export function readable(value: unknown): string {
  if (value === undefined || value === null) return "-";
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    // Quantile maps: JavaScript lists "0" and "1" before "0.5", so order numeric keys by value.
    if (entries.every(([key]) => key !== "" && Number.isFinite(Number(key)))) {
      entries.sort(([a], [b]) => Number(a) - Number(b));
    }
    return entries.map(([key, v]) => `${key}: ${readable(v)}`).join(", ");
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

function summaryTable(results: Record<string, unknown>): string {
  const net = isRecord(results.net) ? results.net : {};
  const row = (label: string, value: unknown) =>
    `<tr><th>${escapeXml(label)}</th><td>${escapeXml(readable(value))}</td></tr>`;
  const stats = isRecord(results.stats) ? results.stats : {};
  const all = isRecord(net.all) ? net.all : {};
  const servers = isRecord(net.servers) ? net.servers : {};
  const workload = isRecord(results.workload) ? results.workload : {};
  const options = isRecord(results.options) ? results.options : {};
  const achieved = results["achieved-rate"];
  return `<table>${row("operations", stats.count)}${
    typeof achieved === "number"
      ? row("rate (ops/s)", `${readable(achieved)} achieved of ${readable(options.rate)} requested`)
      : ""
  }${
    row(
      "ok / fail / info",
      `${stats["ok-count"]} / ${stats["fail-count"]} / ${stats["info-count"]}`,
    )
  }${row("msgs/op (all)", all["msgs-per-op"])}${row("msgs/op (servers)", servers["msgs-per-op"])}${
    row(
      "availability",
      isRecord(results.availability) ? results.availability["ok-fraction"] : undefined,
    )
  }${
    workload["stable-latencies"] ? row("stable latencies (ms)", workload["stable-latencies"]) : ""
  }${row("observed link latency", net["latency-observed"])}${
    isRecord(results["malformed-stdout"])
      ? row(
        "malformed stdout lines dropped",
        Object.fromEntries(
          Object.entries(results["malformed-stdout"]).map(([node, m]) => [
            node,
            isRecord(m) ? m.count : m,
          ]),
        ),
      )
      : ""
  }</table>`;
}

/**
 * The checkers' warnings (checks Maelstrom does not make), and whether `--strict` made them
 * fatal; empty when there are none.
 */
export function warningList(results: Record<string, unknown>): string {
  const warnings = checkerWarnings(results);
  if (warnings.length === 0) return "";
  const how = results.strict === true
    ? "Beyond Maelstrom's checks, fatal under --strict:"
    : "Beyond Maelstrom's checks (warnings only; --strict makes them fatal):";
  return `<p class="warnings">${how}</p><ul class="warnings">${
    warnings.map((w) => `<li>${escapeXml(w)}</li>`).join("")
  }</ul>`;
}

/** Renders the whole page. */
export function renderReport(input: ReportInput): string {
  const { results, history, journal, title } = input;
  const endS = history.length > 0 ? (history[history.length - 1] as Op).time / 1e9 : 0;
  const valid = results.valid;
  const cls = valid === true ? "valid" : valid === false ? "invalid" : "unknown";
  const reasons = verdictReasons(results);
  const plots = [
    workloadPlots(results, history, endS),
    latencyRawPlot(history, endS),
    latencyQuantilesPlot(history, endS),
    latencyDistributionPlot(history),
    ratePlot(history, endS),
    messageRatePlot(journal, endS),
    messagesPerNodePlot(journal),
  ].join("");
  const data = diagramData(journal, history, input.bodies ? { bodies: input.bodies } : {});
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${
    escapeXml(title)
  }</title>` +
    `<style>${STYLE}</style></head><body><h1>${escapeXml(title)}</h1>` +
    `<p class="verdict ${cls}">${
      valid === true ? "Valid" : valid === false ? "Invalid" : "Unknown"
    }${reasons.length > 0 ? `: ${escapeXml(reasons.join("; "))}` : ""}</p>${
      findingsSection(input.findings ?? explainRun(results, history))
    }${warningList(results)}${summaryTable(results)}` +
    `<h2>Messages</h2>${messageDiagram(data)}` +
    `<h2>Operations</h2><section id="timeline">${processTimeline(history, endS)}</section>` +
    `<h2>Plots</h2><p>Shaded bands: partitions (red) and nodes down (blue; hover for the node).</p>${plots}` +
    `<h2>Anomalies</h2>${anomalies(results, history)}` +
    `<h2>Results</h2><pre>${
      json(results, 20000)
    }</pre><script>${SELF_CHECK}</script></body></html>`;
}
