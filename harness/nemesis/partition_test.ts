import assert from "node:assert/strict";
import { describeGrudge, grudgeFor, partitionShapes, pickPartition } from "./partition.ts";
import { createRng } from "../rng.ts";

function _nodes(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `n${i}`);
}

/** Whom `node` hears (itself included) under `grudge`. */
function _hears(nodes: readonly string[], grudge: Map<string, Set<string>>, node: string) {
  return new Set(nodes.filter((src) => !(grudge.get(node)?.has(src) ?? false)));
}

/** Checks the grudge is a complete split into components and returns their sorted sizes. */
function _componentSizes(nodes: readonly string[], grudge: Map<string, Set<string>>): number[] {
  const seen = new Set<string>();
  const sizes: number[] = [];
  for (const node of nodes) {
    if (seen.has(node)) continue;
    const component = _hears(nodes, grudge, node);
    for (const member of component) {
      assert.deepEqual(_hears(nodes, grudge, member), component, `${member} vs ${node}`);
      seen.add(member);
    }
    sizes.push(component.size);
  }
  return sizes.sort((a, b) => a - b);
}

function _checkWellFormed(nodes: readonly string[], grudge: Map<string, Set<string>>): void {
  for (const [dest, srcs] of grudge) {
    assert.ok(nodes.includes(dest));
    assert.ok(srcs.size > 0);
    assert.ok(!srcs.has(dest), `${dest} drops itself`);
    for (const src of srcs) assert.ok(nodes.includes(src));
  }
}

const SIZES = [1, 2, 3, 4, 5, 6, 7, 25];

Deno.test("grudgeFor('one') isolates exactly one node both ways", () => {
  for (const n of SIZES) {
    const nodes = _nodes(n);
    for (let seed = 0; seed < 10; seed++) {
      const grudge = grudgeFor("one", nodes, createRng(seed));
      _checkWellFormed(nodes, grudge);
      assert.deepEqual(_componentSizes(nodes, grudge), n === 1 ? [1] : [1, n - 1]);
    }
  }
});

Deno.test("grudgeFor('majority') splits floor(n/2) | ceil(n/2) both ways", () => {
  for (const n of SIZES) {
    const nodes = _nodes(n);
    for (let seed = 0; seed < 10; seed++) {
      const grudge = grudgeFor("majority", nodes, createRng(seed));
      _checkWellFormed(nodes, grudge);
      const expected = n === 1 ? [1] : [Math.floor(n / 2), Math.ceil(n / 2)];
      assert.deepEqual(_componentSizes(nodes, grudge), expected);
    }
  }
});

Deno.test("grudgeFor('minority-third') splits off floor((n-1)/3) nodes", () => {
  const expected: Record<number, number[]> = {
    1: [1],
    2: [2],
    3: [3],
    4: [1, 3],
    5: [1, 4],
    6: [1, 5],
    7: [2, 5],
    25: [8, 17],
  };
  for (const n of SIZES) {
    const nodes = _nodes(n);
    for (let seed = 0; seed < 10; seed++) {
      const grudge = grudgeFor("minority-third", nodes, createRng(seed));
      _checkWellFormed(nodes, grudge);
      assert.deepEqual(_componentSizes(nodes, grudge), expected[n]);
      if (n <= 3) assert.equal(grudge.size, 0);
    }
  }
});

Deno.test("grudgeFor('majorities-ring') at n=5 lets each node hear its two ring neighbours", () => {
  const nodes = _nodes(5);
  for (let seed = 0; seed < 20; seed++) {
    const grudge = grudgeFor("majorities-ring", nodes, createRng(seed));
    _checkWellFormed(nodes, grudge);
    for (const node of nodes) {
      const hears = _hears(nodes, grudge, node);
      assert.equal(hears.size, 3);
      assert.ok(hears.has(node));
      for (const other of hears) assert.ok(_hears(nodes, grudge, other).has(node), "symmetric");
    }
    // The "hears" links form one 5-cycle: walking from n0 visits every node once.
    const visited = ["n0"];
    let prev = "n0";
    let at = [..._hears(nodes, grudge, "n0")].find((x) => x !== "n0") as string;
    while (at !== "n0") {
      visited.push(at);
      const next = [..._hears(nodes, grudge, at)].find((x) => x !== at && x !== prev) as string;
      prev = at;
      at = next;
    }
    assert.deepEqual(visited.sort(), nodes);
  }
});

Deno.test("grudgeFor('majorities-ring') at n=3 is one-directional: each hears its predecessor", () => {
  const nodes = _nodes(3);
  for (let seed = 0; seed < 20; seed++) {
    const grudge = grudgeFor("majorities-ring", nodes, createRng(seed));
    _checkWellFormed(nodes, grudge);
    const heard = new Map<string, string>();
    for (const node of nodes) {
      const others = [..._hears(nodes, grudge, node)].filter((x) => x !== node);
      assert.equal(others.length, 1);
      heard.set(node, others[0] as string);
    }
    for (const [node, pred] of heard) assert.notEqual(heard.get(pred), node, "not mutual");
    // Following predecessors cycles through all three nodes.
    const a = heard.get("n0") as string;
    const b = heard.get(a) as string;
    assert.deepEqual(["n0", a, b].sort(), nodes);
    assert.equal(heard.get(b), "n0");
  }
});

Deno.test("grudgeFor('majorities-ring') at n=4 hears both neighbours, drops the opposite", () => {
  const nodes = _nodes(4);
  const grudge = grudgeFor("majorities-ring", nodes, createRng(1));
  for (const node of nodes) assert.equal(grudge.get(node)?.size, 1);
});

Deno.test("grudgeFor('majorities-ring') above 5 nodes links each node to >= m-1 others, symmetric", () => {
  for (const n of [6, 7, 25]) {
    const nodes = _nodes(n);
    const m = Math.floor(n / 2) + 1;
    for (let seed = 0; seed < 10; seed++) {
      const grudge = grudgeFor("majorities-ring", nodes, createRng(seed));
      _checkWellFormed(nodes, grudge);
      let cut = 0;
      for (const node of nodes) {
        const hears = _hears(nodes, grudge, node);
        assert.ok(hears.size >= m, `${node} hears ${hears.size} < ${m}`);
        for (const other of hears) assert.ok(_hears(nodes, grudge, other).has(node), "symmetric");
        cut += n - hears.size;
      }
      assert.ok(cut > 0, "something is cut");
    }
  }
});

Deno.test("grudgeFor() is a no-op for every shape on one node", () => {
  for (const shape of partitionShapes) {
    assert.equal(grudgeFor(shape, ["n0"], createRng(3)).size, 0, shape);
  }
});

Deno.test("pickPartition() picks every shape and is deterministic per seed", () => {
  const nodes = _nodes(5);
  const rng = createRng(99);
  const shapes = new Set<string>();
  for (let i = 0; i < 40; i++) shapes.add(pickPartition(nodes, rng).shape);
  assert.deepEqual([...shapes].sort(), [...partitionShapes].sort());
  const a = pickPartition(nodes, createRng(4));
  const b = pickPartition(nodes, createRng(4));
  assert.equal(a.shape, b.shape);
  assert.deepEqual(describeGrudge(a.grudge), describeGrudge(b.grudge));
});

Deno.test("describeGrudge() sorts dests and srcs", () => {
  const grudge = new Map([["n2", new Set(["n1", "n0"])], ["n0", new Set(["n2"])]]);
  assert.deepEqual(describeGrudge(grudge), { n0: ["n2"], n2: ["n0", "n1"] });
  assert.deepEqual(Object.keys(describeGrudge(grudge)), ["n0", "n2"]);
});
