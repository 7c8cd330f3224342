/**
 * The kafka logs of one node, replicated to its peers with batched messages and no leader: a pure
 * state machine (no IO, no timers) that the entrypoint drives and the tests drive by hand.
 *
 * Offsets. Node i of n assigns, per key, only offsets ≡ i (mod n), always above every offset it
 * knows for that key, so two nodes never assign the same offset, a node's offsets grow, and the
 * interleaving keeps offsets dense enough (at most n − 1 holes per assignment, none on one node).
 *
 * Promises and the frontier. A node's `next` for a key is a promise: it will never assign a
 * smaller offset. Replication messages carry the sender's promises for the keys that changed;
 * a promise is only sent together with (or after) every entry below it. A poll returns a key's
 * entries below the frontier = min over all nodes of their promise (a peer not heard from yet
 * promises its index, the smallest offset it could use). Every offset below the frontier that
 * will ever exist is already here, so polls never skip an offset that appears later; entries
 * become visible about one round trip of replication after their send.
 *
 * Messages. Each `repl` message carries everything changed since the last message the peer
 * acknowledged (entries, promises, commits; all merge by union or max), a sequence number, and an
 * ack of the peer's latest message. Delivery may lose, duplicate or reorder messages: every
 * message is self-sufficient relative to an acknowledged one. A node sends at most one message
 * per peer per tick, only when it has news, owes an ack, or has waited `rtoMs` for one. The change
 * list behind this is pruned as acks arrive, so it holds about one round trip of changes.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";

/** One `[offset, msg]` pair as returned by polls. */
export type OffsetMsg = [number, unknown];

/** The wire body of a replication message. */
export interface ReplBody extends Body {
  type: "repl";
  /** The sender's message number for this peer, from 1. */
  seq: number;
  /** The highest message number the sender received from the receiver (0: none). */
  ack: number;
  /** The sender's own entries: `[key, offset, msg]`. */
  entries: [string, number, unknown][];
  /** The sender's promises (next offset) per key. */
  promises: Record<string, number>;
  /** Committed offsets per key. */
  commits: Record<string, number>;
}

/** Options of {@linkcode ReplicatedLog}. */
export interface ReplicatedLogOptions {
  /** Resend unacknowledged changes after this many ms without sending (default 200). */
  rtoMs?: number;
}

interface _KeyLog {
  /** Sorted offsets; `msgs` holds their messages. */
  offsets: number[];
  msgs: Map<number, unknown>;
  /** This node's promise: the next offset it will assign. */
  next: number;
  /** Promises heard from each node, by index (this node's slot is unused). */
  promises: number[];
  committed: number | undefined;
}

const _MAX_UNACKED = 256;

type _Change =
  | { ver: number; kind: "entry"; key: string; offset: number; msg: unknown }
  | { ver: number; kind: "promise" | "commit"; key: string };

interface _Peer {
  /** The peer's position in the node list: its offsets are ≡ index (mod n). */
  index: number;
  sentSeq: number;
  /** Our version when each unacknowledged message was built. */
  verAtSeq: Map<number, number>;
  acked: number;
  ackedVer: number;
  heard: number;
  owesAck: boolean;
  lastSentVer: number;
  lastSendAt: number;
}

/** One node's replicated logs. See the module doc for the protocol. */
export class ReplicatedLog {
  readonly #index: number;
  readonly #n: number;
  readonly #rtoMs: number;
  readonly #logs = new Map<string, _KeyLog>();
  readonly #peers = new Map<string, _Peer>();
  #changes: _Change[] = [];
  #ver = 0;

