/**
 * The node runtime, as published from `lib/` (`@glomers/maelstrom-node` on JSR, `maelstrom-node`
 * on npm; [docs/install.md](docs/install.md)). The challenges and tests import it from here.
 *
 * @module
 */

export * from "./lib/mod.ts";
