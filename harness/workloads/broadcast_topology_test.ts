import assert from "node:assert/strict";
import { makeTopology, topologyKinds } from "./broadcast_topology.ts";

const FIVE = ["n0", "n1", "n2", "n3", "n4"];

Deno.test("makeTopology('grid') gives Maelstrom's n=5 map in down, up, right, left order", () => {
  assert.deepEqual(makeTopology("grid", FIVE), {
    n0: ["n3", "n1"],
    n1: ["n4", "n2", "n0"],
    n2: ["n1"],
    n3: ["n0", "n4"],
    n4: ["n1", "n3"],
  });
});

Deno.test("makeTopology('tree2') and 'tree' give Maelstrom's n=5 map", () => {
  const expected = { n0: ["n1", "n2"], n1: ["n0", "n3", "n4"], n2: ["n0"], n3: ["n1"], n4: ["n1"] };
  assert.deepEqual(makeTopology("tree2", FIVE), expected);
  assert.deepEqual(makeTopology("tree", FIVE), expected);
});

Deno.test("makeTopology('tree3') and 'tree4' put parents first", () => {
  assert.deepEqual(makeTopology("tree3", FIVE), {
    n0: ["n1", "n2", "n3"],
    n1: ["n0", "n4"],
    n2: ["n0"],
    n3: ["n0"],
    n4: ["n1"],
  });
  assert.deepEqual(makeTopology("tree4", FIVE), {
    n0: ["n1", "n2", "n3", "n4"],
    n1: ["n0"],
    n2: ["n0"],
    n3: ["n0"],
    n4: ["n0"],
  });
});

Deno.test("makeTopology('line') chains nodes and is empty below two nodes", () => {
  assert.deepEqual(makeTopology("line", FIVE), {
    n0: ["n1"],
    n1: ["n0", "n2"],
    n2: ["n1", "n3"],
    n3: ["n2", "n4"],
    n4: ["n3"],
  });
  assert.deepEqual(makeTopology("line", ["n0"]), {});
  assert.deepEqual(makeTopology("line", []), {});
  assert.deepEqual(makeTopology("line", ["a", "b"]), { a: ["b"], b: ["a"] });
});

Deno.test("makeTopology('total') links every other node in order", () => {
  assert.deepEqual(makeTopology("total", ["n0", "n1", "n2"]), {
    n0: ["n1", "n2"],
    n1: ["n0", "n2"],
    n2: ["n0", "n1"],
  });
  assert.deepEqual(makeTopology("total", ["n0"]), { n0: [] });
});

Deno.test("makeTopology() gives a lone node no neighbours in grid and trees", () => {
  for (const kind of ["grid", "tree", "tree3"]) {
    assert.deepEqual(makeTopology(kind, ["n0"]), { n0: [] }, kind);
  }
});

Deno.test("makeTopology('grid') on 25 nodes is a 5x5 grid with at most 4 neighbours", () => {
  const nodes = Array.from({ length: 25 }, (_, i) => `n${i}`);
  const grid = makeTopology("grid", nodes);
  assert.deepEqual(grid.n0, ["n5", "n1"]);
  assert.deepEqual(grid.n12, ["n17", "n7", "n13", "n11"]);
  assert.deepEqual(grid.n24, ["n19", "n23"]);
  for (const [node, neighbours] of Object.entries(grid)) {
    for (const other of neighbours) assert.ok(grid[other]?.includes(node), `${node}-${other}`);
  }
});

Deno.test("makeTopology() rejects an unknown kind naming the valid ones", () => {
  assert.throws(() => makeTopology("ring", FIVE), {
    name: "RangeError",
    message:
      'Unknown topology "ring"; expected one of line, grid, tree, tree2, tree3, tree4, total',
  });
  assert.equal(topologyKinds.length, 7);
});
