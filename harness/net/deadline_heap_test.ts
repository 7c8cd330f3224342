import assert from "node:assert/strict";
import { DeadlineHeap } from "./deadline_heap.ts";
import { createRng } from "../rng.ts";

Deno.test("DeadlineHeap.pop() returns items by deadline, ties in seq order", () => {
  const heap = new DeadlineHeap<{ deadline: number; seq: number }>();
  const rng = createRng(5);
  for (let seq = 0; seq < 500; seq++) heap.push({ deadline: rng.int(50), seq });
  const out: { deadline: number; seq: number }[] = [];
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item);
  assert.equal(out.length, 500);
  const sorted = [...out].sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
  assert.deepEqual(out, sorted);
  assert.equal(heap.size, 0);
});
