/**
 * Batched, causal, loss-tolerant replication of committed write sets.
 *
 * Each node keeps a log of the write sets it committed or applied, in the order it applied them.
 * Once per tick it sends every peer one `repl` message carrying the log range that peer has not
 * been sent yet (minus the peer's own write sets) and, piggybacked, how far it has consumed that
 * peer's log. A receiver consumes a sender's log strictly in index order and appends what it
 * applies to its own log, so every log lists a write set after everything its transaction could
 * have seen: replication is causal, and a write set never shows up before one it depends on.
 * Lost messages are detected by a missing ack and resent from the acked index after `resendMs`;
 * the log is trimmed once every peer acked it.
 *
 * Crashes. Nothing leaves a node before it is durable: the caller writes what {@linkcode
 * Replica.drain} hands it to the write-ahead log and then calls {@linkcode Replica.markDurable};
 * only entries written so are sent, and an ack covers only what the acker has written. A node
 * restarts from its log (see {@linkcode Recovery}) as a new incarnation, numbered by the log, which
 * every `repl` message carries: log positions count within one incarnation, so a restarted node
 * never reuses a position its previous incarnation used, and its versions start above every
 * version that incarnation let out. A peer that hears of a new incarnation drops its stash of that
 * node's log, starts reading it where the sender says the peer's durable acks got to (`base`), and
 * resends its own log to it from the last ack. A message of an older incarnation is ignored.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import { type Key, type Mop, Store, type WriteSet } from "./store.ts";

/** One log entry on the wire: `[index in the sender's log, origin, ts, writes]`. */
export type WireEntry = [number, string, number, [Key, unknown][]];

/** The one node-to-node message: a range of the sender's log and an ack of the receiver's. */
export interface ReplBody extends Body {
  type: "repl";
  /** The sender's incarnation (from 1; bumped at each start): positions count within it. */
  inc: number;
  /** The first log index the range covers. */
  from: number;
  /** One past the last index the range covers (entries may skip the receiver's own). */
  to: number;
  entries: WireEntry[];
  /** The receiver holds every entry of the sender's log before this index durably (its acks). */
  base: number;
  /** The next index of the receiver's log that the sender needs; it holds all before durably. */
  ack: number;
  /** The receiver's incarnation that `ack` counts in (0 before the sender heard of any). */
  ackInc: number;
}

/** What a node's write-ahead log held when it started (see `wal.ts`). */
export interface Recovery {
  /** This start's incarnation, from 1. */
  incarnation: number;
  /** Every write set logged, in log order. */
  writeSets: WriteSet[];
  /** How many of them, from the first, every peer holds durably. */
  trimmed: number;
}

/** What {@linkcode Replica.drain} hands over for the write-ahead log. */
export interface Drained {
  /** Write sets committed or applied since the last drain, in log order. */
  writeSets: WriteSet[];
  /** A new count of logged write sets that every peer holds, if it grew. */
  trimmed: number | undefined;
}

/** Tuning of {@linkcode Replica}. */
export interface ReplicaOptions {
  /** How long an unacked range waits before it is sent again, ms (default 500). */
  resendMs?: number;
  /** At most this many log entries per message (default 2000). */
  maxBatch?: number;
}

/** One outgoing message. */
export interface Outgoing {
  dest: string;
  body: ReplBody;
}

interface _Peer {
  /** Next index of my log the peer needs (its last ack). */
  acked: number;
  /** Next index of my log to send. */
  sent: number;
  /** When the oldest unacked send, or the last ack progress, happened. */
  waitingSince: number;
  /** The peer's incarnation whose log I read (0 before I heard from it). */
  inc: number;
  /** Next index of the peer's log I need. */
  expected: number;
  /** `expected` as of my last durable write: what I may ack. */
  durable: number;
  /** Whether the peer sent write sets since my last message (it needs an ack). */
  ackDirty: boolean;
  /** Ranges that arrived ahead of a gap, by `from`. */
  stash: Map<number, ReplBody>;
}

const _STASH_LIMIT = 64;

/** Returns whether `body` is a well-formed `repl` message. */
export function isReplBody(body: Body): body is ReplBody {
  return body.type === "repl" && Number.isInteger(body.inc) && Number.isInteger(body.from) &&
    Number.isInteger(body.to) && Number.isInteger(body.base) && Number.isInteger(body.ack) &&
    Number.isInteger(body.ackInc) && Array.isArray(body.entries) &&
    body.entries.every((e) =>
      Array.isArray(e) && e.length === 4 && Number.isInteger(e[0]) && typeof e[1] === "string" &&
      Number.isInteger(e[2]) && Array.isArray(e[3])
    );
}

