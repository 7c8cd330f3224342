/**
 * Runs a challenge entrypoint as a real child process (no permissions), feeds it input, and
 * collects its output, for end-to-end protocol tests.
 *
 * @module
 */

/** What a finished node process produced. */
export interface NodeRun {
  code: number;
  /** stdout split into lines (protocol only). */
  lines: string[];
  /** stderr as text (logs). */
  stderr: string;
}

/** Absolute path of a file in `challenges/`. */
export function challengePath(name: string): string {
  return new URL(`../challenges/${name}`, import.meta.url).pathname;
}

/** The init request for `nodeId` in a cluster of `nodeIds`. */
export function initLine(nodeId: string, nodeIds: string[] = [nodeId]): string {
  return JSON.stringify({
    src: "c0",
    dest: nodeId,
    body: { type: "init", msg_id: 1, node_id: nodeId, node_ids: nodeIds },
  });
}

/**
 * Spawns `deno run <script>` with no permissions, writes `input`, closes stdin, and waits for
 * exit, reading stdout and stderr to their ends.
 */
export function runNode(script: string, input: string): Promise<NodeRun> {
  return runProgram([Deno.execPath(), "run", "--quiet", script], input);
}

/** Like {@linkcode runNode}, for any command line (a node under Node or Bun). */
export async function runProgram(argv: readonly string[], input: string): Promise<NodeRun> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const child = new Deno.Command(program, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const writing = writer.write(new TextEncoder().encode(input)).then(() => writer.close());
  const [output] = await Promise.all([child.output(), writing]);
  const text = new TextDecoder().decode(output.stdout);
  const lines = text.length === 0 ? [] : text.replace(/\n$/, "").split("\n");
  return { code: output.code, lines, stderr: new TextDecoder().decode(output.stderr) };
}
