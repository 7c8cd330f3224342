import assert from "node:assert/strict";
import { JsonDouble } from "../node_json.ts";
import { compareJson, jsonEqual, jsonKey, valueKey } from "./json_value.ts";

Deno.test('jsonKey() ignores object key order and separates 1 from "1"', () => {
  assert.equal(jsonKey({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
  assert.equal(jsonEqual(1, "1"), false);
  assert.equal(jsonEqual(null, undefined), false);
  assert.equal(jsonEqual({ x: 1, y: 2 }, { y: 2, x: 1 }), true);
});

Deno.test("compareJson() orders like Clojure's compare and throws on unordered values", () => {
  assert.equal(compareJson(null, 5), -1);
  assert.equal(compareJson("b", "a"), 1);
  assert.equal(compareJson(false, true), -1);
  assert.equal(compareJson([9], [1, 1]), -1);
  assert.equal(compareJson([1, "b"], [1, "a"]), 1);
  assert.throws(() => compareJson("1", 1), TypeError);
  assert.throws(() => compareJson({ a: 1 }, { a: 1 }), TypeError);
});

Deno.test("valueKey() keys plain numbers by themselves and never collides with other values", () => {
  assert.equal(valueKey(7), 7);
  assert.notEqual(valueKey(1), valueKey("1"));
  assert.notEqual(valueKey(1), valueKey(new JsonDouble(1, "1.0")));
  assert.equal(valueKey({ a: 1, b: [2] }), valueKey({ b: [2], a: 1 }));
  const keys = new Map<unknown, string>([[valueKey(1), "long"], [valueKey("1"), "string"]]);
  assert.equal(keys.size, 2);
});
