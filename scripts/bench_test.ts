import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { opLatencies } from "../harness/analysis.ts";
import type { Op } from "../harness/history.ts";
import { mergeRows, parseBenchArgs, type SavedBench } from "./bench.ts";
import { benchConfigs, selectConfigs, withFlag } from "./bench_configs.ts";
import { addDetails, finalLatencies, formatGoal } from "./bench_details.ts";
import {
  formatBenchTable,
  formatDetailsTable,
  formatNodeTable,
  formatReadme,
  median,
  medianRow,
  type MergedRows,
} from "./bench_table.ts";
import { OFFICIAL_RUNS } from "./official.ts";
import { markdownTable } from "./results_table.ts";

Deno.test("median() takes the middle value, or the mean of the middle two", () => {
  assert.deepStrictEqual(median([]), undefined);
  assert.deepStrictEqual(median([3, 1, 2]), 2);
  assert.deepStrictEqual(median([4, 1, 3, 2]), 2.5);
});

Deno.test("medianRow() folds runs into medians and counts valid runs", () => {
  const row = medianRow("3d", [
    { name: "3d", valid: true, msgsPerOpAll: 10, latencyMedian: 100, availability: 1 },
    { name: "3d", valid: false, msgsPerOpAll: 14, latencyMedian: 300 },
    { name: "3d", valid: true, msgsPerOpAll: 12, latencyMedian: 200, note: "slow" },
  ], "target");
  assert.deepStrictEqual(row, {
    name: "3d",
    valid: false,
    msgsPerOpAll: 12,
    latencyMedian: 200,
    availability: 1,
    target: "target",
    note: "2/3 valid; slow",
  });
  assert.deepStrictEqual(medianRow("1", [{ name: "1", valid: true }]).valid, true);
  assert.deepStrictEqual(medianRow("1", [{ name: "1", valid: "error", note: "x" }]), {
    name: "1",
    valid: "error",
    note: "x",
  });
});

Deno.test("markdownTable() pads columns and escapes pipes", () => {
  assert.deepStrictEqual(
    markdownTable(["a", "bb"], [["x|y", "1"]]),
    "| a    | bb |\n| ---- | -- |\n| x\\|y | 1  |",
  );
});

Deno.test("formatBenchTable() prints our figures beside the published ones", () => {
  const configs = selectConfigs(benchConfigs(), ["1", "3d"]);
  const table = formatBenchTable([
    { name: "1", valid: true, msgsPerOpAll: 2, msgsPerOpServers: 0, latencyMedian: 0.94 },
    {
      name: "3d",
      valid: true,
      msgsPerOpAll: 13.456,
      msgsPerOpServers: 12.5,
      latencyMedian: 120.4,
      latencyP99: 210,
      latencyMax: 230.6,
      availability: 1,
    },
  ], configs).split("\n");
  assert.deepStrictEqual(table.length, 4);
  assert.deepStrictEqual(
    table[2]!.split("|").map((c) => c.trim()).slice(1, 8),
    ["1", "true", "2.00", "0.00", "0.9 / - / -", "-", ""],
  );
  const cells = table[3]!.split("|").map((c) => c.trim());
  assert.deepStrictEqual(cells.slice(1, 7), [
    "3d",
    "true",
    "13.46",
    "12.50",
    "120 / 210 / 231",
    "1.0000",
  ]);
  assert.deepStrictEqual(cells[8], "≤ 12.5 / 110 / 220: NO (median, max)");
  assert.deepStrictEqual(cells[9], "22.78 msgs/op, 177 / - / 237 ms");
  assert.deepStrictEqual(cells[10], "community write-ups (Go, star on n0)");
});

Deno.test("formatNodeTable() prints start-up and RSS, dashes when unmeasured", () => {
  const lines = formatNodeTable([
    { node: "echo", runner: "deno run", startupMs: 41.6, rssMiB: 35.71 },
    { node: "kafka", runner: "bin/", note: "no init_ok" },
  ]).split("\n");
  assert.deepStrictEqual(lines[2]!.split("|").map((c) => c.trim()).slice(1, 6), [
    "echo",
    "deno run",
    "42",
    "35.7",
    "",
  ]);
  assert.deepStrictEqual(lines[3]!.split("|").map((c) => c.trim()).slice(1, 6), [
    "kafka",
    "bin/",
    "-",
    "-",
    "no init_ok",
  ]);
});

