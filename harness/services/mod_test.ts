import assert from "node:assert/strict";
import type { Body } from "../../lib/message.ts";
import { createRng } from "../rng.ts";
import { createServices, SERVICE_IDS } from "./mod.ts";

Deno.test("createServices() creates lin-kv, seq-kv, lww-kv and lin-tso", () => {
  const services = createServices(createRng(1));
  assert.deepEqual(services.map((s) => s.id), ["lin-kv", "seq-kv", "lww-kv", "lin-tso"]);
  assert.deepEqual(services.map((s) => s.id), SERVICE_IDS);
});

Deno.test("createServices() is deterministic for a seed", () => {
  const run = (seed: number): unknown[] => {
    const services = createServices(createRng(seed));
    const out: unknown[] = [];
    for (const service of services) {
      for (let i = 0; i < 30; i++) {
        const src = `n${i % 3}`;
        const body: Body = i % 3 === 0
          ? { type: "write", msg_id: i, key: "k", value: i }
          : { type: service.id === "lin-tso" ? "ts" : "read", msg_id: i, key: "k" };
        out.push(service.handle(src, body));
      }
    }
    return out;
  };
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
});
