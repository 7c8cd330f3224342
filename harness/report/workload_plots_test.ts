import { equal, match } from "node:assert/strict";
import type { Op } from "../history.ts";
import { buildHistory, history, type Step } from "../checkers/_history_test_util.ts";
import { checkTxn } from "../checkers/txn/checker.ts";
import { checkLinearizable } from "../checkers/linearizable.ts";
import {
  counterPlot,
  kafkaOffsetsPlot,
  pollLagPlot,
  stableLatencyPlot,
  workloadPlots,
} from "./workload_plots.ts";
import { linKvKeyPlot, txnCyclePlot } from "./anomaly_plots.ts";
import { messageRatePlot, messagesPerNodePlot } from "./message_plots.ts";
import type { JournalEvent } from "../net/journal.ts";

Deno.test("stableLatencyPlot() draws the stable latencies with their p50 and p99", () => {
  const h = history(
    { type: "invoke", process: 0, f: "broadcast", value: 1, ms: 0 },
    { type: "ok", process: 0, f: "broadcast", value: 1, ms: 1 },
    { type: "invoke", process: 1, f: "read", value: null, ms: 2 },
    { type: "ok", process: 1, f: "read", value: [], ms: 30 },
    { type: "invoke", process: 1, f: "read", value: null, ms: 40 },
    { type: "ok", process: 1, f: "read", value: [1], ms: 41 },
  );
  const svg = stableLatencyPlot(h, "broadcast");
  match(svg, /Stable latency of each broadcast .*, 1 values/);
  match(svg, />p50 1 ms</);
  equal(stableLatencyPlot(h.slice(0, 2), "broadcast"), "");
});

Deno.test("counterPlot() draws reads between the bounds, final reads apart", () => {
  const h = history(
    { type: "invoke", process: 0, f: "add", value: 3, ms: 0 },
    { type: "ok", process: 0, f: "add", value: 3, ms: 5 },
    { type: "invoke", process: 1, f: "read", value: null, ms: 6, final: true },
    { type: "ok", process: 1, f: "read", value: 3, ms: 7, final: true },
  );
  const svg = counterPlot(h, 1);
  equal(svg.match(/<polyline/g)?.length, 2);
  equal(svg.match(/fill="#d1495b"/g)?.length, 1);
  equal(counterPlot(h.slice(0, 2), 1), "");
});

function send(process: number, key: string, msg: number, offset: number): Step {
  return {
    process,
    f: "send",
    invoke: [["send", key, msg]],
    type: "ok",
    value: [["send", key, [offset, msg]]],
  };
}

Deno.test("pollLagPlot() counts acknowledged messages past each poll's last offset", () => {
  const h = buildHistory([
    send(0, "a", 1, 0),
    send(0, "a", 2, 1),
    send(0, "a", 3, 2),
    { process: 1, f: "poll", invoke: [["poll"]], type: "ok", value: [["poll", { a: [[0, 1]] }]] },
  ]);
  const svg = pollLagPlot(h, 1);
  equal(svg.match(/<circle/g)?.length, 1);
  match(svg, /<text x="58" y="16\.0" [^>]*>2<\/text>/); // the y axis reaches a lag of 2
  const offsets = kafkaOffsetsPlot(h, 1);
  equal(offsets.match(/<circle/g)?.length, 3);
  match(offsets, />key a</);
});

Deno.test("txnCyclePlot() draws the first cycle with its edges by kind", () => {
  const txn = (process: number, mops: [string, string, number][], start: number): Step => ({
    process,
    f: "txn",
    invoke: mops.map(([f, k, v]) => [f, k, f === "r" ? null : v]),
    type: "ok",
    value: mops,
    start,
    end: start + 20,
  });
  const h = buildHistory([
    txn(0, [["w", "x", 1], ["r", "y", 1]], 0),
    txn(1, [["w", "y", 1], [
      "r",
      "x",
      1,
    ]], 1),
  ]);
  const svg = txnCyclePlot(checkTxn(h, ["read-committed"]));
  match(svg, /G1c: the cycle of 2 transactions/);
  equal(svg.match(/class="edge wr"/g)?.length, 2);
  equal(txnCyclePlot({ anomalies: {} }), "");
});

Deno.test("linKvKeyPlot() outlines the op no order could place among its key's ops", () => {
  const h: Op[] = ([
    [0, "invoke", "write", ["k", 1]],
    [0, "ok", "write", ["k", 1]],
    [0, "invoke", "write", ["k", 2]],
    [0, "ok", "write", ["k", 2]],
    [1, "invoke", "read", ["k", null]],
    [1, "ok", "read", ["k", 1]],
  ] as const).map(([process, type, f, value], index) => ({
    index,
    time: index * 1e6,
    type,
    process,
    f,
    value: [...value],
  }));
  const svg = linKvKeyPlot(checkLinearizable(h), h);
  equal(svg.match(/class="culprit"/g)?.length, 1);
  match(svg, /lin-kv key &quot;k&quot;: the ops around op 5/);
  match(
    workloadPlots({ options: { workload: "lin-kv" }, workload: checkLinearizable(h) }, h, 1),
    /culprit/,
  );
  equal(workloadPlots({ options: { workload: "echo" } }, h, 1), "");
});

Deno.test("messageRatePlot() and messagesPerNodePlot() count sends by type and per node", () => {
  const journal: JournalEvent[] = [
    { type: "send", time: 0, id: 0, src: "n0", dest: "n1", bodyType: "gossip" },
    { type: "recv", time: 1e6, id: 0, src: "n0", dest: "n1", bodyType: "gossip" },
    { type: "send", time: 2e6, id: 1, src: "c1", dest: "n0", bodyType: "read" },
  ];
  const rate = messageRatePlot(journal, 1);
  match(rate, />gossip</);
  match(rate, />read</);
  const nodes = messagesPerNodePlot(journal);
  match(nodes, /<title>n0 sent 1<\/title>/);
  match(nodes, /<title>n1 received 1<\/title>/);
  equal(messageRatePlot([], 1), "");
  equal(messagesPerNodePlot([]), "");
});
