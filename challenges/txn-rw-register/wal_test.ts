import assert from "node:assert/strict";
import { openWal, replayWal, type WalRecord } from "./wal.ts";

const RUN = 42;

Deno.test("replayWal() returns write sets in order, the last trim and the next incarnation", () => {
  const log: WalRecord[] = [
    ["inc", 1, RUN],
    ["ws", "n0", 1, [[1, 1]]],
    ["ws", "n1", 1, [[2, 1]]],
    ["trim", 1],
    ["inc", 2, RUN],
    ["ws", "n0", 2, [[1, 2]]],
  ];
  assert.deepEqual(replayWal(log, RUN), {
    incarnation: 3,
    writeSets: [
      { origin: "n0", ts: 1, writes: [[1, 1]] },
      { origin: "n1", ts: 1, writes: [[2, 1]] },
      { origin: "n0", ts: 2, writes: [[1, 2]] },
    ],
    trimmed: 1,
    foreign: false,
  });
  assert.throws(() => replayWal([["inc", 1, RUN], ["inc", 2, RUN + 1]], RUN), /mixes runs/);
});

Deno.test("replayWal() treats another run's log as empty (Maelstrom keeps /tmp between runs)", () => {
  const other: WalRecord[] = [["inc", 3, RUN + 1], ["ws", "n0", 1, [[1, 1]]]];
  const empty = { incarnation: 1, writeSets: [], trimmed: 0 };
  assert.deepEqual(replayWal(other, RUN), { ...empty, foreign: true });
  assert.deepEqual(replayWal([["ws", "n0", 1, []]], RUN), { ...empty, foreign: true });
  assert.deepEqual(replayWal([], RUN), { ...empty, foreign: false });
});

Deno.test("openWal() bumps the incarnation on file, truncates a torn tail, and appends", async () => {
  const dir = await Deno.makeTempDir({ prefix: "txn-wal-" });
  const path = `${dir}/txn-n0.wal`;
  try {
    const first = await openWal(path, RUN);
    assert.equal(first.recovery.incarnation, 1);
    first.wal.write([["ws", "n0", 1, [[1, 1]]], ["ws", "n0", 2, [[1, 2]]]]);
    first.wal.close();
    await Deno.writeTextFile(path, '["ws","n0",3,[[1', { append: true }); // killed mid-write
    const second = await openWal(path, RUN);
    second.wal.close();
    assert.equal(second.recovery.incarnation, 2);
    assert.deepEqual(second.recovery.writeSets.map((w) => w.ts), [1, 2]);
    const lines = (await Deno.readTextFile(path)).split("\n");
    assert.deepEqual(lines.slice(-2), ['["inc",2,42]', ""]);
    const third = await openWal(path, RUN + 1);
    third.wal.close();
    assert.deepEqual([third.recovery.incarnation, third.recovery.writeSets], [1, []]);
    assert.equal(await Deno.readTextFile(path), '["inc",1,43]\n');
    await Deno.writeTextFile(path, '{"not":"a record"}\n', { append: true });
    await assert.rejects(openWal(path, RUN + 1), /txn-n0\.wal:2 is not a journal record/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openWal() with no path keeps nothing", async () => {
  const { wal, recovery } = await openWal(undefined, RUN);
  wal.write([["ws", "n0", 1, []]]);
  wal.close();
  assert.deepEqual(recovery, { incarnation: 1, writeSets: [], trimmed: 0 });
});
