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
 * @module
 */

import type { Body } from "../../lib/message.ts";
import { type Key, type Mop, Store, type WriteSet } from "./store.ts";

/** One log entry on the wire: `[index in the sender's log, origin, ts, writes]`. */
export type WireEntry = [number, string, number, [Key, unknown][]];

/** The one node-to-node message: a range of the sender's log and an ack of the receiver's. */
export interface ReplBody extends Body {
  type: "repl";
  /** The first log index the range covers. */
  from: number;
  /** One past the last index the range covers (entries may skip the receiver's own). */
  to: number;
  entries: WireEntry[];
  /** The next index of the receiver's log that the sender needs. */
  ack: number;
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
  /** Next index of the peer's log I need. */
  expected: number;
  /** Whether the peer sent write sets since my last message (it needs an ack). */
  ackDirty: boolean;
  /** Ranges that arrived ahead of a gap, by `from`. */
  stash: Map<number, ReplBody>;
}

const _STASH_LIMIT = 64;

/** Returns whether `body` is a well-formed `repl` message. */
export function isReplBody(body: Body): body is ReplBody {
  return body.type === "repl" && Number.isInteger(body.from) && Number.isInteger(body.to) &&
    Number.isInteger(body.ack) && Array.isArray(body.entries) &&
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
  #resendMs: number;
  #maxBatch: number;
  #log: WriteSet[] = [];
  /** The log index of `#log[0]` (entries before it were acked by every peer and dropped). */
  #base = 0;
  /** Greatest timestamp applied per origin; an origin's write sets arrive in commit order. */
  #applied = new Map<string, number>();
  #peers = new Map<string, _Peer>();

  /**
   * @param nodeId This node's id.
   * @param peers The other nodes' ids.
   */
  constructor(nodeId: string, peers: readonly string[], options: ReplicaOptions = {}) {
    this.store = new Store(nodeId);
    this.#resendMs = options.resendMs ?? 500;
    this.#maxBatch = options.maxBatch ?? 2000;
    for (const peer of peers) {
      if (peer === nodeId) continue;
      const state = { acked: 0, sent: 0, waitingSince: 0, expected: 0, ackDirty: false };
      this.#peers.set(peer, { ...state, stash: new Map() });
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

  /** Executes and commits `txn` locally (see {@linkcode Store.execute}); returns its completion. */
  commit(txn: readonly Mop[]): Mop[] {
    const { txn: done, writeSet } = this.store.execute(txn);
    if (writeSet !== undefined) this.#log.push(writeSet);
    return done;
  }

  /**
   * Consumes a `repl` message from `src` at time `now` (ms).
   *
   * @returns How many write sets were newly applied.
   */
  receive(src: string, body: ReplBody, now: number): number {
    const peer = this.#peers.get(src);
    if (peer === undefined) return 0;
    if (body.ack > peer.acked && body.ack <= this.logEnd) {
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
    const end = this.logEnd;
    for (const [id, peer] of this.#peers) {
      if (peer.sent > peer.acked && now - peer.waitingSince >= this.#resendMs) {
        peer.sent = peer.acked;
        peer.waitingSince = now;
      }
      const to = Math.min(end, peer.sent + this.#maxBatch);
      const entries: WireEntry[] = [];
      for (let i = peer.sent; i < to; i++) {
        const ws = this.#log[i - this.#base];
        if (ws !== undefined && ws.origin !== id) entries.push([i, ws.origin, ws.ts, ws.writes]);
      }
      // The peer's own write sets relayed back need no message of their own: they ride along
      // with the next ack or write set it needs.
      if (entries.length === 0 && !peer.ackDirty) continue;
      if (peer.sent === peer.acked && to > peer.sent) peer.waitingSince = now;
      out.push({
        dest: id,
        body: { type: "repl", from: peer.sent, to, entries, ack: peer.expected },
      });
      peer.sent = to;
      peer.ackDirty = false;
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
      this.#log.push(writeSet);
      this.#applied.set(origin, ts);
      applied++;
    }
    peer.expected = Math.max(peer.expected, body.to);
    return applied;
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
