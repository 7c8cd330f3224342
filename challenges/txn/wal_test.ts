import assert from "node:assert/strict";
import { encodeRecords, GroupCommit, replayWal, Wal, type WalRecord } from "./wal.ts";

const RUN = 42;

function bytes(records: WalRecord[], tail = ""): Uint8Array {
  const body = encodeRecords(records);
  const out = new Uint8Array(body.length + tail.length);
  out.set(body);
  out.set(new TextEncoder().encode(tail), body.length);
  return out;
}

Deno.test("replayWal() returns write sets in order, the last trim and the next incarnation", () => {
  const log = bytes([
    ["inc", 1, RUN],
    ["ws", "n0", 1, [[1, 1]]],
    ["ws", "n1", 1, [[2, 1]]],
    ["trim", 1],
    ["inc", 2, RUN],
    ["ws", "n0", 2, [[1, 2]]],
  ]);
  assert.deepEqual(replayWal(log, RUN), {
    incarnation: 3,
    writeSets: [
      { origin: "n0", ts: 1, writes: [[1, 1]] },
      { origin: "n1", ts: 1, writes: [[2, 1]] },
      { origin: "n0", ts: 2, writes: [[1, 2]] },
    ],
    trimmed: 1,
    validBytes: log.length,
  });
});

Deno.test("replayWal() drops a torn last line and anything after an unreadable one", () => {
  const good = bytes([["inc", 1, RUN], ["ws", "n0", 1, [[1, 1]]]]);
  const torn = bytes([["inc", 1, RUN], ["ws", "n0", 1, [[1, 1]]]], '["ws","n0",2,[[1,');
  assert.deepEqual(replayWal(torn, RUN).validBytes, good.length);
  assert.equal(replayWal(torn, RUN).writeSets.length, 1);
  const garbled = bytes([["inc", 1, RUN]], '{"not":"a record"}\n["ws","n0",1,[]]\n');
  assert.deepEqual(replayWal(garbled, RUN).writeSets, []);
});

Deno.test("replayWal() treats another run's log as empty (Maelstrom keeps /tmp between runs)", () => {
  const other = bytes([["inc", 3, RUN + 1], ["ws", "n0", 1, [[1, 1]]]]);
  assert.deepEqual(replayWal(other, RUN), {
    incarnation: 1,
    writeSets: [],
    trimmed: 0,
    validBytes: 0,
  });
  assert.equal(replayWal(new Uint8Array(), RUN).incarnation, 1);
});

Deno.test("Wal.open() bumps the incarnation on file, truncates a torn tail, and appends", async () => {
  const dir = await Deno.makeTempDir({ prefix: "txn-wal-" });
  const path = `${dir}/txn-n0.wal`;
  try {
    const first = await Wal.open(path, RUN);
    assert.equal(first.recovered.incarnation, 1);
    first.wal.append([["ws", "n0", 1, [[1, 1]]], ["ws", "n0", 2, [[1, 2]]]]);
    first.wal.close();
    await Deno.writeTextFile(path, '["ws","n0",3,[[1', { append: true }); // killed mid-write
    const second = await Wal.open(path, RUN);
    second.wal.close();
    assert.equal(second.recovered.incarnation, 2);
    assert.deepEqual(second.recovered.writeSets.map((w) => w.ts), [1, 2]);
    const lines = (await Deno.readTextFile(path)).split("\n");
    assert.deepEqual(lines.slice(-2), ['["inc",2,42]', ""]);
    const third = await Wal.open(path, RUN + 1);
    third.wal.close();
    assert.deepEqual([third.recovered.incarnation, third.recovered.writeSets], [1, []]);
    assert.equal(await Deno.readTextFile(path), '["inc",1,43]\n');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("GroupCommit.flush() runs one write per microtask batch", async () => {
  let writes = 0;
  const group = new GroupCommit(() => writes++);
  await Promise.all([group.flush(), group.flush(), group.flush()]);
  assert.equal(writes, 1);
  await group.flush();
  assert.equal(writes, 2);
  const failing = new GroupCommit(() => {
    throw new Error("disk full");
  });
  await assert.rejects(failing.flush(), /disk full/);
});
