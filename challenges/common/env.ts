/**
 * The challenges' one reader of environment settings (design modes and ticks): each value is
 * checked at start-up, and a bad one stops the node with a message naming the variable, instead
 * of a node that runs with `NaN` ticks and answers every request with an error.
 *
 * @module
 */

/** One of `choices` from the variable `name`; unset or empty gives `fallback`. */
export function envChoice<T extends string>(
  name: string,
  choices: readonly T[],
  fallback: T,
  env: (name: string) => string | undefined = Deno.env.get,
): T {
  const value = env(name);
  if (value === undefined || value === "") return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new RangeError(`${name}=${value} is not one of ${choices.join(", ")}`);
}

/** A positive number of milliseconds from the variable `name`; unset or empty gives `fallback`. */
export function envMs(
  name: string,
  fallback: number,
  env: (name: string) => string | undefined = Deno.env.get,
): number {
  const value = env(name);
  if (value === undefined || value === "") return fallback;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(`${name}=${value} is not a positive number of milliseconds`);
  }
  return ms;
}

/**
 * Runs a challenge's `main`; a RangeError from reading its settings is printed as one line on
 * stderr and the process exits with status 2.
 */
export async function runChallenge(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    console.error(`configuration error: ${error.message}`);
    Deno.exit(2);
  }
}
