/**
 * The command line that replays one simulated run exactly.
 *
 * @module
 */

/** The command that replays a run: `argv` with its seed pinned. */
export function replayCommand(argv: readonly string[], seed: number): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--seed") i++;
    else if (!arg.startsWith("--seed=")) kept.push(arg);
  }
  const quote = (word: string) => /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word}'`;
  return `deno task sim ${[...kept, "--seed", String(seed)].map(quote).join(" ")}`;
}