/**
 * The fault rows: each official run's but echo's (an unanswered echo fails Maelstrom's checker)
 * and 3c's, which would repeat 3b's (3c adds partitions).
 */
const _KILL_ROWS = OFFICIAL_RUNS.filter((r) => r.name !== "3c" && r.name !== "1").map((r) =>
  `${r.name}-faults`
);

Deno.test("benchConfigs() holds every official run, in order, then the extra modes", () => {
  const configs = benchConfigs();
  const names = configs.map((c) => c.name);
  assert.deepStrictEqual(names.slice(0, OFFICIAL_RUNS.length), OFFICIAL_RUNS.map((r) => r.name));
  assert.deepStrictEqual(names.slice(OFFICIAL_RUNS.length), [
    "3de-balanced",
    "3de-frugal",
    "4-crdt",
    "6c-read-atomic",
    "6b-no-nemesis",
    "6c-5n",
    "6c-5n-strict",
    ..._KILL_ROWS,
  ]);
  for (const run of OFFICIAL_RUNS) {
    const config = configs.find((c) => c.name === run.name)!;
    assert.deepStrictEqual(config.flags, run.flags);
    assert.deepStrictEqual(config.env, run.env ?? {});
    assert.deepStrictEqual(config.official, true);
  }
  const keys = configs.map((c) => JSON.stringify([c.challenge, c.flags, c.env]));
  assert.deepStrictEqual(new Set(keys).size, keys.length);
});

Deno.test("benchConfigs() attaches the published figures with their sources", () => {
  const byName = new Map(benchConfigs().map((c) => [c.name, c]));
  const sources = (name: string) => byName.get(name)!.published.map((p) => p.source);
  assert.deepStrictEqual(sources("3d"), [
    "community write-ups (Go, star on n0)",
  ]);
  assert.deepStrictEqual(sources("3e"), [
    "community write-ups (balance A)",
    "community write-ups (balance B)",
  ]);
  assert.deepStrictEqual(byName.get("5c")!.published.map((p) => p.figure), [
    "7.19 msgs/op all, 4.73 servers",
    "2.3 msgs/op all, availability 0.99915",
  ]);
  assert.deepStrictEqual(sources("3de-balanced"), [
    "community write-ups (Go, star on n0)",
    "community write-ups (balance A)",
  ]);
  for (const name of ["6a", "6b", "6c", "6c-read-atomic", "6c-5n", "6c-5n-strict"]) {
    assert.deepStrictEqual(sources(name), ["maelstrom #56"]);
  }
  assert.deepStrictEqual(byName.get("4-crdt")!.env, { COUNTER_MODE: "crdt" });
  assert.deepStrictEqual(byName.get("3de-balanced")!.env, { BROADCAST_MODE: "balanced" });
  const fiveNodes = byName.get("6c-5n")!.flags;
  assert.deepStrictEqual(fiveNodes[fiveNodes.indexOf("--node-count") + 1], "5");
  assert.deepStrictEqual(fiveNodes[fiveNodes.indexOf("--consistency-models") + 1], "read-atomic");
  const strict = byName.get("6c-5n-strict")!.flags;
  assert.deepStrictEqual(strict[strict.indexOf("--consistency-models") + 1], "read-atomic");
  assert.ok(strict.includes("--strict"));
  assert.deepStrictEqual(byName.get("6b-no-nemesis")!.flags.includes("--nemesis"), false);
  assert.deepStrictEqual(byName.get("6b")!.flags.includes("--nemesis"), true);
  assert.deepStrictEqual(byName.get("3d")!.goal, { msgsPerOp: 12.5, medianMs: 110, maxMs: 220 });
  assert.deepStrictEqual(byName.get("3de-balanced")!.goal, {
    msgsPerOp: 2.4,
    medianMs: 265,
    maxMs: 400,
  });
  assert.deepStrictEqual(byName.get("3e")!.goal, { msgsPerOp: 1.5, medianMs: 330, maxMs: 500 });
  assert.deepStrictEqual(byName.get("4")!.goal, undefined);
});

