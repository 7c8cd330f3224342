/**
 * The broadcast protocol as a pure state machine: events in (a client broadcast, a peer's gossip,
 * a timer tick), messages out. No IO and no timers, so tests drive it on virtual time.
 *
 * Data plane: in `direct` modes the origin sends each value straight to every node (one hop); else
 * it sends it to the hub (the first node), which fans out everything new once per tick. Control
 * plane: every message on a hub↔spoke link carries the sender's version vector (`vv`) and its view
 * of the receiver's (`echo`). A side that sees the other lack values it has held for longer than a
 * message could still be in flight pushes them (at most once per `repairMs`). A side sends a bare
 * sync after `heartbeatMs` of silence on the link while the peer's vector differs from its own or
 * the peer's last message showed a stale view of it. Both sides quiet implies both vectors equal,
 * so a healed cluster converges and then goes silent, and a cut link costs one sync per heartbeat.
 *
 * Restarts: a node's own values and its start count come from its {@linkcode BroadcastJournal}, so a new
 * incarnation continues its predecessor's sequence (names are never reused, vectors stay
 * contiguous). Link messages carry the sender's incarnation; a peer that sees it grow forgets what
 * it believed the old one held and repairs from the new one's vector. A restarted node greets its
 * links at once, and each peer answers with everything it lacks. It has not {@linkcode
 * BroadcastCore.caughtUp | caught up} until it holds what each link peer first reported (or
 * `recoverMs` passed), and refuses reads until then, rather than answer with the empty set it
 * woke up with.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import type { BroadcastJournal } from "./journal.ts";
import { covers, type Item, mergeVector, sameVector, ValueStore } from "./store.ts";

/** How a gossip message travelled: from an origin to everyone, to the hub, or from the hub. */
export type Via = "direct" | "up" | "down";

/** The one node-to-node message type. */
export interface GossipBody extends Body {
  type: "gossip";
  via: Via;
  items: Item[];
  /** The sender's version vector (hub↔spoke links only). */
  vv?: number[];
  /** The sender's view of the receiver's version vector. */
  echo?: number[];
  /** The sender's incarnation (with `vv`): it grows each time the sender restarts. */
  inc?: number;
  /** Timed batches: a spoke's clock when it sent, or (from the hub) the last one it heard, ms. */
  at?: number;
  /** Timed batches, from the hub: how long it had held the message whose `at` it echoes, ms. */
  held?: number;
}

/** One message for the runtime to send. */
export interface Outgoing {
  dest: string;
  body: GossipBody;
}

/** The knobs of one mode. */
export interface ModeParams {
  /** Origins send straight to every node; otherwise through the hub. */
  direct: boolean;
  /**
   * Through the hub: spokes too hold their new values until their next tick and send them up in
   * one message (else each value goes up at once).
   */
  batchUp: boolean;
  /**
   * With `batchUp`: spokes time their batches to reach the hub just before its tick (see
   * {@linkcode Timing}), instead of sending on ticks of their own.
   */
  timing?: Readonly<Timing>;
  /** The hub's fan-out period (also how often heartbeats are considered), ms. */
  tickMs: number;
  /**
   * Silence on an unsynced link before a spoke sends a bare sync, ms. The hub waits half as long
   * again, so in a loss-free run the spokes' reports settle every link and the hub stays quiet.
   */
  heartbeatMs: number;
  /** How long a value may still be in flight to a peer (tick + two hops + margin), ms. */
  staleMs: number;
  /** Minimum gap between two repair pushes on one link, ms. */
  repairMs: number;
  /** How long a restarted node refuses reads at most while it catches up, ms. */
  recoverMs: number;
}

/**
 * Batches timed to the hub's tick. Each up message carries the spoke's clock (`at`); the hub's
 * tick messages echo the last one it got with how long it held it (`held`), as NTP does. From
 * that a spoke knows the link's round trip and when the hub ticked, on no shared clock, and sends
 * its next batch to arrive `guardMs` before the hub's next tick. A value then waits for its
 * spoke's turn (under a tick), two hops and the guard; with both legs on ticks of their own it
 * would wait for a second half tick on average. Until the hub is heard a spoke sends each value
 * at once; while it is not heard, a spoke keeps its turns a tick apart. The node arms one timer
 * for a spoke's next turn when it has values ({@linkcode BroadcastCore.nextTurn}), never a
 * polling one.
 */
export interface Timing {
  /**
   * How long before the hub's tick a spoke's batch should arrive, ms. A value that comes less than
   * half of it after its spoke's turn still goes with that turn.
   */
  guardMs: number;
}

