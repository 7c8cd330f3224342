/**
 * Challenge 3, broadcast (3a–3e): every value a client broadcasts reaches every node, partitions
 * included, with few messages and low latency.
 *
 * Design: the suggested topology is ignored. Each value is named (origin, seq) and nodes summarise
 * what they hold as a version vector. In `latency` mode the origin sends each value straight to the
 * 24 others (one 100 ms hop, 24 sends per broadcast = 12 msgs/op, no acks). In `balanced` and
 * `efficient` modes the origin sends it to the hub n0, which fans out everything new once per tick
 * (140 / 260 ms): two hops plus half a tick on average, one message per spoke per tick whatever
 * the load. In `frugal` mode spokes batch too, each timing its batch from the hub's echo of its
 * clock to land just before the hub's 900 ms tick (see `Timing` in `broadcast/core.ts`): half a
 * message per op, under a second of latency. Losses are recovered by anti-entropy on the hub↔spoke
 * links only: vectors ride on every
 * message there, a side pushes what the other provably lacks (values held longer than they could
 * still be in flight) at most once a second, and a link whose sides differ sends a bare sync after
 * 2.5 s of silence (hub 3.75 s). A healed cluster repairs within a tick or two of the first message
 * across the healed link and then goes silent; a cut link costs one small sync per 2.5 s, no storm,
 * no per-peer queues. The state machine is {@linkcode BroadcastCore} in `broadcast/core.ts`.
 *
 * Crashes: each node journals its own values (`broadcast/journal.ts`, `broadcast.journal` in its
 * working directory, through `common/durable_journal.ts`): one write(2) per value, before the `broadcast_ok` and before any message
 * about it, plus a line per start. A restarted node reloads them and continues their sequence, so
 * no name (origin, seq) is reused and vectors stay gap-free. Hub-link messages carry the sender's
 * incarnation: a restarted node greets its links, and the peer that sees a new incarnation drops
 * its view of the old one and sends everything the new one lacks (the hub to a spoke; every spoke
 * to a restarted hub). Until it holds what its links first reported (at most 5 s), a restarted
 * node answers reads with error 11, so the empty set it wakes up with never reads as a loss.
 * Why a journal, when the runtime writes the gossip before the reply in the same stdout write:
 * in latency mode that order alone would keep acknowledged values (not their names), but the hub
 * holds its own values until its next tick, and a value sent up to a dead hub lives only in its
 * origin.
 * Trade-off: a file append (a few µs) on each broadcast, without fsync: a SIGKILL loses nothing,
 * a machine crash could lose the tail (see `common/durable_journal.ts`). The journal is kept only in a
 * directory named after the node (the harness's `<run>/node-dirs/<id>`): Maelstrom runs every
 * node in one /tmp kept between runs, where it keeps nothing (Maelstrom kills no nodes).
 *
 * Faults survived, every mode, nothing acknowledged lost: partitions; nodes killed and restarted
 * with their directory (`--nemesis kill`, also with `partition`), the hub included, one or more at
 * a time. While the hub is down, hub modes deliver nothing new between spokes (values are
 * acknowledged and journalled, and spread when it is back); latency mode keeps delivering.
 *
 * Mode: env `BROADCAST_MODE` = latency | efficient | balanced | frugal (default balanced: within
 * both the 3d and the 3e limits).
 *
 * Figures: rows 3d (latency), 3e (efficient), 3de-balanced and 3de-frugal of `bench/README.md`
 * (servers msgs/op, stable latency; `deno task bench --only 3d,3e,3de-balanced,3de-frugal --runs 3
 * --skip-nodes`).
 * One run: `BROADCAST_MODE=efficient deno task harness test -w broadcast --bin
 * challenges/broadcast.ts --node-count 25 --time-limit 20 --rate 100 --latency 100`.
 *
 * @module
 */
// build-permissions: --allow-env=BROADCAST_MODE,BROADCAST_TICK_MS --allow-read=broadcast.journal --allow-write=broadcast.journal

import { join } from "node:path";
import { envChoice, envMs, runChallenge } from "./common/env.ts";
import { ErrorCode, Node, type NodeOptions, RPCError } from "../mod.ts";
import {
  BroadcastCore,
  isGossipBody,
  type Mode,
  type ModeParams,
  MODES,
  type Outgoing,
} from "./broadcast/core.ts";
import { type JournalFile, ownDirectory } from "./common/durable_journal.ts";
import { BroadcastJournal, JOURNAL_FILE } from "./broadcast/journal.ts";

