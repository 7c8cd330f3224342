import { deepStrictEqual, equal, match } from "node:assert/strict";
import type { JournalEvent } from "../net/journal.ts";
import type { Op } from "../history.ts";
import { BODY_CHARS, diagramData, laneOrder, readBodies } from "./diagram_data.ts";
import { messageDiagram } from "./diagram.ts";
import { findingsSection } from "./findings.ts";
import { processTimeline } from "./timeline.ts";
import { scriptJson } from "./json_script.ts";

const JOURNAL: JournalEvent[] = [
  { type: "send", time: 1e6, id: 0, src: "c1", dest: "n1", bodyType: "broadcast" },
  { type: "recv", time: 1.5e6, id: 0, src: "c1", dest: "n1", bodyType: "broadcast" },
  { type: "send", time: 2e6, id: 1, src: "n1", dest: "n10", bodyType: "gossip" },
  { type: "send", time: 3e6, id: 2, src: "n10", dest: "seq-kv", bodyType: "read" },
  { type: "recv", time: 3.25e6, id: 2, src: "n10", dest: "seq-kv", bodyType: "read" },
];

const NEMESIS: Op[] = [
  { index: 0, time: 1e6, type: "info", process: "nemesis", f: "start-partition", value: null },
  { index: 1, time: 2e6, type: "info", process: "nemesis", f: "kill", value: "n10" },
  { index: 2, time: 4e6, type: "info", process: "nemesis", f: "stop-partition", value: null },
];

Deno.test("laneOrder() puts nodes in numeric order, then services, then clients", () => {
  deepStrictEqual(["c2", "seq-kv", "n10", "c10", "n2"].sort(laneOrder), [
    "n2",
    "n10",
    "seq-kv",
    "c2",
    "c10",
  ]);
});

Deno.test("diagramData() keeps every message in columns, undelivered ones at -1, faults in ms", () => {
  const data = diagramData(JOURNAL, NEMESIS, { bodies: new Map([[1, '{"type":"gossip"}']]) });
  deepStrictEqual(data.lanes, ["n1", "n10", "seq-kv", "c1"]);
  deepStrictEqual(data.types, ["broadcast", "gossip", "read"]);
  deepStrictEqual(data.src, [3, 0, 1]);
  deepStrictEqual(data.dest, [0, 1, 2]);
  deepStrictEqual(data.sent, [1, 2, 3]);
  deepStrictEqual(data.recv, [1.5, -1, 3.25]);
  deepStrictEqual(data.bodies, ["", '{"type":"gossip"}', ""]);
  deepStrictEqual(data.partitions, [[1, 4]]);
  deepStrictEqual(data.down, [[2, 4, "n10 down", 1]]);
  equal(data.end, 4);
  const capped = diagramData(JOURNAL, [], { maxMessages: 1 });
  equal(capped.sent.length, 1);
  equal(capped.omitted, 2);
});

Deno.test("readBodies() takes each send's body from messages.jsonl, cut, and none for a missing file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bodies-test-" });
  try {
    const long = "x".repeat(2 * BODY_CHARS);
    const lines = [
      { type: "send", time: 0, id: 4, src: "c1", dest: "n1", body: { type: "echo", echo: "hi" } },
      { type: "recv", time: 0, id: 4, src: "c1", dest: "n1", body: { type: "echo", echo: "hi" } },
      { type: "send", time: 0, id: 5, src: "n1", dest: "c1", body: { type: "echo_ok", v: long } },
      // A field's name inside a string is no field: the body is the real one's.
      { type: "send", time: 7, id: 6, src: 'n,"body":1', dest: "n2", body: { type: "x" } },
    ].map((line) => JSON.stringify(line)).join("\n");
    await Deno.writeTextFile(`${dir}/messages.jsonl`, lines);
    const bodies = await readBodies(`${dir}/messages.jsonl`);
    deepStrictEqual([...bodies.keys()], [4, 5, 6]);
    equal(bodies.get(6), '{"type":"x"}');
    equal(bodies.get(4), '{"type":"echo","echo":"hi"}');
    equal(bodies.get(5)?.length, BODY_CHARS + 1);
    equal((await readBodies(`${dir}/none.jsonl`)).size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("messageDiagram() embeds its data script-safe with its controls; nothing for no messages", () => {
  const data = diagramData(JOURNAL, NEMESIS, { bodies: new Map([[0, '"</script>"']]) });
  const html = messageDiagram(data);
  match(html, /<select id="diagram-node">/);
  match(html, /<canvas id="diagram-canvas">/);
  equal(html.includes(scriptJson(data)), true);
  equal(html.includes('"</script>"'), false);
  equal(messageDiagram(diagramData([], [])), "<p>No messages.</p>");
});

Deno.test("findingsSection() lists each finding with a link to its moment in the diagram", () => {
  equal(findingsSection([]), "");
  equal(
    findingsSection([{ text: "Value 3 <lost>", at: 1_500_000, nodes: ["n1", "n2"] }, {
      text: "No read completed ok",
    }]),
    '<section id="findings"><h2>What is wrong</h2><ol><li>Value 3 &lt;lost&gt; <a class="goto" ' +
      'href="#diagram" data-at="1.500" data-nodes="n1,n2">show in the diagram</a></li>' +
      "<li>No read completed ok</li></ol></section>",
  );
});

Deno.test("processTimeline() draws one lane per process, each op a bar coloured by outcome", () => {
  const history: Op[] = [
    { index: 0, time: 0, type: "invoke", process: 0, f: "read", value: null, node: "n1" },
    { index: 1, time: 2e8, type: "ok", process: 0, f: "read", value: [1] },
    { index: 2, time: 3e8, type: "invoke", process: 3, f: "add", value: 1 },
    { index: 3, time: 6e8, type: "info", process: 3, f: "add", value: 1, error: "net-timeout" },
    { index: 4, time: 7e8, type: "invoke", process: 4, f: "add", value: 2 },
  ];
  const svg = processTimeline(history, 1);
  equal(svg.match(/class="op ok"/g)?.length, 1);
  equal(svg.match(/class="op info"/g)?.length, 1);
  equal(svg.match(/class="op pending"/g)?.length, 1);
  match(svg, /<title>op 2: add 1 → info &quot;net-timeout&quot; \(300\.0 ms\)<\/title>/);
  match(svg, /<title>op 0: read null → ok \[1\] \(200\.0 ms, n1\)<\/title>/);
  equal(processTimeline([], 1), "");
});

Deno.test("processTimeline() merges a busy lane's narrow bars of one outcome into a few", () => {
  const history: Op[] = [];
  for (let i = 0; i < 10_000; i++) {
    const time = i * 1e6;
    const type = i === 5000 ? "fail" : "ok";
    history.push({ index: 2 * i, time, type: "invoke", process: 0, f: "read", value: null });
    history.push({ index: 2 * i + 1, time: time + 5e5, type, process: 0, f: "read", value: [] });
  }
  const svg = processTimeline(history, 10);
  equal(svg.match(/class="op fail"/g)?.length, 1);
  equal(svg.match(/class="op ok"/g)?.length, 2);
  equal(svg.includes("<title>op"), false);
});
