import { deepStrictEqual, match, throws } from "node:assert/strict";
import { denortHelp, findDenort, parseBuildPermissions } from "./build.ts";

Deno.test("parseBuildPermissions() reads the pragma and defaults to none", () => {
  deepStrictEqual(parseBuildPermissions("// build-permissions: --allow-env=A,B\nexport {};"), [
    "--allow-env=A,B",
  ]);
  deepStrictEqual(parseBuildPermissions("export {};"), []);
  throws(() => parseBuildPermissions("// build-permissions: -A"), RangeError);
});

Deno.test("findDenort() prefers DENORT_BIN, then the cache, then a download", () => {
  const base = { denoDir: "/d", version: "2.9.6", target: "x86_64-unknown-linux-gnu" };
  const cached = "/d/dl/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip";
  deepStrictEqual(findDenort({ ...base, denortBin: "/x/denort", exists: () => true }), {
    kind: "env",
    path: "/x/denort",
  });
  deepStrictEqual(findDenort({ ...base, denortBin: "/x/denort", exists: () => false }), {
    kind: "invalid-env",
    path: "/x/denort",
  });
  deepStrictEqual(findDenort({ ...base, denortBin: undefined, exists: (p) => p === cached }), {
    kind: "cache",
    path: cached,
  });
  deepStrictEqual(findDenort({ ...base, denortBin: "", exists: () => false }), {
    kind: "download",
  });
});

Deno.test("denortHelp() says why and how to fix it", () => {
  const text = denortHelp({ kind: "download" }, "2.9.6", "x86_64-unknown-linux-gnu");
  match(text, /DENORT_BIN/);
  match(text, /network/);
});

async function build(env: Record<string, string>, out: string) {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/build.ts", "--out", out, "echo"],
    env,
    stdout: "piped",
    stderr: "piped",
  });
  const result = await command.output();
  return { code: result.code, stderr: new TextDecoder().decode(result.stderr) };
}

Deno.test("deno task build fails with one clear message when DENORT_BIN is wrong", async () => {
  const out = await Deno.makeTempDir();
  try {
    const result = await build({ DENORT_BIN: "/nonexistent/denort" }, out);
    deepStrictEqual(result.code, 1);
    match(result.stderr, /DENORT_BIN points at \/nonexistent\/denort, which does not exist/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("deno task build either builds a working binary or says how to get denort", async () => {
  const out = await Deno.makeTempDir();
  const denoDir = await Deno.makeTempDir();
  try {
    const result = await build({ DENO_DIR: denoDir, DENORT_BIN: "" }, out);
    if (result.code === 0) {
      const stat = await Deno.stat(`${out}/echo`);
      deepStrictEqual(stat.isFile, true);
    } else {
      deepStrictEqual(result.code, 1);
      match(result.stderr, /set DENORT_BIN/);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
    await Deno.remove(denoDir, { recursive: true });
  }
});
