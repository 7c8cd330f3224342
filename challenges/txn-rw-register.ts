// build-permissions: --allow-read --allow-write
/**
 * Challenge 6 (txn-rw-register): a totally available transactional key-value store that keeps
 * every acknowledged transaction when its node process is killed and restarted.
 *
 * Design. Each node runs every transaction to completion against its own registers (JavaScript is
 * single-threaded, so a node is serial) and replies `txn_ok` once the transaction is on the node's
 * write-ahead log: no transaction waits for the network, none aborts, and partitions cost nothing
 * but staleness. A transaction's final writes form one write set stamped `(Lamport ts, node id)`,
 * one past everything the node has seen. Write sets replicate as units: each tick (50 ms per peer,
 * at most 250 ms) a node sends each peer one `repl` message with every log entry that peer lacks
 * plus an ack of the peer's log; unacked ranges are resent after max(500 ms, 3 ticks), so
 * partitions lose nothing and the message count depends on the tick, not the load. Receivers
 * apply whole write sets in one synchronous step, each key keeping the greater version (last
 * writer wins), and consume each peer's log in order, relaying what they apply.
 *
 * Crashes (see challenges/txn-rw-register/wal.ts and replica.ts). Every write set a node commits or applies
 * is appended to `txn-<node id>.wal` in its working directory (only a directory of its own, named
 * after the node; elsewhere the node keeps no log, so nothing survives there) by a group commit,
 * one write(2) per microtask batch, and nothing leaves before it is written: not a `txn_ok` (reads included, when
 * anything is pending), not a `repl` entry, not an ack. A restarted node replays its log before it
 * serves (error 11 meanwhile), logs a new incarnation, and offers its peers again the entries not
 * all of them had acked; they resend what it missed while it was down. Every `repl` message
 * carries the sender's incarnation, and log positions count within one: a restarted node never
 * reuses a position, its Lamport clock resumes above every version its predecessor let out (so
 * no peer takes its new writes for ones already seen), and a peer that meets a new incarnation
 * resets its state toward it while ignoring the old one's late messages.
 *
 * Trade-off: no fsync (see `common/durable_journal.ts`). A killed process is the fault this survives:
 * any node, any number of times, partitions or not. A machine crash or power loss can drop a
 * log's unwritten tail, and with it acknowledged transactions that had not replicated yet. The
 * log is never compacted: a restart replays every write set of the run.
 *
 * Why it holds (see challenges/txn-rw-register/store.ts and replica.ts):
 * - G0: all writes of a txn share one version, so each key's version order is a slice of one
 *   total order of txns; a txn's version exceeds every version it read (Lamport), so even the
 *   order a checker infers from read-then-write follows it. No write cycle.
 * - G1a/G1b: only committed final writes ever leave a txn (nothing aborts); G1c: a txn's version
 *   exceeds those of the txns it read or overwrote, so ww and wr edges only go forward.
 * - Read atomic: a write set is applied whole, and a key only moves to newer versions, so once a
 *   txn's write to x is visible, its write to y (or a newer one) is too.
 * - Causal (writes-follow-reads, sticky sessions): logs are consumed in order and relayed, so a
 *   node applies a write set only after every write set its txn could have seen; every wr, ww and
 *   process edge then points forward in real time (G0/G1c-process cannot close). A restart
 *   replays a prefix of the log, which holds everything any reply of the node showed.
 * - No lost write: every acknowledged write set is on its node's log, which a restart replays and
 *   offers again until every peer acked it, so after a heal every node holds the newest version.
 * - Not prevented, as by no totally available design: lost updates and write skew (G2-item), so
 *   snapshot isolation and serializability fail.
 *
 * Figures: rows 6a–6c and the extra txn rows of `bench/README.md` (`deno task bench --only
 * txn-rw-register --runs 3`), with the models each run passes and rules out; 6c-5n-strict also
 * holds the design to the checks Maelstrom does not make (`--strict`: dirty writes, fractured and
 * garbage reads). Snapshot isolation and serializability are ruled out (lost-update, G2-item).
 * Crashes: `deno task harness test -w txn-rw-register --bin challenges/txn-rw-register.ts
 *   --node-count 2 --concurrency 2n --time-limit 20 --rate 1000 --consistency-models
 *   read-committed --nemesis partition,kill --final-reads` (`--final-reads` reads every key on
 *   every node after the heal and fails on a lost acknowledged write).
 *
 * @module
 */

import { join } from "node:path";
import { ErrorCode, type Message, Node, type NodeOptions, RPCError } from "../mod.ts";
import { runChallenge } from "./common/env.ts";
import { type DurableJournal, GroupCommit, ownDirectory } from "./common/durable_journal.ts";
import { isReplBody, Replica, type ReplicaOptions } from "./txn-rw-register/replica.ts";
import { isTxn, type Mop } from "./txn-rw-register/store.ts";
import { openWal, type WalRecord } from "./txn-rw-register/wal.ts";

