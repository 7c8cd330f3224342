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
 * list behind this is pruned as acks arrive, so it holds about one round trip of changes; a peer
 * whose base was pruned away gets a snapshot instead (all own entries, every promise and commit).
 *
 * Restarts. A node's memory can vanish (SIGKILL, then a new process), so it journals what only it
 * knows (`log_record.ts`: its own entries, promises it raised, commits) before anything that
 * depends on it leaves the node; {@linkcode ReplicatedLog.recover} replays that journal, so a new
 * process assigns above every offset and promise its earlier ones published. Each boot is a new
 * incarnation (1, 2, …, counted in the journal), carried as `inc` in every message, and an ack
 * names the incarnation it acknowledges (`ack_inc`): sequence numbers and acks of one incarnation
 * never count for another. A peer that sees a higher `inc` resets its link (no acks, snapshot
 * next); a message from a lower one is dropped. A restarted node greets every peer at once with a
 * snapshot of its journal (its acknowledged but not yet replicated entries included) and resends
 * it until acknowledged. Promises are the one thing a receiver must not take from a message built
 * on another incarnation's acks (it would claim entries the receiver lost), so a message's
 * promises count only when its `ack_inc` is the receiver's incarnation or 0 (built on no ack at
 * all: complete); its entries and commits always count, being plain facts.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import { type LogRecord, parseLogRecord } from "./log_record.ts";
import { PeerLink } from "./peer_link.ts";

/** One `[offset, msg]` pair as returned by polls. */
export type OffsetMsg = [number, unknown];

/** The wire body of a replication message. */
export interface ReplBody extends Body {
  type: "repl";
  /** The sender's incarnation (1 on a node's first boot). */
  inc: number;
  /** The sender's message number for this peer, from 1. */
  seq: number;
  /** The receiver's incarnation that `ack` refers to (0: the sender never heard from it). */
  ack_inc: number;
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
  /** This boot's incarnation (default 1); {@linkcode ReplicatedLog.recover} sets it. */
  incarnation?: number;
  /**
   * Receives each record to journal, as the change happens; whatever depends on it (a reply, a
   * `repl` message) must wait until it is durable.
   */
  onRecord?: (record: LogRecord) => void;
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

type _Change =
  | { ver: number; kind: "entry"; key: string; offset: number; msg: unknown }
  | { ver: number; kind: "promise" | "commit"; key: string };

/** One node's replicated logs. See the module doc for the protocol. */
export class ReplicatedLog {
  readonly #index: number;
  readonly #n: number;
  readonly #rtoMs: number;
  readonly #inc: number;
  readonly #onRecord: ((record: LogRecord) => void) | undefined;
  readonly #logs = new Map<string, _KeyLog>();
  readonly #peers = new Map<string, PeerLink>();
  #changes: _Change[] = [];
  #ver = 0;
  /** Changes up to this version may be gone from `#changes` (a peer behind it gets a snapshot). */
  #floorVer = 0;

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
    this.#inc = options.incarnation ?? 1;
    this.#onRecord = options.onRecord;
    for (const [index, id] of nodes.entries()) {
      if (id === self) continue;
      this.#peers.set(id, new PeerLink(index));
    }
  }

  /**
   * Rebuilds a node from the journal of its earlier boots and starts its next incarnation: its own
   * entries, promises and commits come back, the new boot's record goes to `options.onRecord`,
   * and every peer gets a snapshot first (the peers may lack entries the old boot acknowledged).
   *
   * @param records Every record of the journal, oldest first (unchecked values as read).
   * @throws {TypeError} When a record is malformed or names another node or cluster.
   */
  static recover(
    self: string,
    nodes: readonly string[],
    records: readonly unknown[],
    options: ReplicatedLogOptions = {},
  ): ReplicatedLog {
    const parsed = records.map(parseLogRecord);
    let last = 0;
    for (const record of parsed) {
      if (record[0] !== "boot") continue;
      const [, inc, node, ids] = record;
      if (node !== self || ids.length !== nodes.length || ids.some((id, i) => id !== nodes[i])) {
        throw new TypeError(
          `Journal belongs to ${node} of [${ids.join(", ")}], not ${self} of [${nodes.join(", ")}]`,
        );
      }
      last = Math.max(last, inc);
    }
    const log = new ReplicatedLog(self, nodes, { ...options, incarnation: last + 1 });
    for (const record of parsed) log.#replay(record);
    if (last > 0) log.#ver = log.#floorVer = 1; // every peer: snapshot, then resends until acked
    log.#onRecord?.(["boot", last + 1, self, [...nodes]]);
    return log;
  }

