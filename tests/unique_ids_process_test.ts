import { deepEqual, equal } from "node:assert/strict";
import { challengePath, initLine, runNode } from "./_node_process.ts";

const IDS_PER_NODE = 10_000;

async function generate(nodeId: string, nodeIds: string[]): Promise<string[]> {
  const requests = [initLine(nodeId, nodeIds)];
  for (let i = 1; i <= IDS_PER_NODE; i++) {
    requests.push(
      JSON.stringify({ src: "c1", dest: nodeId, body: { type: "generate", msg_id: i } }),
    );
  }
  const run = await runNode(challengePath("unique-ids.ts"), requests.join("\n") + "\n");
  equal(run.code, 0);
  equal(run.lines.length, IDS_PER_NODE + 1);
  equal(run.lines[0], `{"src":"${nodeId}","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}`);
  return run.lines.slice(1).map((line, i) => {
    const msg = JSON.parse(line);
    equal(msg.body.type, "generate_ok");
    equal(msg.body.in_reply_to, i + 1);
    equal(typeof msg.body.id, "string");
    return msg.body.id as string;
  });
}

Deno.test("challenges/unique-ids.ts: 3 processes x 10,000 ids, none duplicated", async () => {
  const nodes = ["n0", "n1", "n2"];
  const all = (await Promise.all(nodes.map((n) => generate(n, nodes)))).flat();
  equal(all.length, 3 * IDS_PER_NODE);
  equal(new Set(all).size, all.length);
});

Deno.test("challenges/unique-ids.ts: a restarted node (same id) repeats no id", async () => {
  const first = await generate("n0", ["n0"]);
  const second = await generate("n0", ["n0"]);
  const seen = new Set(first);
  deepEqual(second.filter((id) => seen.has(id)), []);
  equal(new Set(second).size, IDS_PER_NODE);
});
