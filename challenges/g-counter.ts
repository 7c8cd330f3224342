// build-permissions: --allow-env=COUNTER_MODE,COUNTER_GOSSIP_MS --allow-read=counter.journal --allow-write=counter.journal
/**
 * Challenge 4, g-counter: `add {delta}` and `read` on a grow-only counter shared by all nodes.
 *
 * Two designs, chosen by `COUNTER_MODE`:
 * - `seq-kv` (default, the challenge's intent; `g-counter/kv_counter.ts`). Each node owns the key
 *   `count/<node>` and is its only writer: an add is one cas from the node's last value, so nodes
 *   never race. A read writes a fresh random nonce first: seq-kv applies a state-changing request
 *   to the newest state and moves the node there (a read alone may lag any number of writes), so the
 *   reads of every node's key that follow see all adds acknowledged before. A read answers from
 *   such a refresh sent less than `readStaleMs` (1 s) before it, so reads share them: a refresh
 *   per node per second at most, whatever the read rate. Maelstrom checks final reads only, and
 *   they come after 10 s of quiescence: stale final reads are impossible, not merely unlikely
 *   (0 makes every read refresh, and every read exact). The node keeps nothing a restart can lose: an add
 *   is acknowledged only after its cas, and a fresh process re-reads its own key before its first
 *   cas (its seq-kv index survives, since it is kept per node id by the service).
 * - `crdt` (`g-counter/crdt.ts`): a G-counter vector in memory, no KV. Every `COUNTER_GOSSIP_MS`
 *   (200) a node whose own entry moved sends its vector to every peer, and every second it sends
 *   anyway (anti-entropy: gossip lost to a partition is resent, and relaying the whole vector
 *   heals ring partitions). Merge is pointwise max. Reads are local: the final reads come 10 s
 *   after the heal, when every node has heard every other. Restart-safe where the node has a
 *   directory of its own (the harness's node directories): an add is acknowledged only once the
 *   node's new own entry is in `counter.journal` (group commit), and a fresh process takes
 *   its own entry back from there before it serves; peers' entries come back with their gossip.
 *   Elsewhere (Maelstrom's shared `/tmp`) the vector lives in memory only.
 *
 * One run: `deno task harness test -w g-counter --bin challenges/g-counter.ts --node-count 3
 * --rate 100 --time-limit 20 --nemesis partition`. Figures: rows 4 (seq-kv) and 4-crdt of
 * `bench/README.md` (`deno task bench --only g-counter --runs 10 --skip-nodes` for ten seeds).
 *
 * @module
 */

import { envChoice, envMs, runChallenge } from "./common/env.ts";
import { ErrorCode, KV, Node, type NodeOptions, RPCError } from "../mod.ts";
import { GCounter, isGVector } from "./g-counter/crdt.ts";
import { KvCounter } from "./g-counter/kv_counter.ts";
import { randomToken } from "./common/random.ts";
import { type DurableJournal, openJournalSync, ownDirectory } from "./common/durable_journal.ts";
import { join } from "node:path";

/** The two designs. */
export type CounterMode = "seq-kv" | "crdt";

/** Options of {@linkcode createGCounterNode}. */
export interface GCounterOptions extends NodeOptions {
  /** Defaults to `"seq-kv"`. */
  mode?: CounterMode;
  /** crdt: how often a changed own entry is gossiped, ms (default 200). */
  gossipMs?: number;
  /** crdt: how often the vector is sent even if unchanged, ms (default 1000). */
  heartbeatMs?: number;
  /**
   * seq-kv: how old a refresh of the other nodes' keys a read may answer from, ms (default
   * 1000; 0: every read refreshes, so every read sees every add acknowledged before it).
   */
  readStaleMs?: number;
}

function _delta(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new RPCError(ErrorCode.MalformedRequest, "delta must be a non-negative integer");
  }
  return value as number;
}

/** `COUNTER_MODE` (empty or unset: `seq-kv`); throws RangeError naming a bad value. */
function _modeFromEnv(): CounterMode {
  return envChoice<CounterMode>("COUNTER_MODE", ["seq-kv", "crdt"], "seq-kv");
}

/**
 * Creates a g-counter node in the given mode (default: `COUNTER_MODE`, so a simulated run takes
 * the mode from the environment as a process does).
 */
export function createGCounterNode(options: GCounterOptions = {}): Node {
  const { mode = _modeFromEnv(), gossipMs = 200, heartbeatMs = 1000, ...rest } = options;
  const { readStaleMs = 1000, ...nodeOptions } = rest;
  const node = new Node({ defaultRpcTimeoutMs: 2000, ...nodeOptions });
  if (mode === "crdt") _crdt(node, gossipMs, heartbeatMs);
  else _seqKv(node, readStaleMs);
  return node;
}

function _seqKv(node: Node, maxStaleMs: number): void {
  let counter: KvCounter | undefined;
  const ready = (): KvCounter => {
    if (counter === undefined) throw new RPCError(ErrorCode.TemporarilyUnavailable, "no init");
    return counter;
  };
  node.onInit(() => {
    counter = new KvCounter(new KV(node, "seq-kv"), node.id, node.nodeIds, {
      nonce: () => randomToken(node.random),
      maxStaleMs,
      now: () => node.clock.now(),
    });
  });
  node.handle("add", async (msg) => {
    await ready().add(_delta(msg.body.delta));
    return { type: "add_ok" };
  });
  node.handle("read", async () => ({ type: "read_ok", value: await ready().read() }));
}

/** A journal record of crdt mode: the node's own entry after an add. */
function _parseOwn(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw new SyntaxError("not a count");
  return value as number;
}

function _crdt(node: Node, gossipMs: number, heartbeatMs: number): void {
  let counter = new GCounter("");
  let journal: DurableJournal<number> | undefined;
  let sentOwn = 0;
  let lastBeat = 0;
  node.onInit(() => {
    counter = new GCounter(node.id);
    const dir = node.dir ?? ownDirectory(node.id);
    if (dir === undefined) return;
    const opened = openJournalSync(join(dir, "counter.journal"), { parse: _parseOwn });
    journal = opened.journal;
    node.signal.addEventListener("abort", () => opened.journal.close(), { once: true });
    // Own entries only grow, so the last record is the greatest.
    const own = opened.records.at(-1) ?? 0;
    counter.merge({ [node.id]: own });
    node.log(`crdt: own entry ${own} from ${opened.records.length} journal records`);
  });
  node.handle("add", async (msg) => {
    const delta = _delta(msg.body.delta);
    if (delta > 0) {
      counter.add(delta);
      journal?.append(counter.own);
      await journal?.sync();
    }
    return { type: "add_ok" };
  });
  node.handle("read", () => ({ type: "read_ok", value: counter.value }));
  node.handle("gossip", (msg) => {
    if (isGVector(msg.body.counts)) counter.merge(msg.body.counts);
  });
  node.every(gossipMs, () => {
    const now = node.clock.now();
    const beat = now - lastBeat >= heartbeatMs;
    if (counter.own === sentOwn && !beat) return;
    sentOwn = counter.own;
    if (beat) lastBeat = now;
    const counts = counter.vector;
    for (const peer of node.nodeIds) {
      if (peer !== node.id) node.send(peer, { type: "gossip", counts });
    }
  });
}

if (import.meta.main) {
  // Empty means unset: the bench passes "" to keep a mode from the caller's shell out of a run.
  await runChallenge(() =>
    createGCounterNode({
      gossipMs: envMs("COUNTER_GOSSIP_MS", 200),
    }).run()
  );
}
