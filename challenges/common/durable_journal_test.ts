import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import {
  DurableJournal,
  GroupCommit,
  MemoryFile,
  openJournal,
  openJournalSync,
  ownDirectory,
} from "./durable_journal.ts";

/** A memory file that counts its writes. */
class _CountingFile extends MemoryFile {
  writes: string[] = [];
  override append(data: Uint8Array): void {
    this.writes.push(new TextDecoder().decode(data));
    super.append(data);
  }
}

Deno.test("ownDirectory() is the working directory only when it is named after the node", () => {
  equal(ownDirectory("n1", "/runs/x/node-dirs/n1"), "/runs/x/node-dirs/n1");
  equal(ownDirectory("n1", "/runs/x/node-dirs/n1/"), "/runs/x/node-dirs/n1/");
  equal(ownDirectory("n1", "/runs/x/node-dirs/n10"), undefined);
  equal(ownDirectory("n1", "/tmp"), undefined);
  equal(ownDirectory("", "/tmp/"), undefined);
});

Deno.test("DurableJournal.append() batches the records of one microtask into one write", async () => {
  const file = new _CountingFile();
  const journal = new DurableJournal(file);
  let synced = false;
  journal.append(["e", "k", 0, 1]);
  journal.append(["e", "k", 1, 2]);
  const first = journal.sync().then(() => synced = true);
  equal(synced, false);
  deepEqual(file.writes, []);
  await first;
  deepEqual(file.writes, ['["e","k",0,1]\n["e","k",1,2]\n']);
  journal.append(["c", "k", 1]);
  await journal.sync();
  await journal.sync(); // nothing pending: resolves at once
  deepEqual(file.writes.slice(1), ['["c","k",1]\n']);
});

Deno.test("DurableJournal.write() writes what was queued and its records at once", () => {
  const file = new _CountingFile();
  const journal = new DurableJournal<number>(file);
  journal.append(1);
  journal.write([2, 3]);
  deepEqual(file.writes, ["1\n2\n3\n"]);
  journal.write([]);
  equal(file.writes.length, 1);
});

Deno.test("DurableJournal refuses every write and sync once a write failed", async () => {
  const file = new MemoryFile();
  file.append = () => {
    throw new Error("disk full");
  };
  const journal = new DurableJournal(file);
  journal.append(1);
  await rejects(journal.sync(), /disk full/);
  journal.append(2);
  await rejects(journal.sync(), /disk full/);
  throws(() => journal.write([3]), /disk full/);
});

Deno.test("DurableJournal with no file keeps nothing and syncs at once", async () => {
  const journal = new DurableJournal(undefined);
  journal.append(1);
  journal.write([2]);
  await journal.sync();
  deepEqual(openJournalSync(undefined).records, []);
});

Deno.test("openJournal() returns the records of an earlier instance and appends after them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "journal-" });
  try {
    const path = `${dir}/j.jsonl`;
    const first = await openJournal(path);
    deepEqual(first.records, []);
    first.journal.append(["boot", 1]);
    first.journal.append({ a: [1, "x\ny"] });
    await first.journal.sync();
    first.journal.close();
    const second = openJournalSync(path);
    deepEqual(second.records, [["boot", 1], { a: [1, "x\ny"] }]);
    second.journal.write([3]);
    second.journal.close();
    equal(await Deno.readTextFile(path), '["boot",1]\n{"a":[1,"x\\ny"]}\n3\n');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openJournalSync() drops and truncates a torn last line", () => {
  const file = new MemoryFile();
  file.append(new TextEncoder().encode('[1]\n["e","k",2,"cut sh'));
  const opened = openJournalSync(file);
  deepEqual(opened.records, [[1]]);
  equal(file.text, "[1]\n");
  opened.journal.write([[2]]);
  equal(file.text, "[1]\n[2]\n");
});

Deno.test("openJournal() refuses a complete line that is not JSON or not a record, naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "journal-" });
  try {
    const path = `${dir}/j.jsonl`;
    await Deno.writeTextFile(path, "[1]\n{oops\n[2]\n");
    await rejects(openJournal(path), (error) => {
      equal(error instanceof SyntaxError, true);
      equal((error as Error).message.startsWith(`${path}:2 is not a journal record: `), true);
      return true;
    });
    await Deno.writeTextFile(path, '[1]\n"two"\n');
    const parse = (value: unknown): number[] => {
      if (!Array.isArray(value)) throw new TypeError(`not an array: ${JSON.stringify(value)}`);
      return value;
    };
    await rejects(openJournal(path, { parse }), {
      name: "SyntaxError",
      message: `${path}:2 is not a journal record: not an array: "two"`,
    });
    const lenient = await openJournal(path);
    lenient.journal.close();
    deepEqual(lenient.records, [[1], "two"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DurableJournal.clear() empties the file", () => {
  const file = new MemoryFile();
  file.append(new TextEncoder().encode("1\n2\n"));
  const { journal, records } = openJournalSync(file);
  deepEqual(records, [1, 2]);
  journal.clear();
  journal.write([3]);
  equal(file.text, "3\n");
});

Deno.test("GroupCommit.flush() runs one write per microtask batch", async () => {
  let writes = 0;
  const group = new GroupCommit(() => writes++);
  await Promise.all([group.flush(), group.flush(), group.flush()]);
  equal(writes, 1);
  await group.flush();
  equal(writes, 2);
  const failing = new GroupCommit(() => {
    throw new Error("disk full");
  });
  await rejects(failing.flush(), /disk full/);
});