  /**
   * @param self This node's id.
   * @param nodes Every node id, the same order on every node.
   * @throws {RangeError} When `self` is not in `nodes`.
   */
  constructor(self: string, nodes: readonly string[], options: ReplicatedLogOptions = {}) {
    this.#index = nodes.indexOf(self);
    if (this.#index < 0) throw new RangeError(`Node ${self} is not in the node list`);
    this.#n = nodes.length;
    this.#rtoMs = options.rtoMs ?? 200;
    for (const [index, id] of nodes.entries()) {
      if (id === self) continue;
      this.#peers.set(id, {
        index,
        sentSeq: 0,
        verAtSeq: new Map(),
        acked: 0,
        ackedVer: 0,
        heard: 0,
        owesAck: false,
        lastSentVer: 0,
        lastSendAt: -Infinity,
      });
    }
  }

  /** Appends `msg` to `key`'s log and returns its offset. */
  send(key: string, msg: unknown): number {
    const log = this.#log(key);
    const offset = log.next;
    _insert(log, offset, msg);
    log.next = offset + this.#n;
    this.#record({ ver: 0, kind: "entry", key, offset, msg });
    return offset;
  }

  /** For each key, the entries from its requested offset up to the frontier; empty keys omitted. */
  poll(offsets: Readonly<Record<string, number>>): Record<string, OffsetMsg[]> {
    const out: Record<string, OffsetMsg[]> = {};
    for (const [key, from] of Object.entries(offsets)) {
      const log = this.#logs.get(key);
      if (log === undefined) continue;
      const frontier = this.frontier(key);
      const pairs: OffsetMsg[] = [];
      for (let i = _lowerBound(log.offsets, from); i < log.offsets.length; i++) {
        const offset = log.offsets[i]!;
        if (offset >= frontier) break;
        pairs.push([offset, log.msgs.get(offset)]);
      }
      if (pairs.length > 0) out[key] = pairs;
    }
    return out;
  }

  /** The offset below which `key`'s log is complete here (see the module doc). */
  frontier(key: string): number {
    const log = this.#logs.get(key);
    if (log === undefined) return 0;
    let frontier = log.next;
    for (let i = 0; i < this.#n; i++) {
      if (i !== this.#index) frontier = Math.min(frontier, log.promises[i] ?? i);
    }
    return frontier;
  }

  /** Raises committed offsets (never lowers them). */
  commit(offsets: Readonly<Record<string, number>>): void {
    for (const [key, offset] of Object.entries(offsets)) {
      const log = this.#log(key);
      if (log.committed !== undefined && log.committed >= offset) continue;
      log.committed = offset;
      this.#record({ ver: 0, kind: "commit", key });
    }
  }

  /** The committed offsets of the keys that have one. */
  committed(keys: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of keys) {
      const committed = this.#logs.get(key)?.committed;
      if (committed !== undefined) out[key] = committed;
    }
    return out;
  }

  /** How many changes are kept for peers that haven't acknowledged them (for tests). */
  get pendingChanges(): number {
    return this.#changes.length;
  }

  /**
   * The message to send `peer` now, or undefined when there is nothing worth a message.
   *
   * @param now The current time in ms (only compared with earlier calls).
   */
  outgoing(peer: string, now: number): ReplBody | undefined {
    const p = this.#peers.get(peer);
    if (p === undefined) return undefined;
    const news = this.#ver > p.lastSentVer;
    const unacked = this.#ver > p.ackedVer;
    if (!news && !p.owesAck && !(unacked && now - p.lastSendAt >= this.#rtoMs)) return undefined;
    const body: ReplBody = {
      type: "repl",
      seq: ++p.sentSeq,
      ack: p.heard,
      entries: [],
      promises: {},
      commits: {},
    };
    for (let i = _firstAfter(this.#changes, p.ackedVer); i < this.#changes.length; i++) {
      const change = this.#changes[i]!;
      const log = this.#logs.get(change.key)!;
      if (change.kind === "entry") body.entries.push([change.key, change.offset, change.msg]);
      if (change.kind === "commit") body.commits[change.key] = log.committed!;
      else body.promises[change.key] = log.next;
    }
    p.verAtSeq.set(p.sentSeq, this.#ver);
    // A silent peer must not grow this map: forgetting the oldest record only means an ack of
    // that message can't advance ackedVer, so a few changes are resent (safe).
    if (p.verAtSeq.size > _MAX_UNACKED) p.verAtSeq.delete(p.verAtSeq.keys().next().value!);
    p.lastSentVer = this.#ver;
    p.lastSendAt = now;
    p.owesAck = false;
    return body;
  }

  /** Applies a message from `peer` (any order, any number of times). */
  receive(peer: string, body: ReplBody): void {
    const p = this.#peers.get(peer);
    if (p === undefined) return;
    const peerIndex = p.index;
    for (const [key, offset, msg] of body.entries) {
      const log = this.#log(key);
      if (!log.msgs.has(offset)) _insert(log, offset, msg);
      const above = this.#above(offset);
      if (above > log.next) {
        log.next = above;
        this.#record({ ver: 0, kind: "promise", key });
      }
    }
    for (const [key, promise] of Object.entries(body.promises)) {
      const log = this.#log(key);
      log.promises[peerIndex] = Math.max(log.promises[peerIndex] ?? peerIndex, promise);
    }
    for (const [key, offset] of Object.entries(body.commits)) {
      const log = this.#log(key);
      if (log.committed === undefined || log.committed < offset) log.committed = offset;
    }
    const content = body.entries.length > 0 || Object.keys(body.promises).length > 0 ||
      Object.keys(body.commits).length > 0;
    if (content) p.owesAck = true;
    p.heard = Math.max(p.heard, body.seq);
    if (body.ack > p.acked) {
      p.acked = body.ack;
      p.ackedVer = p.verAtSeq.get(body.ack) ?? p.ackedVer;
      for (const seq of p.verAtSeq.keys()) if (seq <= body.ack) p.verAtSeq.delete(seq);
      this.#prune();
    }
  }

  #log(key: string): _KeyLog {
    let log = this.#logs.get(key);
    if (log === undefined) {
      log = { offsets: [], msgs: new Map(), next: this.#index, promises: [], committed: undefined };
      this.#logs.set(key, log);
    }
    return log;
  }

  /** The smallest offset ≡ index (mod n) above `offset`. */
  #above(offset: number): number {
    const base = offset + 1;
    return base + (((this.#index - base) % this.#n) + this.#n) % this.#n;
  }

  #record(change: _Change): void {
    if (this.#peers.size === 0) return; // nobody to tell
    change.ver = ++this.#ver;
    this.#changes.push(change);
  }

  #prune(): void {
    let floor = Infinity;
    for (const p of this.#peers.values()) floor = Math.min(floor, p.ackedVer);
    const keep = _firstAfter(this.#changes, floor);
    if (keep > 0) this.#changes = this.#changes.slice(keep);
  }
}

function _insert(log: _KeyLog, offset: number, msg: unknown): void {
  log.offsets.splice(_lowerBound(log.offsets, offset), 0, offset);
  log.msgs.set(offset, msg);
}

/** The first index whose value is ≥ `target` in a sorted array. */
function _lowerBound(sorted: readonly number[], target: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index of a change with version > `ver` (changes are sorted by version). */
function _firstAfter(changes: readonly _Change[], ver: number): number {
  let lo = 0, hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (changes[mid]!.ver <= ver) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
