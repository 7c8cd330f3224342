import assert from "node:assert/strict";
import { createRunDir, linkLatest, timestampName } from "./store.ts";

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
