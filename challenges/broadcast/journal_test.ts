import assert from "node:assert/strict";
import { MemoryFile } from "../common/durable_journal.ts";
import { BroadcastJournal, JOURNAL_FILE } from "./journal.ts";

Deno.test("BroadcastJournal counts starts, reloads own values, and records its own start", () => {
  const file = new MemoryFile();
  const first = new BroadcastJournal(file);
  assert.equal(first.incarnation, 1);
  assert.deepEqual(first.own, []);
  first.append(3);
  first.append(-1.5);
  const second = new BroadcastJournal(file);
  assert.equal(second.incarnation, 2);
  assert.deepEqual(second.own, [3, -1.5]);
  assert.equal(file.text, '"start"\n3\n-1.5\n"start"\n');
});

Deno.test("BroadcastJournal drops a torn last record and refuses a corrupt one", () => {
  const file = new MemoryFile();
  file.append(new TextEncoder().encode('"start"\n4\n5'));
  const journal = new BroadcastJournal(file);
  assert.deepEqual([journal.incarnation, journal.own], [2, [4]]);
  journal.append(6);
  assert.deepEqual(new BroadcastJournal(file).own, [4, 6]);
  assert.equal(file.text, '"start"\n4\n"start"\n6\n"start"\n');
  file.append(new TextEncoder().encode('"stop"\n'));
  assert.throws(() => new BroadcastJournal(file), /memory:6 is not a journal record/);
});

Deno.test("BroadcastJournal with no file starts as incarnation 1 and keeps nothing", () => {
  const journal = new BroadcastJournal(undefined);
  journal.append(1);
  assert.deepEqual([journal.incarnation, journal.own], [1, []]);
});

Deno.test("BroadcastJournal on a path reads a missing file as empty and appends to it", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/${JOURNAL_FILE}`;
  try {
    const first = new BroadcastJournal(path);
    first.append(9);
    first.close();
    const second = new BroadcastJournal(path);
    second.close();
    assert.deepEqual(second.own, [9]);
    assert.equal(Deno.readTextFileSync(path), '"start"\n9\n"start"\n');
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