  /** This boot's incarnation. */
  get incarnation(): number {
    return this.#inc;
  }

  /** Appends `msg` to `key`'s log and returns its offset. */
  send(key: string, msg: unknown): number {
    const log = this.#log(key);
    const offset = log.next;
    _insert(log, offset, msg);
    log.next = offset + this.#n;
    this.#onRecord?.(["e", key, offset, msg]);
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
      this.#onRecord?.(["c", key, offset]);
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
    if (!p.due(this.#ver, now, this.#rtoMs)) return undefined;
    const body: ReplBody = {
      type: "repl",
      inc: this.#inc,
      seq: p.sent(this.#ver, now),
      ack_inc: p.inc,
      ack: p.heard,
      entries: [],
      promises: {},
      commits: {},
    };
    if (p.ackedVer < this.#floorVer) this.#snapshot(body);
    else this.#delta(body, p.ackedVer);
    return body;
  }

  /** Applies a message from `peer` (any order, any number of times, any incarnations). */
  receive(peer: string, body: ReplBody): void {
    const p = this.#peers.get(peer);
    // Unknown, or from a boot that is gone; a new boot resets the link (it lost what we sent).
    if (p === undefined || !p.meet(body.inc)) return;
    const mine = body.ack_inc === this.#inc; // built on acks of this boot
    const complete = mine || body.ack_inc === 0;
    const raised = new Set<string>();
    for (const [key, offset, msg] of body.entries) {
      const log = this.#log(key);
      if (!log.msgs.has(offset)) _insert(log, offset, msg);
      const above = this.#above(offset);
      if (above > log.next) {
        log.next = above;
        raised.add(key);
      }
    }
    for (const key of raised) {
      this.#onRecord?.(["p", key, this.#logs.get(key)!.next]);
      this.#record({ ver: 0, kind: "promise", key });
    }
    if (complete) {
      for (const [key, promise] of Object.entries(body.promises)) {
        const log = this.#log(key);
        log.promises[p.index] = Math.max(log.promises[p.index] ?? p.index, promise);
      }
    }
    for (const [key, offset] of Object.entries(body.commits)) {
      const log = this.#log(key);
      if (log.committed !== undefined && log.committed >= offset) continue;
      log.committed = offset;
      this.#onRecord?.(["c", key, offset]);
    }
    const content = body.entries.length > 0 || Object.keys(body.promises).length > 0 ||
      Object.keys(body.commits).length > 0;
    // A peer that doesn't know this boot gets an answer at once, to learn it.
    if (content || !mine) p.owesAck = true;
    // Acknowledge only what was applied whole: a message whose promises were dropped is resent.
    if (complete) p.heard = Math.max(p.heard, body.seq);
    if (mine && p.acknowledge(body.ack)) this.#prune();
  }

  /** Puts in `body` every change after version `since`. */
  #delta(body: ReplBody, since: number): void {
    for (let i = _firstAfter(this.#changes, since); i < this.#changes.length; i++) {
      const change = this.#changes[i]!;
      const log = this.#logs.get(change.key)!;
      if (change.kind === "entry") body.entries.push([change.key, change.offset, change.msg]);
      if (change.kind === "commit") body.commits[change.key] = log.committed!;
      else body.promises[change.key] = log.next;
    }
  }

  /** Puts this node's whole state in `body`: its own entries, every promise and commit. */
  #snapshot(body: ReplBody): void {
    for (const [key, log] of this.#logs) {
      for (const offset of log.offsets) {
        if (offset % this.#n === this.#index) {
          body.entries.push([key, offset, log.msgs.get(offset)]);
        }
      }
      body.promises[key] = log.next;
      if (log.committed !== undefined) body.commits[key] = log.committed;
    }
  }

  /** Applies one journal record of an earlier boot (no change is recorded: peers get snapshots). */
  #replay(record: LogRecord): void {
    if (record[0] === "boot") return;
    const log = this.#log(record[1]);
    if (record[0] === "e") {
      const [, , offset, msg] = record;
      if (!log.msgs.has(offset)) _insert(log, offset, msg);
      log.next = Math.max(log.next, offset + this.#n);
    } else if (record[0] === "p") {
      log.next = Math.max(log.next, record[2]);
    } else if (log.committed === undefined || log.committed < record[2]) {
      log.committed = record[2];
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
    this.#floorVer = Math.max(this.#floorVer, floor);
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
