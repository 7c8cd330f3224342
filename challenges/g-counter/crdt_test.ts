import { deepEqual, throws } from "node:assert/strict";
import { GCounter, isGVector, mergeVectors, vectorSum } from "./crdt.ts";

Deno.test("mergeVectors() takes the pointwise max and leaves its inputs alone", () => {
  const a = { n0: 5, n1: 2 };
  const b = { n1: 7, n2: 1 };
  deepEqual(mergeVectors(a, b), { n0: 5, n1: 7, n2: 1 });
  deepEqual(a, { n0: 5, n1: 2 });
});

Deno.test("mergeVectors() is commutative, associative and idempotent", () => {
  const a = { n0: 3 }, b = { n0: 1, n1: 4 }, c = { n2: 9, n1: 2 };
  deepEqual(mergeVectors(a, b), mergeVectors(b, a));
  deepEqual(mergeVectors(mergeVectors(a, b), c), mergeVectors(a, mergeVectors(b, c)));
  deepEqual(mergeVectors(a, a), a);
});

Deno.test("vectorSum() adds every entry", () => {
  deepEqual(vectorSum({}), 0);
  deepEqual(vectorSum({ n0: 5, n1: 7, n2: 1 }), 13);
});

Deno.test("isGVector() accepts non-negative integer maps only", () => {
  deepEqual(isGVector({ n0: 1, n1: 0 }), true);
  deepEqual(isGVector({ n0: -1 }), false);
  deepEqual(isGVector({ n0: 1.5 }), false);
  deepEqual(isGVector([1]), false);
  deepEqual(isGVector(null), false);
});

Deno.test("GCounter.add() grows only its own entry and bumps the version", () => {
  const c = new GCounter("n1");
  c.add(3);
  c.add(0);
  c.add(4);
  deepEqual(c.vector, { n1: 7 });
  deepEqual(c.value, 7);
  deepEqual(c.version, 2);
  throws(() => c.add(-1), RangeError);
});

Deno.test("GCounter.merge() reports growth, and replicas converge under any gossip order", () => {
  const [a, b, c] = [new GCounter("n0"), new GCounter("n1"), new GCounter("n2")];
  a.add(1);
  b.add(2);
  c.add(4);
  const staleA = a.vector;
  a.add(10);
  deepEqual(b.merge(a.vector), true);
  deepEqual(b.merge(staleA), false); // a late, older gossip changes nothing
  c.merge(b.vector);
  a.merge(c.vector);
  b.merge(c.vector);
  deepEqual([a.value, b.value, c.value], [17, 17, 17]);
});
