import assert from "node:assert/strict";
import { LogHistogram } from "./log_histogram.ts";

Deno.test("LogHistogram quantiles are within 2 % of the exact ones, in constant memory", () => {
  const h = new LogHistogram();
  const values: number[] = [];
  for (let i = 1; i <= 100_000; i++) {
    const v = (i % 997) * 0.37 + (i % 13);
    values.push(v);
    h.add(v);
  }
  values.sort((a, b) => a - b);
  for (const q of [0.5, 0.9, 0.99]) {
    const exact = values[Math.ceil(q * values.length) - 1]!;
    const got = h.quantile(q);
    assert.ok(Math.abs(got - exact) <= 0.02 * exact + 0.01, `q${q}: ${got} vs ${exact}`);
  }
  assert.equal(h.count, 100_000);
  assert.equal(h.max, values.at(-1));
  assert.equal(new LogHistogram().quantile(0.5), 0);
});