/**
 * A node's store plus its replication state: commit transactions, consume peers' messages, and
 * produce one message per peer per tick.
 */
export class Replica {
  /** The local registers. */
  readonly store: Store;
  /** This start's incarnation (1 without a recovery). */
  readonly incarnation: number;
  #resendMs: number;
  #maxBatch: number;
  #log: WriteSet[] = [];
  /** The log index of `#log[0]` (entries before it were acked by every peer and dropped). */
  #base = 0;
  /** Entries before this log index are durable (only those are sent). */
  #durableEnd = 0;
  /** How many logged write sets precede this incarnation's log index 0. */
  #walBase = 0;
  /** Entries committed or applied since the last drain. */
  #pending: WriteSet[] = [];
  #trimLogged = 0;
  /** Greatest timestamp applied per origin; an origin's write sets arrive in commit order. */
  #applied = new Map<string, number>();
  #peers = new Map<string, _Peer>();

  /**
   * @param nodeId This node's id.
   * @param peers The other nodes' ids.
   * @param recovery What the write-ahead log held, for a node that starts again: its write sets
   * are applied in log order, and those not yet held by every peer are offered to them again.
   */
  constructor(
    nodeId: string,
    peers: readonly string[],
    options: ReplicaOptions & { recovery?: Recovery } = {},
  ) {
    this.store = new Store(nodeId);
    this.#resendMs = options.resendMs ?? 500;
    this.#maxBatch = options.maxBatch ?? 2000;
    const recovery = options.recovery;
    this.incarnation = recovery?.incarnation ?? 1;
    for (const writeSet of recovery?.writeSets ?? []) {
      this.store.apply(writeSet);
      const { origin, ts } = writeSet;
      this.#applied.set(origin, Math.max(ts, this.#applied.get(origin) ?? 0));
    }
    if (recovery !== undefined) {
      this.#walBase = this.#trimLogged = recovery.trimmed;
      this.#log = recovery.writeSets.slice(recovery.trimmed);
      this.#durableEnd = this.#log.length;
    }
    for (const peer of peers) {
      if (peer === nodeId) continue;
      // ackDirty: the first tick tells every peer of this incarnation, even with nothing to send.
      const state = { acked: 0, sent: 0, waitingSince: 0, inc: 0, expected: 0, durable: 0 };
      this.#peers.set(peer, { ...state, ackDirty: true, stash: new Map() });
    }
  }

  /** One past the last log index. */
  get logEnd(): number {
    return this.#base + this.#log.length;
  }

  /** How many log entries are kept (not yet acked by every peer). */
  get logSize(): number {
    return this.#log.length;
  }

  /** Whether {@linkcode Replica.drain} has anything for the write-ahead log. */
  get hasPending(): boolean {
    return this.#pending.length > 0 || this.#walBase + this.#base > this.#trimLogged;
  }

  /**
   * Executes and commits `txn` locally (see {@linkcode Store.execute}); returns its completion.
   * Acknowledge it only once what this leaves pending is durable.
   */
  commit(txn: readonly Mop[]): Mop[] {
    const { txn: done, writeSet } = this.store.execute(txn);
    if (writeSet !== undefined) this.#append(writeSet);
    return done;
  }