Deno.test("faultConfigs() adds partition,kill,pause to each official run, drops total availability", () => {
  const byName = new Map(benchConfigs().map((c) => [c.name, c]));
  const flag = (name: string, f: string) => {
    const flags = byName.get(name)!.flags;
    return flags.includes(f) ? flags[flags.indexOf(f) + 1] : undefined;
  };
  assert.equal(byName.get("3c-faults"), undefined, "3c with kills is 3b with kills");
  assert.equal(byName.get("1-faults"), undefined, "an unanswered echo fails Maelstrom's checker");
  for (const run of OFFICIAL_RUNS.filter((r) => r.name !== "3c" && r.name !== "1")) {
    assert.equal(flag(`${run.name}-faults`, "--nemesis"), "partition,kill,pause");
    assert.equal(flag(`${run.name}-faults`, "--nemesis-interval"), "5");
    assert.equal(flag(`${run.name}-faults`, "--availability"), undefined);
    assert.deepStrictEqual(byName.get(`${run.name}-faults`)!.env, run.env ?? {});
  }
  assert.equal(flag("6c-faults", "--consistency-models"), "read-committed");
  assert.ok(byName.get("6c-faults")!.flags.includes("--final-reads"));
  assert.ok(!byName.get("5c-faults")!.flags.includes("--final-reads"));
});

Deno.test("selectConfigs() keeps the named configurations in table order", () => {
  const all = benchConfigs();
  assert.deepStrictEqual(selectConfigs(all, ["4-crdt", "1"]).map((c) => c.name), ["1", "4-crdt"]);
  assert.deepStrictEqual(selectConfigs(all, undefined).length, all.length);
  assert.throws(() => selectConfigs(all, ["1", "7z"]), /--only: unknown configuration 7z/);
  assert.deepStrictEqual(selectConfigs(all, ["g-counter"]).map((c) => c.name), [
    "4",
    "4-crdt",
    "4-faults",
  ]);
  assert.deepStrictEqual(selectConfigs(all, ["kafka", "5c"]).map((c) => c.name), [
    "5a",
    "5b",
    "5c",
    "5a-faults",
    "5b-faults",
    "5c-faults",
  ]);
  assert.deepStrictEqual(
    selectConfigs(all, ["faults"]).map((c) => c.name),
    _KILL_ROWS,
  );
});

Deno.test("withFlag() replaces a flag's value or appends it", () => {
  assert.deepStrictEqual(withFlag(["--a", "1", "--b", "2"], "--b", "3"), ["--a", "1", "--b", "3"]);
  assert.deepStrictEqual(withFlag(["--a", "1"], "--c", "4"), ["--a", "1", "--c", "4"]);
});

Deno.test("parseBenchArgs() reads --only, --runs, --time-limit and defaults", () => {
  assert.deepStrictEqual(parseBenchArgs([]), {
    runs: 1,
    store: "store",
    nodeRuns: 3,
    skipNodes: false,
    skipScale: false,
    rewrite: false,
    merge: false,
  });
  assert.deepStrictEqual(
    parseBenchArgs(["--only", "1, 3d", "--runs", "3", "--time-limit", "2", "--store", "s"]),
    {
      only: ["1", "3d"],
      runs: 3,
      timeLimit: 2,
      store: "s",
      nodeRuns: 3,
      skipNodes: false,
      skipScale: false,
      rewrite: false,
      merge: false,
    },
  );
  assert.throws(() => parseBenchArgs(["--runs", "0"]), /--runs expects a positive integer/);
});

Deno.test("formatGoal() names the figures that miss our goal", () => {
  const goal = { msgsPerOp: 2.4, medianMs: 265, maxMs: 400 };
  const row = { name: "3de-balanced", valid: true as const, msgsPerOpServers: 2.2 };
  assert.deepStrictEqual(
    formatGoal({ ...row, latencyMedian: 250, latencyMax: 400 }, goal),
    "≤ 2.4 / 265 / 400: yes",
  );
  assert.deepStrictEqual(
    formatGoal({ ...row, msgsPerOpServers: 3, latencyMedian: 250 }, goal),
    "≤ 2.4 / 265 / 400: NO (msgs/op, max)",
  );
  assert.deepStrictEqual(formatGoal(row, undefined), "");
});

const HISTORY = [
  { process: 0, type: "invoke", time: 1_000_000, f: "add" },
  { process: 0, type: "ok", time: 9_000_000, f: "add" },
  { process: 0, type: "invoke", time: 10_000_000, f: "read", final: true },
  { process: 1, type: "invoke", time: 10_000_000, f: "read", final: true },
  { process: "nemesis", type: "info", time: 11_000_000, f: "stop-partition", final: true },
  { process: 0, type: "ok", time: 12_000_000, f: "read", final: true },
  { process: 1, type: "ok", time: 15_500_000, f: "read", final: true },
].map((op) => JSON.stringify(op)).join("\n") + "\n";

