import assert from "node:assert/strict";
import { JsonDouble, JsonLong } from "./node_json.ts";
import { clojureStr, compareJson, jsonEqual, jsonKey, prStr, valueKey } from "./json_value.ts";

Deno.test('jsonKey() ignores object key order, separates 1 from "1", reads a missing value as nil', () => {
  assert.equal(jsonKey({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
  assert.equal(jsonEqual(1, "1"), false);
  assert.equal(jsonEqual(null, undefined), true);
  assert.equal(jsonKey(undefined), jsonKey(null));
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

Deno.test("jsonKey() sorts object keys and reads undefined as null (nil)", () => {
  assert.equal(jsonKey({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
  assert.equal(jsonKey(undefined), "null");
  assert.equal(jsonKey("1"), '"1"');
  assert.equal(jsonKey(1), "1");
});

Deno.test("jsonEqual() compares decoded JSON structurally", () => {
  assert.equal(jsonEqual({ a: [1, 2] }, { a: [1, 2] }), true);
  assert.equal(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
  assert.equal(jsonEqual([1, 2], [2, 1]), false);
  assert.equal(jsonEqual(1, new JsonDouble(1, "1.0")), false);
  assert.equal(jsonEqual(new JsonLong(2n ** 60n), new JsonLong(2n ** 60n)), true);
  assert.equal(jsonEqual(1, "1"), false);
  assert.equal(jsonEqual(null, undefined), true);
  assert.equal(jsonEqual({}, []), false);
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: 2 }), false);
});

Deno.test("prStr() and clojureStr() print like Clojure's pr-str and str", () => {
  assert.equal(prStr([1, "a", null, true, { k: [2] }]), '[1 "a" nil true {"k" [2]}]');
  assert.equal(prStr({ a: 1, b: 2 }), '{"a" 1, "b" 2}');
  assert.equal(clojureStr("a"), "a");
  assert.equal(clojureStr(null), "");
  assert.equal(clojureStr([1, 2]), "[1 2]");
});