/** The four modes chosen with `BROADCAST_MODE`. */
export type Mode = "latency" | "efficient" | "balanced" | "frugal";

/** The knobs every mode shares: anti-entropy and recovery pace. */
const _SHARED = { heartbeatMs: 2500, repairMs: 1000, recoverMs: 5000 } as const;

/** Parameters of each mode (see the entrypoint's header for the figures they give). */
export const MODES: Readonly<Record<Mode, Readonly<ModeParams>>> = {
  latency: { ..._SHARED, direct: true, batchUp: false, tickMs: 100, staleMs: 500 },
  efficient: { ..._SHARED, direct: false, batchUp: false, tickMs: 260, staleMs: 650 },
  balanced: { ..._SHARED, direct: false, batchUp: false, tickMs: 140, staleMs: 550 },
  frugal: {
    ..._SHARED,
    direct: false,
    batchUp: true,
    timing: { guardMs: 40 },
    tickMs: 900,
    staleMs: 1350,
  },
};

/** Options of the {@linkcode BroadcastCore} constructor. */
export interface BroadcastCoreOptions {
  /** The mode's parameters. */
  params: Readonly<ModeParams>;
  /**
   * Where own values are recorded before anything is said about them, and where earlier
   * incarnations' values and the start count come from. Without one, nothing survives a crash.
   */
  journal?: Pick<BroadcastJournal, "incarnation" | "own" | "append">;
  /** The clock at start, ms (when `recoverMs` starts counting). */
  now?: number;
}

interface _Link {
  /** The peer's incarnation, as high as any message said (0: none yet). */
  inc: number;
  /** The peer's vector, as high as any report of its current incarnation said. */
  known: number[];
  /** While recovering: the first vector the peer reported since this node started. */
  need: number[] | undefined;
  /** When the last report arrived. */
  reportAt: number;
  lastSend: number;
  lastRepair: number;
  /** The peer's last message showed a stale view of our vector, and we haven't sent since. */
  behind: boolean;
  /** Timing, on the hub: the spoke's clock in its last message, and when that arrived. */
  clock: { at: number; heardAt: number } | undefined;
}

/** One node's broadcast state: feed it events, send what it returns. */
export class BroadcastCore {
  /** Every value this node holds. */
  readonly store: ValueStore;
  readonly #nodes: readonly string[];
  readonly #self: number;
  readonly #params: Readonly<ModeParams>;
  readonly #links = new Map<number, _Link>();
  #pending: Item[] = [];
  /** A timed spoke: when its next batch goes up (-Infinity: not timed yet, each at once). */
  #upAt = -Infinity;
  readonly #heartbeatMs: number;
  readonly #journal: BroadcastCoreOptions["journal"];
  readonly #inc: number;
  /** When a restarted node stops refusing reads at the latest; -Infinity once caught up. */
  #recoverBy: number;

  /**
   * @param self This node's id.
   * @param nodes Every node id, in the same order on every node; the first is the hub.
   * @param options The mode's parameters, and the journal of a node that survives crashes.
   * @throws {RangeError} When `self` is not in `nodes`.
   */
  constructor(self: string, nodes: readonly string[], options: BroadcastCoreOptions) {
    const { params, journal, now = 0 } = options;
    this.#self = nodes.indexOf(self);
    if (this.#self < 0) throw new RangeError(`Node ${self} is not in the node list`);
    this.#nodes = nodes;
    this.#params = params;
    this.#journal = journal;
    this.#inc = journal?.incarnation ?? 1;
    this.store = new ValueStore(nodes.length);
    // Earlier incarnations' values went out long ago: held "forever", so repairs may push them.
    for (const value of journal?.own ?? []) this.store.addOwn(this.#self, value, -Infinity);
    const restarted = this.#inc > 1;
    this.#recoverBy = restarted ? now + params.recoverMs : -Infinity;
    this.#heartbeatMs = this.isHub ? params.heartbeatMs * 1.5 : params.heartbeatMs;
    const peers = this.isHub ? nodes.map((_, i) => i).filter((i) => i !== 0) : [0];
    for (const peer of nodes.length > 1 ? peers : []) {
      this.#links.set(peer, {
        inc: 0,
        known: new Array<number>(nodes.length).fill(0),
        need: undefined,
        reportAt: -Infinity,
        lastSend: -Infinity,
        lastRepair: -Infinity,
        // A restarted node greets every link on its first tick, so peers learn of it at once.
        behind: restarted,
        clock: undefined,
      });
    }
  }

