import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import {
  ALL_MODELS,
  boundary,
  canonicalModel,
  friendlyModel,
  modelImplies,
  prohibitedAnomalies,
} from "./models.ts";

/** Which of `models` prohibit `anomaly`. */
function prohibiting(anomaly: string, models: string[]): string[] {
  return models.filter((m) => prohibitedAnomalies([m]).has(anomaly));
}

const MODELS = [
  "read-uncommitted",
  "read-committed",
  "read-atomic",
  "causal",
  "repeatable-read",
  "snapshot-isolation",
  "serializable",
  "strict-serializable",
];

Deno.test("prohibitedAnomalies() follows Elle's lattice for the common models", () => {
  assertEquals(prohibiting("G0", MODELS), MODELS.filter((m) => m !== "causal"));
  assertEquals(prohibiting("cyclic-versions", MODELS), MODELS.filter((m) => m !== "causal"));
  for (const a of ["G1a", "G1b", "G1c"]) {
    assertEquals(prohibiting(a, MODELS), MODELS.slice(1).filter((m) => m !== "causal"), a);
  }
  // Repeatable read does not imply read atomic in Elle, so it allows internal anomalies.
  assertEquals(prohibiting("internal", MODELS), [
    "read-atomic",
    "snapshot-isolation",
    "serializable",
    "strict-serializable",
  ]);
  assertEquals(prohibiting("lost-update", MODELS), [
    "repeatable-read",
    "snapshot-isolation",
    "serializable",
    "strict-serializable",
  ]);
  assertEquals(prohibiting("G-single-item", MODELS), MODELS.slice(4));
  assertEquals(prohibiting("G2-item", MODELS), [
    "repeatable-read",
    "serializable",
    "strict-serializable",
  ]);
  assertEquals(prohibiting("G-single-item-realtime", MODELS), ["strict-serializable"]);
  // Elle's causal is the single-object model: it proscribes nothing transactional.
  assertEquals(prohibitedAnomalies(["causal"]).size, 0);
});

Deno.test("boundary() gives the weakest ruled-out models, then the rest", () => {
  assertEquals(boundary(["G1c"]).not, ["read-committed"]);
  assertEquals(boundary(["internal"]).not, ["read-atomic"]);
  assertEquals(boundary(["lost-update"]).not, ["cursor-stability", "update-atomic"]);
  assert(boundary(["G0"]).alsoNot.includes("strict-serializable"));
  assertEquals(boundary([]), { not: [], alsoNot: [] });
});

Deno.test("canonicalModel() and friendlyModel() translate Elle's names", () => {
  assertEquals(canonicalModel("read-committed"), "PL-2");
  assertEquals(friendlyModel("PL-3"), "serializable");
  assertEquals(friendlyModel("strong-serializable"), "strict-serializable");
  assertEquals(friendlyModel("causal-cerone"), "causal-cerone");
  assert(modelImplies("strict-serializable", "read-uncommitted"));
  assert(!modelImplies("repeatable-read", "read-atomic"));
  assert(ALL_MODELS.has("strong-session-read-committed") && ALL_MODELS.has("PL-SS"));
  assert(!ALL_MODELS.has("snapshot"));
});
