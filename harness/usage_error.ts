/**
 * The command-line mistake every command of the harness reports the same way: one line, then its
 * usage, exit 2. Apart from `cli.ts` so a command it loads on demand (`serve`) can share it.
 *
 * @module
 */

/** A command-line mistake: reported as one line plus the usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