  /** Whether this node is the hub (the first node). */
  get isHub(): boolean {
    return this.#self === 0;
  }

  /** This node's incarnation (1 unless a journal recorded earlier starts). */
  get incarnation(): number {
    return this.#inc;
  }

  /** The values to answer a `read` with. */
  read(): readonly number[] {
    return this.store.values();
  }

  /**
   * Whether reads may be answered: always, except after a restart until this node holds what
   * each link peer first reported since (or `recoverMs` passed, e.g. when a peer is cut off).
   */
  caughtUp(now: number): boolean {
    if (this.#recoverBy === -Infinity) return true;
    const holdsAll = [...this.#links.values()].every((link) =>
      link.need !== undefined && covers(this.store.vv, link.need)
    );
    if (holdsAll || now >= this.#recoverBy) this.#recoverBy = -Infinity;
    return this.#recoverBy === -Infinity;
  }

  /**
   * A client gave this node `value`: journal it, store it and start spreading it. Journalled
   * first, so a crash can't lose an acknowledged value nor let a successor reuse its name.
   *
   * @throws {Error} Whatever the journal throws (the value is then neither stored nor sent).
   */
  broadcast(value: number, now: number): Outgoing[] {
    if (this.store.holds(value)) return [];
    this.#journal?.append(value);
    const item = this.store.addOwn(this.#self, value, now);
    if (item === undefined) return [];
    if (this.#params.direct) {
      return this.#nodes.flatMap((_, i) =>
        i === this.#self ? [] : [this.#message(i, "direct", [item], now)]
      );
    }
    // A timed spoke batches for its turn; untimed, it sends at once.
    if (this.isHub || (this.#params.batchUp && this.#upAt !== -Infinity)) {
      this.#pending.push(item);
      return [];
    }
    return [this.#message(0, "up", [item], now)];
  }

  /** A peer's gossip arrived: store its values, note its vectors, repair what it lacks. */
  receive(src: string, body: GossipBody, now: number): Outgoing[] {
    const from = this.#nodes.indexOf(src);
    if (from < 0) return [];
    const fresh = body.items.filter((item) =>
      item[0] < this.#nodes.length && this.store.add(item, now)
    );
    // Direct values reached everyone from their origin; anything else is the hub's to spread.
    if (this.isHub && body.via !== "direct") this.#pending.push(...fresh);
    if (this.#params.timing !== undefined) this.#time(from, body, now);
    const link = this.#links.get(from);
    if (link === undefined || body.vv === undefined) return [];
    const inc = body.inc ?? 1;
    // A dead incarnation's late message says nothing about the live one.
    if (inc < link.inc) return [];
    // A restart: the peer's incarnation grew, or a first contact is already a later one.
    const restarted = inc > link.inc && (link.inc > 0 || inc > 1);
    if (inc > link.inc) {
      // A new incarnation holds only what its vector says: forget the old one's, repair at once.
      link.inc = inc;
      link.known.fill(0);
      link.lastRepair = -Infinity;
    }
    mergeVector(link.known, body.vv);
    if (this.#recoverBy !== -Infinity) link.need ??= [...body.vv];
    link.reportAt = now;
    link.behind = body.echo === undefined || !sameVector(body.echo, this.store.vv);
    if (now - link.lastRepair < this.#params.repairMs) return [];
    // Nothing can be in flight to a new incarnation from before it started: send it all now
    // (the few sent since, it gets twice).
    const heldBefore = restarted ? Infinity : now - this.#params.staleMs;
    const missing = this.store.missingFor(link.known, heldBefore);
    // A greeting is answered even with nothing to add: the restarted side waits for a report.
    if (missing.length === 0 && !restarted) return [];
    link.lastRepair = now;
    return [this.#message(from, this.isHub ? "down" : "up", missing, now)];
  }

  /**
   * The periodic timer, every `tickMs`: the hub's fan-out (and an untimed batching spoke's values
   * up to the hub), then heartbeats on links that need one.
   */
  tick(now: number): Outgoing[] {
    const out: Outgoing[] = [];
    const via = this.isHub ? "down" : "up";
    if (this.#pending.length > 0 && !this.#timed) out.push(...this.#flush(now));
    for (const [peer, link] of this.#links) {
      const quiet = now - link.lastSend >= this.#heartbeatMs;
      if (quiet && (link.behind || !sameVector(link.known, this.store.vv))) {
        out.push(this.#message(peer, via, [], now, true));
      }
    }
    return out;
  }

  /**
   * A timed spoke with values waiting: when its next turn is, ms (for the node to arm a timer);
   * undefined when there is none to take. A turn that passed less than half a guard ago counts.
   */
  nextTurn(now: number): number | undefined {
    const timing = this.#params.timing;
    if (timing === undefined || !this.#timed || this.#pending.length === 0) return undefined;
    let at = this.#upAt;
    while (at + timing.guardMs / 2 < now) at += this.#params.tickMs;
    return at;
  }

  /**
   * A timed spoke's turn `at` came (its timer fired at `now`, however late): its waiting values go
   * up to the hub, and the next turn is a tick after `at`, until the hub's echo times it again.
   */
  turn(at: number, now: number): Outgoing[] {
    if (!this.#timed) return [];
    while (this.#upAt <= at) this.#upAt += this.#params.tickMs;
    return this.#flush(now);
  }

  /** Whether this is a spoke timing its batches from the hub's echo (and has heard it). */
  get #timed(): boolean {
    return this.#params.timing !== undefined && !this.isHub && this.#upAt !== -Infinity;
  }

  /** Sends what is pending: the hub to every spoke, a spoke up to the hub. */
  #flush(now: number): Outgoing[] {
    const out: Outgoing[] = [];
    const via = this.isHub ? "down" : "up";
    for (const [peer, { known }] of this.#links) {
      // A peer has its own values already, and those its reports showed (a restart's back-fill).
      const items = this.#pending.filter(([origin, seq]) =>
        origin !== peer && seq > (known[origin] ?? 0)
      );
      if (items.length > 0) out.push(this.#message(peer, via, items, now, true));
    }
    this.#pending = [];
    return out;
  }

  /**
   * Timing, on receipt: the hub notes a spoke's clock and when it heard it; a spoke that gets the
   * echo of its clock from a hub tick times its next batch.
   */
  #time(from: number, body: GossipBody, now: number): void {
    const link = this.#links.get(from);
    if (link === undefined || body.at === undefined) return;
    if (this.isHub) {
      link.clock = { at: body.at, heardAt: now };
      return;
    }
    const timing = this.#params.timing;
    if (timing === undefined || body.held === undefined) return;
    const tick = this.#params.tickMs;
    const roundTrip = now - body.at - body.held;
    if (roundTrip < 0 || roundTrip >= tick) return;
    // The hub ticked half a round trip ago; the batch should land a guard before its next tick.
    this.#upAt = Math.max(now, now + tick - roundTrip - timing.guardMs);
  }

  /** Whether `peer` is known to hold exactly this node's values (for tests and diagnostics). */
  inSync(peer: string): boolean {
    const link = this.#links.get(this.#nodes.indexOf(peer));
    return link !== undefined && !link.behind && sameVector(link.known, this.store.vv);
  }

  /** A message to `dest`; `onTick`: sent at the hub's tick (only those time a spoke's batches). */
  #message(dest: number, via: Via, items: Item[], now: number, onTick = false): Outgoing {
    const body: GossipBody = { type: "gossip", via, items };
    const link = this.#links.get(dest);
    if (link !== undefined) {
      body.vv = [...this.store.vv];
      body.echo = [...link.known];
      body.inc = this.#inc;
      link.lastSend = now;
      link.behind = false;
      if (this.#params.timing !== undefined) {
        if (!this.isHub) body.at = now;
        else if (onTick && link.clock !== undefined) {
          body.at = link.clock.at;
          body.held = now - link.clock.heardAt;
        }
      }
    }
    return { dest: this.#nodes[dest] ?? "", body };
  }
}

/** Narrows an incoming body to a well-formed gossip body. */
export function isGossipBody(body: Body): body is GossipBody {
  const { via, items, vv, echo, inc, at, held } = body;
  return body.type === "gossip" && (via === "direct" || via === "up" || via === "down") &&
    (at === undefined || Number.isFinite(at)) && (held === undefined || Number.isFinite(held)) &&
    Array.isArray(items) && items.every(_isItem) &&
    (vv === undefined || _isVector(vv)) && (echo === undefined || _isVector(echo)) &&
    (inc === undefined || (typeof inc === "number" && Number.isInteger(inc) && inc >= 1));
}

function _isItem(value: unknown): value is Item {
  return Array.isArray(value) && value.length === 3 && Number.isInteger(value[0]) &&
    value[0] >= 0 && Number.isInteger(value[1]) && value[1] >= 1 && typeof value[2] === "number";
}

function _isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((x) => Number.isInteger(x));
}
