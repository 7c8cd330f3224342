import assert from "node:assert/strict";
import { isOwnDirectory } from "./own_directory.ts";

Deno.test("isOwnDirectory() is true only for a directory named after the node", () => {
  assert.equal(isOwnDirectory("n1", "/runs/x/node-dirs/n1"), true);
  assert.equal(isOwnDirectory("n1", "/runs/x/node-dirs/n1/"), true);
  assert.equal(isOwnDirectory("n1", "/tmp"), false);
  assert.equal(isOwnDirectory("", "/tmp/"), false);
});
