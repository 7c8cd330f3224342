/**
 * Challenge 6 (txn-rw-register): a totally available transactional key-value store.
 *
 * Design. Each node runs every transaction to completion against its own registers (JavaScript is
 * single-threaded, so a node is serial) and replies `txn_ok` at once: no transaction waits for the
 * network, none aborts, and partitions cost nothing but staleness. A transaction's final writes
 * form one write set stamped `(Lamport ts, node id)`, one past everything the node has seen.
 * Write sets replicate as units: each tick (50 ms per peer, at most 250 ms) a node sends each peer
 * one `repl` message with every log entry that peer lacks plus an ack of the peer's log; unacked
 * ranges are resent after max(500 ms, 3 ticks), so partitions lose nothing and the message count
 * depends on the tick, not the load. Receivers apply whole write sets in one synchronous step,
 * each key keeping the greater version (last writer wins), and consume each peer's log in order,
 * relaying what they apply.
 *
 * Why it holds (see challenges/txn/store.ts and replica.ts):
 * - G0: all writes of a txn share one version, so each key's version order is a slice of one
 *   total order of txns; a txn's version exceeds every version it read (Lamport), so even the
 *   order a checker infers from read-then-write follows it. No write cycle.
 * - G1a/G1b: only committed final writes ever leave a txn (nothing aborts); G1c: a txn's version
 *   exceeds those of the txns it read or overwrote, so ww and wr edges only go forward.
 * - Read atomic: a write set is applied whole, and a key only moves to newer versions, so once a
 *   txn's write to x is visible, its write to y (or a newer one) is too.
 * - Causal (writes-follow-reads, sticky sessions): logs are consumed in order and relayed, so a
 *   node applies a write set only after every write set its txn could have seen; every wr, ww and
 *   process edge then points forward in real time (G0/G1c-process cannot close).
 * - Not prevented, as by no totally available design: lost updates and write skew (G2-item), so
 *   snapshot isolation and serializability fail.
 *
 * Figures: rows 6a–6c and the extra txn rows of `bench/README.md` (`deno task bench --only
 * txn-rw-register --runs 3`), with the models each run passes and rules out; 6c-5n-strict also
 * holds the design to the checks Maelstrom does not make (`--strict`: dirty writes, fractured and
 * garbage reads). Snapshot isolation and serializability are ruled out (lost-update, G2-item).
 *
 * @module
 */

import { ErrorCode, type Message, Node, RPCError } from "../mod.ts";
import { isReplBody, Replica, type ReplicaOptions } from "./txn/replica.ts";
import { isTxn, type Mop } from "./txn/store.ts";

/** Options of {@linkcode serveTxn}. */
export interface TxnServerOptions extends ReplicaOptions {
  /** How often each node sends its peers their batch, ms (default {@linkcode defaultTickMs}). */
  tickMs?: number;
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

/**
 * Registers the txn-rw-register handlers on `node`: `txn` from clients and `repl` from peers.
 *
 * @returns A getter for the node's replica (undefined before init), for tests.
 */
export function serveTxn(node: Node, options: TxnServerOptions = {}): () => Replica | undefined {
  let replica: Replica | undefined;
  node.onInit(() => {
    const tickMs = options.tickMs ?? defaultTickMs(node.nodeIds.length);
    const resendMs = options.resendMs ?? Math.max(500, 3 * tickMs);
    const current = new Replica(node.id, node.nodeIds, { ...options, resendMs });
    replica = current;
    node.every(tickMs, () => {
      for (const { dest, body } of current.tick(node.clock.now())) node.send(dest, body);
    });
  });
  node.handle("txn", (msg: Message): TxnOkBody => {
    const txn = msg.body.txn;
    if (!isTxn(txn)) throw new RPCError(ErrorCode.MalformedRequest, "txn must be [r|w, key, v]*");
    if (replica === undefined) throw new RPCError(ErrorCode.TemporarilyUnavailable);
    return { type: "txn_ok", txn: replica.commit(txn) };
  });
  node.handle("repl", (msg: Message) => {
    if (!isReplBody(msg.body)) return node.log(`malformed repl from ${msg.src}`);
    replica?.receive(msg.src, msg.body, node.clock.now());
  });
  return () => replica;
}

if (import.meta.main) {
  const node = new Node();
  serveTxn(node);
  await node.run();
}
