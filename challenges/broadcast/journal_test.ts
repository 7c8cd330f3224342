import assert from "node:assert/strict";
import { fileBacking, Journal, JOURNAL_FILE, journalPath, MemoryBacking } from "./journal.ts";

Deno.test("Journal counts starts, reloads own values, and records its own start", () => {
  const file = new MemoryBacking();
  const first = new Journal(file);
  assert.equal(first.incarnation, 1);
  assert.deepEqual(first.own, []);
  first.append(3);
  first.append(-1.5);
  const second = new Journal(file);
  assert.equal(second.incarnation, 2);
  assert.deepEqual(second.own, [3, -1.5]);
  assert.equal(file.text, "start\n3\n-1.5\nstart\n");
});

Deno.test("Journal ignores a torn last record and starts a fresh line after it", () => {
  const file = new MemoryBacking();
  file.text = "start\n4\n5";
  const journal = new Journal(file);
  assert.deepEqual([journal.incarnation, journal.own], [2, [4]]);
  journal.append(6);
  assert.deepEqual(new Journal(file).own, [4, 6]);
  assert.equal(file.text, "start\n4\n5 torn\nstart\n6\nstart\n");
});

Deno.test("journalPath() keeps a journal only in a directory named after the node", () => {
  assert.equal(journalPath("n3", "/run/node-dirs/n3"), `/run/node-dirs/n3/${JOURNAL_FILE}`);
  assert.equal(journalPath("n3", "/run/node-dirs/n3/"), `/run/node-dirs/n3//${JOURNAL_FILE}`);
  assert.equal(journalPath("n3", "/tmp"), undefined);
  assert.equal(journalPath("n3", "/run/node-dirs/n30"), undefined);
  assert.equal(journalPath("", "/"), undefined);
});

Deno.test("fileBacking() reads a missing file as empty and appends to it", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const file = fileBacking(`${dir}/${JOURNAL_FILE}`);
    assert.equal(file.read(), "");
    new Journal(file).append(9);
    assert.deepEqual(new Journal(fileBacking(`${dir}/${JOURNAL_FILE}`)).own, [9]);
    assert.equal(Deno.readTextFileSync(`${dir}/${JOURNAL_FILE}`), "start\n9\nstart\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