/** Options of {@linkcode createBroadcastNode}: the runtime's plus the mode and the journal. */
export interface BroadcastNodeOptions extends NodeOptions {
  /** Defaults to `BROADCAST_MODE` from the environment, else `balanced`. */
  mode?: Mode;
  /**
   * The mode's tick, ms (`BROADCAST_TICK_MS` from the environment, else the mode's own): how
   * `deno task bench:pareto` sweeps a design from low latency to few messages. A value's time in
   * flight before repairs may push it again grows with it.
   */
  tickMs?: number;
  /**
   * Where the node journals its own values and starts (`null`: nowhere, nothing survives a
   * crash). Defaults to `broadcast.journal` in the working directory when that is the node's own
   * (see `common/durable_journal.ts`), else nowhere.
   */
  journal?: JournalFile | null;
}

/** Reads `BROADCAST_MODE` (default `balanced`). @throws {RangeError} On an unknown mode. */
export function modeFromEnv(value = Deno.env.get("BROADCAST_MODE")): Mode {
  return envChoice<Mode>(
    "BROADCAST_MODE",
    ["latency", "efficient", "balanced", "frugal"],
    "balanced",
    () => value,
  );
}

/** Creates a broadcast node (options inject transport, clock and logger for tests). */
export function createBroadcastNode(options: BroadcastNodeOptions = {}): Node {
  const { mode = modeFromEnv(), journal: backing, tickMs, ...nodeOptions } = options;
  const params = _withTick(MODES[mode], tickMs ?? envMs("BROADCAST_TICK_MS", MODES[mode].tickMs));
  const node = new Node(nodeOptions);
  let core: BroadcastCore | undefined;
  const ready = (): BroadcastCore => {
    if (core === undefined) {
      throw new RPCError(ErrorCode.TemporarilyUnavailable, "node is not initialised");
    }
    return core;
  };
  const send = (out: Outgoing[]) => {
    for (const { dest, body } of out) node.send(dest, body);
  };
  // A timed spoke's next turn (frugal mode): one timer, armed while it has values waiting.
  let armed: { at: number; cancel: () => void } | undefined;
  const armTurn = () => {
    const now = node.clock.now();
    const at = ready().nextTurn(now);
    if (at === undefined || (armed !== undefined && armed.at <= at)) return;
    armed?.cancel();
    const cancel = node.after(Math.max(0, at - now), () => {
      armed = undefined;
      send(ready().turn(at, node.clock.now()));
      armTurn();
    });
    armed = { at, cancel };
  };

  node.onInit(() => {
    const file = backing === undefined ? _defaultPath(node) : backing ?? undefined;
    const journal = new BroadcastJournal(file);
    node.signal.addEventListener("abort", () => journal.close(), { once: true });
    if (journal.incarnation > 1) {
      node.log(`restart ${journal.incarnation}: ${journal.own.length} own values journalled`);
    }
    const now = node.clock.now();
    core = new BroadcastCore(node.id, node.nodeIds, { params, now, journal });
    node.every(params.tickMs, () => send(ready().tick(node.clock.now())));
  });
  node.handle("topology", () => ({ type: "topology_ok" }));
  node.handle("broadcast", (msg) => {
    const value = msg.body.message;
    if (typeof value !== "number") {
      throw new RPCError(ErrorCode.MalformedRequest, "message must be a number");
    }
    send(ready().broadcast(value, node.clock.now()));
    armTurn();
    return { type: "broadcast_ok" };
  });
  node.handle("read", () => {
    // After a restart, an empty read would look like every value was lost: refuse until caught up.
    if (!ready().caughtUp(node.clock.now())) {
      throw new RPCError(ErrorCode.TemporarilyUnavailable, "recovering after a restart");
    }
    return { type: "read_ok", messages: [...ready().read()] };
  });
  node.handle("gossip", (msg) => {
    if (!isGossipBody(msg.body)) return node.log("dropping malformed gossip from", msg.src);
    send(ready().receive(msg.src, msg.body, node.clock.now()));
    armTurn();
  });
  return node;
}

/** `params` at another tick, keeping the margin between the tick and a value's time in flight. */
function _withTick(params: Readonly<ModeParams>, tickMs: number): Readonly<ModeParams> {
  return { ...params, tickMs, staleMs: params.staleMs - params.tickMs + tickMs };
}

/** The journal file in the node's own directory, or undefined when it has none. */
function _defaultPath(node: Node): string | undefined {
  const dir = node.dir ?? ownDirectory(node.id);
  return dir === undefined ? undefined : join(dir, JOURNAL_FILE);
}

if (import.meta.main) await runChallenge(() => createBroadcastNode().run());
