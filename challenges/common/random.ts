/**
 * Random tokens drawn from a node's source of randomness (`node.random`), so a simulated run,
 * which seeds that source, replays them exactly.
 *
 * @module
 */

/**
 * `draws` × 48 random bits in base 36, each draw padded to 10 digits.
 *
 * @param random Uniform in [0, 1): `node.random` (`Math.random` in a process, seeded in simulation).
 * @param draws How many 48-bit draws (default 2: 96 bits).
 */
export function randomToken(random: () => number, draws = 2): string {
  let token = "";
  for (let i = 0; i < draws; i++) {
    token += Math.floor(random() * 2 ** 48).toString(36).padStart(10, "0");
  }
  return token;
}
