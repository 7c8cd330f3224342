import { deepEqual, equal, rejects } from "node:assert/strict";
import { LinKv } from "../../harness/services/lin_kv.ts";
import { serviceKv } from "../g-counter/_service_kv_test_util.ts";
import { KvLogs } from "./kv_logs.ts";

Deno.test("KvLogs.send() gives racing senders on two nodes distinct dense offsets", async () => {
  const kv = new LinKv();
  const [a, b] = [new KvLogs(serviceKv(kv, "n0")), new KvLogs(serviceKv(kv, "n1"))];
  const offsets = await Promise.all([a.send("k", 1), b.send("k", 2), a.send("k", 3)]);
  deepEqual([...offsets].sort(), [0, 1, 2]);
  const polled = await b.poll({ k: 0, other: 0 });
  deepEqual(polled.k?.map(([o]) => o), [0, 1, 2]);
  deepEqual(Object.keys(polled), ["k"]);
  deepEqual(await a.poll({ k: 2 }), { k: [[2, polled.k![2]![1]]] });
});

Deno.test("KvLogs.send() fails with 11 after losing every race", async () => {
  const kv = new LinKv();
  const calls: string[] = [];
  const inner = serviceKv(kv, "n0", calls);
  let rival = 0;
  const loser = new KvLogs({
    ...inner,
    cas: async (key, cas) => {
      await inner.write(key, [`rival ${rival++}`]); // a rival appends between our read and cas
      return inner.cas(key, cas);
    },
  }, { attempts: 3 });
  await rejects(() => loser.send("k", 1), { name: "RPCError", code: 11 });
  equal(calls.filter((c) => c === "cas").length, 3);
});

Deno.test("KvLogs.commit() and committed() store offsets per key and omit unknown ones", async () => {
  const logs = new KvLogs(serviceKv(new LinKv(), "n0"));
  await logs.commit({ a: 4, b: 0 });
  deepEqual(await logs.committed(["a", "b", "c"]), { a: 4, b: 0 });
});