  /**
   * Hands over what the write-ahead log lacks. Write it, then call {@linkcode markDurable}
   * before anything else touches this replica; if the write fails, stop using the replica (it
   * would take the drained entries for durable at its next tick).
   */
  drain(): Drained {
    const trim = this.#walBase + this.#base;
    const trimmed = trim > this.#trimLogged ? trim : undefined;
    this.#trimLogged = trim;
    return { writeSets: this.#pending.splice(0), trimmed };
  }

  /** Records that everything {@linkcode drain} handed over is durable: it may be sent and acked. */
  markDurable(): void {
    this.#durableEnd = this.logEnd - this.#pending.length;
    for (const peer of this.#peers.values()) peer.durable = peer.expected;
  }

  /**
   * Consumes a `repl` message from `src` at time `now` (ms).
   *
   * @returns How many write sets were newly applied.
   */
  receive(src: string, body: ReplBody, now: number): number {
    const peer = this.#peers.get(src);
    if (peer === undefined || body.inc < peer.inc) return 0;
    if (body.inc > peer.inc) {
      // A new incarnation: its log starts afresh, and I hold durably what it says I acked. It
      // lost whatever I had in flight to the one before.
      peer.inc = body.inc;
      peer.expected = peer.durable = body.base;
      peer.stash.clear();
      peer.sent = peer.acked;
      peer.waitingSince = now;
    }
    if (body.ackInc === this.incarnation && body.ack > peer.acked && body.ack <= this.#durableEnd) {
      peer.acked = body.ack;
      peer.sent = Math.max(peer.sent, peer.acked);
      peer.waitingSince = now;
    }
    // Only write sets need an ack: acking acks (or echoes of our own) would ping-pong forever.
    if (body.entries.length > 0) peer.ackDirty = true;
    if (body.from > peer.expected) {
      // A gap: an earlier range was lost or is late. Keep this one until the gap fills.
      if (peer.stash.size < _STASH_LIMIT) peer.stash.set(body.from, body);
      return 0;
    }
    let applied = this.#consume(peer, body);
    for (let progress = true; progress;) {
      progress = false;
      for (const [from, stashed] of peer.stash) {
        if (stashed.to <= peer.expected) peer.stash.delete(from);
        else if (from <= peer.expected) {
          peer.stash.delete(from);
          applied += this.#consume(peer, stashed);
          progress = true;
        }
      }
    }
    return applied;
  }

  /**
   * Produces this tick's messages at time `now` (ms): at most one per peer, none to a peer with
   * nothing new to send or ack. Rewinds a peer whose ack is overdue, and trims the acked log.
   */
  tick(now: number): Outgoing[] {
    const out: Outgoing[] = [];
    // Nothing pending: whatever was consumed since the last write (duplicates only) is durable.
    if (this.#pending.length === 0) this.markDurable();
    for (const [id, peer] of this.#peers) {
      if (peer.sent > peer.acked && now - peer.waitingSince >= this.#resendMs) {
        peer.sent = peer.acked;
        peer.waitingSince = now;
      }
      // The batch limit counts entries carried, not positions passed: a run of the peer's own
      // write sets longer than a batch must not hold back what follows it.
      const entries: WireEntry[] = [];
      let to = peer.sent;
      for (; to < this.#durableEnd && entries.length < this.#maxBatch; to++) {
        const ws = this.#log[to - this.#base];
        if (ws !== undefined && ws.origin !== id) entries.push([to, ws.origin, ws.ts, ws.writes]);
      }
      // The peer's own write sets relayed back need no message of their own: they ride along
      // with the next ack or write set it needs.
      if (entries.length === 0 && !peer.ackDirty) continue;
      if (peer.sent === peer.acked && to > peer.sent) peer.waitingSince = now;
      const inc = this.incarnation;
      out.push({
        dest: id,
        body: {
          type: "repl",
          inc,
          from: peer.sent,
          to,
          entries,
          base: peer.acked,
          ack: peer.durable,
          ackInc: peer.inc,
        },
      });
      peer.sent = to;
      // An ack that could not cover everything consumed yet (not durable) goes out again.
      peer.ackDirty = peer.durable < peer.expected;
    }
    this.#trim();
    return out;
  }

  #consume(peer: _Peer, body: ReplBody): number {
    let applied = 0;
    for (const [index, origin, ts, writes] of body.entries) {
      if (index < peer.expected || index >= body.to || origin === this.store.nodeId) continue;
      // Seen through another peer already: origins' write sets arrive in commit order.
      if (ts <= (this.#applied.get(origin) ?? 0)) continue;
      const writeSet: WriteSet = { origin, ts, writes };
      this.store.apply(writeSet);
      this.#append(writeSet);
      this.#applied.set(origin, ts);
      applied++;
    }
    peer.expected = Math.max(peer.expected, body.to);
    return applied;
  }

  #append(writeSet: WriteSet): void {
    this.#log.push(writeSet);
    this.#pending.push(writeSet);
  }

  #trim(): void {
    let low = this.logEnd;
    for (const peer of this.#peers.values()) low = Math.min(low, peer.acked);
    if (low > this.#base) {
      this.#log.splice(0, low - this.#base);
      this.#base = low;
    }
  }
}