/** Options of {@linkcode serveTxn}. */
export interface TxnServerOptions extends ReplicaOptions {
  /** How often each node sends its peers their batch, ms (default {@linkcode defaultTickMs}). */
  tickMs?: number;
  /**
   * The directory of the write-ahead log `txn-<node id>.wal`. Default: the working directory when
   * it is the node's own (named after its id, as the harness's `<run>/node-dirs/<node>`), else
   * none, so a node started anywhere else (a script, a test, Maelstrom's shared `/tmp`) leaves no
   * log behind and keeps nothing across restarts.
   */
  dir?: string;
  /** Which run the log belongs to (default: the parent process id; see `txn-rw-register/wal.ts`). */
  run?: number;
}

/**
 * The replication period for a cluster of `nodeCount`: 50 ms per peer, at most 250 ms, so the
 * cluster sends about 20 messages per second per node whatever its size (n(n−1) per tick).
 */
export function defaultTickMs(nodeCount: number): number {
  return Math.min(250, 50 * Math.max(1, nodeCount - 1));
}

/** The `txn_ok` reply body. */
export interface TxnOkBody {
  type: "txn_ok";
  txn: Mop[];
}

/** Writes what `replica` has pending as one batch of log records, then marks it durable. */
function _persist(replica: Replica, wal: DurableJournal<WalRecord>): void {
  const { writeSets, trimmed } = replica.drain();
  const records: WalRecord[] = writeSets.map((w) => ["ws", w.origin, w.ts, w.writes]);
  if (trimmed !== undefined) records.push(["trim", trimmed]);
  wal.write(records);
  replica.markDurable();
}

/**
 * Registers the txn-rw-register handlers on `node`: `txn` from clients and `repl` from peers.
 * At init the node replays its write-ahead log (requests meanwhile get error 11); afterwards a
 * `txn_ok` leaves only once everything the node has committed or applied is written there.
 *
 * @returns A getter for the node's replica (undefined before init), for tests.
 */
export function serveTxn(node: Node, options: TxnServerOptions = {}): () => Replica | undefined {
  let replica: Replica | undefined;
  let commits: GroupCommit | undefined;
  let failed = false;
  node.onInit(async () => {
    const tickMs = options.tickMs ?? defaultTickMs(node.nodeIds.length);
    const resendMs = options.resendMs ?? Math.max(500, 3 * tickMs);
    const dir = options.dir ?? node.dir ?? ownDirectory(node.id);
    const path = dir === undefined ? undefined : join(dir, `txn-${node.id}.wal`);
    const { wal, recovery } = await openWal(path, options.run ?? Deno.ppid);
    node.signal.addEventListener("abort", () => wal.close(), { once: true });
    const current = new Replica(node.id, node.nodeIds, { ...options, resendMs, recovery });
    node.log(
      `incarnation ${current.incarnation}: replayed ${recovery.writeSets.length} write sets`,
    );
    const stopTicks = node.every(tickMs, () => {
      for (const { dest, body } of current.tick(node.clock.now())) node.send(dest, body);
      if (current.hasPending) commits?.flush().catch(() => {});
    });
    commits = new GroupCommit(() => {
      try {
        _persist(current, wal);
      } catch (error) {
        // Without its log the node can keep nothing it acknowledges: it stops acknowledging and
        // replicating, and its peers treat it as partitioned away.
        failed = true;
        stopTicks();
        node.log("write-ahead log failed:", error);
        throw error;
      }
    });
    replica = current;
  });
  node.handle("txn", async (msg: Message): Promise<TxnOkBody> => {
    const txn = msg.body.txn;
    if (!isTxn(txn)) throw new RPCError(ErrorCode.MalformedRequest, "txn must be [r|w, key, v]*");
    if (replica === undefined || commits === undefined) {
      throw new RPCError(ErrorCode.TemporarilyUnavailable, "recovering");
    }
    if (failed) throw new RPCError(ErrorCode.Crash, "write-ahead log failed");
    const done = replica.commit(txn);
    // Reads wait too when something is pending: no reply shows state a crash could take back.
    if (replica.hasPending) await commits.flush();
    return { type: "txn_ok", txn: done };
  });
  node.handle("repl", (msg: Message) => {
    if (!isReplBody(msg.body)) return node.log(`malformed repl from ${msg.src}`);
    if (failed) return;
    replica?.receive(msg.src, msg.body, node.clock.now());
    if (replica?.hasPending) commits?.flush().catch(() => {});
  });
  return () => replica;
}

/** Options of {@linkcode createTxnRwRegisterNode}: the node's (transport, clock, logger) and the server's. */
export interface TxnNodeOptions extends NodeOptions, TxnServerOptions {}

/** Creates a txn-rw-register node (options inject transport, clock and logger for tests). */
export function createTxnRwRegisterNode(options: TxnNodeOptions = {}): Node {
  const { tickMs, dir, run, resendMs, maxBatch, ...nodeOptions } = options;
  const server: TxnServerOptions = {
    ...(tickMs === undefined ? {} : { tickMs }),
    ...(dir === undefined ? {} : { dir }),
    ...(run === undefined ? {} : { run }),
    ...(resendMs === undefined ? {} : { resendMs }),
    ...(maxBatch === undefined ? {} : { maxBatch }),
  };
  const node = new Node(nodeOptions);
  serveTxn(node, server);
  return node;
}

if (import.meta.main) await runChallenge(() => createTxnRwRegisterNode().run());
