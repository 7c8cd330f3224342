import assert from "node:assert/strict";
import { createRunDir, linkLatest, timestampName, writeHistory } from "./store.ts";

Deno.test("timestampName() formats local time as yyyyMMddTHHmmss.SSS", () => {
  assert.equal(timestampName(new Date(2024, 0, 2, 3, 4, 5, 6)), "20240102T030405.006");
});

Deno.test("createRunDir() makes node-logs and never reuses a name", async () => {
  const root = await Deno.makeTempDir();
  const date = new Date(2024, 0, 2, 3, 4, 5, 6);
  const a = await createRunDir(root, "echo", date);
  const b = await createRunDir(root, "echo", date);
  assert.deepEqual([a, b], [
    `${root}/echo/20240102T030405.006`,
    `${root}/echo/20240102T030405.007`,
  ]);
  assert.equal((await Deno.stat(`${a}/node-logs`)).isDirectory, true);
  await Deno.remove(root, { recursive: true });
});

Deno.test("linkLatest() points both latest links at the newest run, replacing old links", async () => {
  const root = await Deno.makeTempDir();
  const a = await createRunDir(root, "echo", new Date(2024, 0, 2, 3, 4, 5, 6));
  await linkLatest(root, "echo", a);
  const b = await createRunDir(root, "echo", new Date(2024, 0, 2, 3, 4, 6, 0));
  await linkLatest(root, "echo", b);
  assert.equal(await Deno.readLink(`${root}/latest`), "echo/20240102T030406.000");
  assert.equal(await Deno.readLink(`${root}/echo/latest`), "20240102T030406.000");
  assert.equal((await Deno.stat(`${root}/latest/node-logs`)).isDirectory, true);
  await Deno.remove(root, { recursive: true });
});

Deno.test("writeHistory() writes one op per line across chunks, exactly as JSON.stringify", async () => {
  const dir = await Deno.makeTempDir();
  // About 3 MB of history: several of writeHistory's 1 MB chunks.
  const big = Array.from({ length: 2000 }, (_, i) => i);
  const ops = Array.from({ length: 300 }, (_, i) => ({
    index: i,
    time: i * 1000,
    type: "ok" as const,
    process: i % 5,
    f: "read",
    value: big,
  }));
  await writeHistory(`${dir}/history.jsonl`, ops);
  const text = await Deno.readTextFile(`${dir}/history.jsonl`);
  assert.equal(text, ops.map((op) => JSON.stringify(op) + "\n").join(""));
  await writeHistory(`${dir}/empty.jsonl`, []);
  assert.equal(await Deno.readTextFile(`${dir}/empty.jsonl`), "");
  await Deno.remove(dir, { recursive: true });
});