Deno.test("finalLatencies() pairs the final ops of each process, in ms", () => {
  assert.deepStrictEqual(finalLatencies(HISTORY), { p50: 5.5, max: 5.5 });
  const [first, ...rest] = HISTORY.split("\n");
  assert.deepStrictEqual(finalLatencies([first, ...rest.slice(0, 3), rest[4]].join("\n")), {
    p50: 2,
    max: 2,
  });
  assert.deepStrictEqual(finalLatencies(""), { p50: NaN, max: NaN });
});

Deno.test("addDetails() adds final latencies, and the abort rate and models for txns", () => {
  const row = { name: "6c", valid: true as const };
  const txn = {
    stats: { count: 200, "fail-count": 5 },
    workload: { models: ["read-atomic"], not: ["snapshot-isolation"] },
  };
  assert.deepStrictEqual(addDetails(row, txn, ""), {
    name: "6c",
    valid: true,
    abortRate: 0.025,
    models: "read-atomic",
    ruledOut: "snapshot-isolation",
  });
  assert.deepStrictEqual(addDetails(row, { workload: { valid: true } }, HISTORY), {
    name: "6c",
    valid: true,
    finalMedian: 5.5,
    finalMax: 5.5,
  });
});

Deno.test("formatDetailsTable() lists only rows with per-challenge figures", () => {
  const rows = [
    medianRow("4-crdt", [
      { name: "4-crdt", valid: true, finalMedian: 1, finalMax: 3 },
      { name: "4-crdt", valid: true, finalMedian: 2, finalMax: 5 },
    ]),
    { name: "1", valid: true as const },
    { name: "6c", valid: true as const, abortRate: 0, models: "causal", ruledOut: "" },
    medianRow("2-faults", [
      { name: "2-faults", valid: true, kills: 2, pauses: 3 },
      { name: "2-faults", valid: true, kills: 4, pauses: 1 },
    ]),
  ];
  assert.deepStrictEqual(rows[0]!.finalMedian, 1.5);
  const lines = formatDetailsTable(rows).split("\n");
  assert.deepStrictEqual(lines.length, 5);
  const cells = (line: number) => lines[line]!.split("|").map((c) => c.trim()).slice(1, 8);
  assert.deepStrictEqual(cells(2), ["4-crdt", "true", "1.5 / 4.0", "-", "-", "", ""]);
  assert.deepStrictEqual(cells(3), ["6c", "true", "-", "-", "0.0000", "causal", ""]);
  assert.deepStrictEqual(cells(4), ["2-faults", "true", "-", "3 / 2", "-", "", ""]);
  assert.deepStrictEqual(formatDetailsTable([{ name: "1", valid: true }]), "");
});

Deno.test("opLatencies() pairs each ok with its process's invoke, in ms", () => {
  const op = (index: number, time: number, type: Op["type"], process: Op["process"]): Op => ({
    index,
    time,
    type,
    process,
    f: "read",
    value: null,
  });
  const history = [
    op(0, 0, "invoke", 0),
    op(1, 1_000_000, "invoke", 1),
    op(2, 2_500_000, "ok", 0),
    op(3, 3_000_000, "info", "nemesis"),
    op(4, 9_000_000, "fail", 1),
    op(5, 10_000_000, "invoke", 0),
    op(6, 14_123_456, "ok", 0),
  ];
  assert.deepStrictEqual(opLatencies(history), {
    "0": 2.5,
    "0.5": 4.12,
    "0.95": 4.12,
    "0.99": 4.12,
    "1": 4.12,
  });
  assert.deepStrictEqual(opLatencies([]), {});
});

