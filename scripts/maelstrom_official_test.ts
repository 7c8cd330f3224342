import { deepStrictEqual, equal, match } from "node:assert/strict";
import { join } from "node:path";
import { findMaelstrom, parseResultsEdn } from "./maelstrom-official.ts";
import { formatTable, rowFromResults } from "./results_table.ts";

const RESULTS_EDN = `{:perf {:valid? true}
 :stats {:valid? true, :count 2000, :ok-count 2000, :fail-count 0, :info-count 0}
 :availability {:valid? true, :ok-fraction 1.0}
 :net {:all {:send-count 30000, :recv-count 30000, :msg-count 30000, :msgs-per-op 15.0},
       :clients {:send-count 4100, :recv-count 4100, :msg-count 4100},
       :servers {:send-count 25900, :recv-count 25900, :msg-count 25900, :msgs-per-op 12.95}}
 :workload {:valid? true, :lost-count 0,
            :stable-latencies {0 0, 0.5 104, 0.95 190, 0.99 201, 1 210}}
 :valid? true}`;

Deno.test("rowFromResults() reads a real Maelstrom results.edn", () => {
  const row = rowFromResults("3d", parseResultsEdn(RESULTS_EDN), "msgs/op < 30");
  deepStrictEqual(row, {
    name: "3d",
    valid: true,
    ops: 2000,
    msgsPerOpAll: 15,
    msgsPerOpServers: 12.95,
    latencyMedian: 104,
    latencyP99: 201,
    latencyMax: 210,
    availability: 1,
    target: "msgs/op < 30",
  });
});

Deno.test("rowFromResults() reads our results.json and marks invalid runs", () => {
  const row = rowFromResults("1", { valid: false, net: { all: { "msgs-per-op": 2 } } });
  equal(row.valid, false);
  equal(row.msgsPerOpAll, 2);
  match(formatTable([row]), /\| 1 +\| false \|/);
});

async function runScript(env: Record<string, string>, args: string[] = []) {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/maelstrom-official.ts", ...args],
    env: { PATH: "/usr/bin:/bin", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: result.code, stdout: decode(result.stdout), stderr: decode(result.stderr) };
}

Deno.test("maelstrom-official fails clearly without Maelstrom", async () => {
  const result = await runScript({ HOME: Deno.env.get("HOME") ?? "/root" });
  equal(result.code, 2);
  match(result.stderr, /Maelstrom not found/);
});

Deno.test("maelstrom-official fails clearly without binaries, then tabulates a fake Maelstrom", async () => {
  const home = await Deno.makeTempDir();
  const bins = await Deno.makeTempDir();
  try {
    const fake = join(home, "maelstrom");
    // A stand-in launcher: records its arguments and writes a results.edn where Maelstrom would.
    await Deno.writeTextFile(
      fake,
      `#!/bin/sh\nmkdir -p store/run\necho "$@" > args.txt\ncat > store/run/results.edn <<'X'\n${RESULTS_EDN}\nX\nln -sfn run store/latest\n`,
    );
    await Deno.chmod(fake, 0o755);
    const env = { HOME: Deno.env.get("HOME") ?? "/root", MAELSTROM_HOME: home };
    const missing = await runScript(env, ["--only", "3d", "--bin-dir", bins]);
    equal(missing.code, 2);
    match(missing.stderr, /no binary for broadcast .*deno task build/);

    await Deno.writeTextFile(join(bins, "broadcast"), "");
    const ok = await runScript(env, ["--only", "3d", "--bin-dir", bins]);
    equal(ok.code, 0);
    match(ok.stdout, /\| 3d +\| true +\| 2000 +\| 15\.00 +\| 12\.95 +\| 104 \/ 201 \/ 210 /);
    const args = await Deno.readTextFile(join(home, "args.txt"));
    match(
      args,
      /^test -w broadcast --bin \S+\/broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100/,
    );
    equal(findMaelstrom({ home }), fake);
  } finally {
    await Deno.remove(home, { recursive: true });
    await Deno.remove(bins, { recursive: true });
  }
});
