import { deepEqual, equal, rejects } from "node:assert/strict";
import { Journal, type JournalSink, openJournal } from "./journal.ts";

/** A sink that records each write and completes it when told to. */
class _ManualSink implements JournalSink {
  readonly writes: string[] = [];
  #release: (() => void)[] = [];
  /** Bytes accepted per call (a short write makes the journal loop). */
  chunk = Infinity;
  fail: Error | undefined;

  write(data: Uint8Array): Promise<number> {
    const n = Math.min(data.length, this.chunk);
    this.writes.push(new TextDecoder().decode(data.subarray(0, n)));
    const { promise, resolve, reject } = Promise.withResolvers<number>();
    this.#release.push(() => this.fail === undefined ? resolve(n) : reject(this.fail));
    return promise;
  }

  /** Completes every write issued so far, then lets the journal react. */
  async flush(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      for (const release of this.#release.splice(0)) release();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
  }
}

Deno.test("Journal.append() batches the records of one microtask into one write", async () => {
  const sink = new _ManualSink();
  const journal = new Journal(sink);
  let synced = false;
  journal.append(["e", "k", 0, 1]);
  journal.append(["e", "k", 1, 2]);
  const first = journal.sync().then(() => synced = true);
  await Promise.resolve();
  // While that write is in flight, later records wait and go out together in the next one.
  journal.append(["c", "k", 1]);
  journal.append(["p", "k", 4]);
  const second = journal.sync();
  equal(journal.pending, 4);
  deepEqual(sink.writes, ['["e","k",0,1]\n["e","k",1,2]\n']);
  equal(synced, false);
  await sink.flush();
  await Promise.all([first, second]);
  deepEqual(sink.writes.slice(1), ['["c","k",1]\n["p","k",4]\n']);
  equal(journal.pending, 0);
  await journal.sync(); // nothing pending: resolves at once
});

Deno.test("Journal.sync() waits for a short write to be completed", async () => {
  const sink = new _ManualSink();
  sink.chunk = 4;
  const journal = new Journal(sink);
  journal.append("abcdefghij");
  const done = journal.sync();
  await sink.flush();
  await done;
  equal(sink.writes.join(""), '"abcdefghij"\n');
});

Deno.test("Journal.sync() rejects once a write failed, and for good", async () => {
  const sink = new _ManualSink();
  sink.fail = new Error("disk full");
  const journal = new Journal(sink);
  journal.append(1);
  const done = rejects(journal.sync(), /disk full/);
  await sink.flush();
  await done;
  journal.append(2);
  await rejects(journal.sync(), /disk full/);
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
    first.close();
    const second = await openJournal(path);
    deepEqual(second.records, [["boot", 1], { a: [1, "x\ny"] }]);
    second.journal.append(3);
    await second.journal.sync();
    second.close();
    equal(await Deno.readTextFile(path), '["boot",1]\n{"a":[1,"x\\ny"]}\n3\n');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openJournal() drops a torn last line and refuses a corrupt complete one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "journal-" });
  try {
    const path = `${dir}/j.jsonl`;
    await Deno.writeTextFile(path, '[1]\n["e","k",2,"cut sh');
    const opened = await openJournal(path);
    deepEqual(opened.records, [[1]]);
    opened.journal.append([2]);
    await opened.journal.sync();
    opened.close();
    equal(await Deno.readTextFile(path), "[1]\n[2]\n");
    await Deno.writeTextFile(path, "[1]\n{oops\n[2]\n");
    await rejects(openJournal(path), SyntaxError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