Deno.test("deno task bench --only 1 prints a valid row and the node table", async () => {
  const store = await Deno.makeTempDir();
  try {
    const script = fileURLToPath(new URL("./bench.ts", import.meta.url));
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        script,
        "--only",
        "1",
        "--time-limit",
        "2",
        "--store",
        store,
        "--node-runs",
        "1",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stdout);
    assert.deepStrictEqual(code, 0);
    const row = text.split("\n").find((l) => l.startsWith("| 1 "));
    assert.deepStrictEqual(row?.split("|").map((c) => c.trim()).slice(1, 3), ["1", "true"]);
    assert.match(text, /\| echo +\| deno run +\| \d+ +\| \d+\.\d +\|/);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

/** bench/README.md with empty tables, for what it says of `merged`. */
function _readmeWithMerges(merged: readonly MergedRows[]): string {
  return formatReadme({
    command: "deno task bench --runs 3",
    date: "2026-11-30",
    runs: 3,
    denoVersion: "2.9.6",
    results: "",
    details: "",
    configs: "",
    nodes: "",
    nodeNotes: [],
    scale: "",
    merged,
  });
}

Deno.test("mergeRows() replaces just the named rows, in the bench's order, and records the merge", () => {
  const row = (name: string, msgs: number) => ({ name, valid: true as const, msgsPerOpAll: msgs });
  const run = (name: string, seed: number) => ({
    config: name,
    seed,
    storePath: "",
    exitCode: 0,
    row: row(name, seed),
  });
  const saved: SavedBench = {
    command: "deno task bench --runs 3",
    date: "2026-11-30T00:00:00Z",
    runs: [run("3d", 1), run("4", 1), run("5c", 1)],
    medians: [row("3d", 14), row("4", 6.5), row("5c", 2.1)],
    nodes: [],
    scale: [],
    merged: [{ configs: ["4", "5c"], command: "deno task bench --only 4,5c --merge", date: "x" }],
  };
  const merged = mergeRows(saved, [run("4", 2), run("3de-frugal", 2)], [
    row("3de-frugal", 2.5),
    row("4", 2.8),
  ], { command: "deno task bench --only 4,3de-frugal --merge", date: "2026-12-01T00:00:00Z" });
  assert.deepStrictEqual(merged.medians.map((r) => [r.name, r.msgsPerOpAll]), [
    ["3d", 14],
    ["4", 2.8],
    ["5c", 2.1],
    ["3de-frugal", 2.5], // extras after the official runs
  ]);
  assert.deepStrictEqual(merged.runs.map((r) => r.config), ["3d", "5c", "4", "3de-frugal"]);
  assert.deepStrictEqual(merged.merged?.map((m) => m.configs), [["5c"], ["3de-frugal", "4"]]);
  assert.equal(saved.medians.length, 3); // the input is left alone
  const readme = _readmeWithMerges(merged.merged ?? []);
  assert.match(readme, /except the rows re-measured since/);
  assert.match(
    readme,
    /Rows 3de-frugal, 4: re-measured on 2026-12-01 by `deno task bench --only 4/,
  );
});

Deno.test("mergeRows() with scale runs replaces the scale section and says so", () => {
  const scaleRun = (config: string) => ({ config, seed: 1, valid: true, storePath: "" });
  const saved: SavedBench = {
    command: "deno task bench --runs 3",
    date: "2026-11-30T00:00:00Z",
    runs: [],
    medians: [{ name: "4", valid: true, msgsPerOpAll: 3 }],
    nodes: [],
    scale: [scaleRun("old")],
  };
  const merged = mergeRows(saved, [], [], { command: "c", date: "2026-12-01" }, [scaleRun("new")]);
  assert.deepStrictEqual(merged.scale.map((r) => r.config), ["new"]);
  assert.deepStrictEqual(merged.medians, saved.medians);
  assert.deepStrictEqual(merged.merged?.map((m) => m.configs), [["scale"]]);
  const untouched = mergeRows(saved, [], [{ name: "4", valid: true, msgsPerOpAll: 2 }], {
    command: "c",
    date: "2026-12-01",
  });
  assert.deepStrictEqual(untouched.scale.map((r) => r.config), ["old"]);
  const readme = (configs: string[]) =>
    _readmeWithMerges([{ configs, command: "c", date: "2026-12-01" }]);
  assert.match(readme(["scale"]), /The scale section: re-measured on 2026-12-01/);
  assert.match(readme(["4", "scale"]), /Row 4 and the scale section: re-measured/);
});

Deno.test("parseBenchArgs() takes --merge only with --only and a full time limit", () => {
  assert.equal(parseBenchArgs(["--only", "4", "--merge"]).merge, true);
  assert.throws(() => parseBenchArgs(["--merge"]), /--merge takes --only/);
  assert.throws(() => parseBenchArgs(["--only", "4", "--merge", "--time-limit", "2"]), /--merge/);
});
