// build-permissions: --allow-env=KAFKA_MODE,KAFKA_TICK_MS --allow-read=. --allow-write=.
/**
 * Challenge 5, kafka: append-only logs per key (`send`, `poll`, `commit_offsets`,
 * `list_committed_offsets`).
 *
 * Two designs, chosen by `KAFKA_MODE`:
 * - `replicated` (default; 5a, 5c; `kafka/replicated_log.ts`). No leader and no per-op
 *   coordination: every request is answered from local state at once, so latency can't build
 *   up and nothing queues. Node i assigns a key's offsets ≡ i (mod n) above every offset it knows;
 *   every `KAFKA_TICK_MS` (100) it sends each peer at most one `repl` message with what changed
 *   (its entries, its per-key promise "I'll never assign below p", commits) and an ack. A poll
 *   returns entries below the frontier (the min of all nodes' promises), where the log is known to
 *   be complete, so polls never skip; new entries show up about one round trip later. On one
 *   node this is a plain log with dense offsets.
 *   Crashes: in a working directory of its own (the harness's `<run>/node-dirs/<node>`) a node
 *   journals what only it knows (`kafka.jsonl` through `common/durable_journal.ts`, records in
 *   `kafka/log_record.ts`: its entries, raised promises, commits) and no reply or `repl` message
 *   leaves before the journal holds what it depends on; sends of one batch share one write (group
 *   commit). A restarted process replays the journal before serving (error 11 meanwhile), so it
 *   never reuses an offset or breaks a promise, starts a new incarnation that its peers detect
 *   (they reset the link and send it a snapshot), and greets them with a snapshot of its own, so
 *   entries it acknowledged but had not replicated come back from its file. The trade-off: each
 *   acknowledgement waits for one `write(2)` (no `fsync`: it survives a killed process, not a lost
 *   machine; see `common/durable_journal.ts`), and a restarted node's polls return little until its
 *   peers' snapshots arrive. In a shared directory (Maelstrom's `/tmp`, kept between runs) the
 *   node keeps no journal: memory only.
 * - `lin-kv` (5b, the challenge's intent; `kafka/kv_logs.ts`): each key's log is one lin-kv value
 *   appended by read + cas; the node is stateless, so a restart loses nothing.
 *
 * Faults survived: message loss, duplication, reordering and partitions (both designs), and the
 * kill nemesis, one node at a time (`replicated` only with its journal).
 *
 * One run (5c): `deno task harness test -w kafka --bin challenges/kafka.ts --node-count 2
 * --concurrency 2n --time-limit 20 --rate 1000` (5a: `--node-count 1`; 5b: `KAFKA_MODE=lin-kv`;
 * crashes: add `--nemesis kill`). Figures: rows 5a–5c of `bench/README.md`
 * (`deno task bench --only kafka --runs 3`). Every non-ok op of a fault-free run is one of the
 * workload's `crash` ops, which Maelstrom always records as `info`.
 *
 * @module
 */

import { join } from "node:path";
import { envChoice, envMs, runChallenge } from "./common/env.ts";
import { type Body, ErrorCode, isRecord, KV, Node, type NodeOptions, RPCError } from "../mod.ts";
import { type DurableJournal, openJournal, ownDirectory } from "./common/durable_journal.ts";
import { KvLogs } from "./kafka/kv_logs.ts";
import { type ReplBody, ReplicatedLog } from "./kafka/replicated_log.ts";

/** The two designs. */
export type KafkaMode = "replicated" | "lin-kv";

/** Options of {@linkcode createKafkaNode}. */
export interface KafkaOptions extends NodeOptions {
  /** Defaults to `"replicated"`. */
  mode?: KafkaMode;
  /** replicated: replication tick, ms (default 100). */
  tickMs?: number;
  /**
   * replicated: the directory of the node's journal, given its id, or undefined for none (memory
   * only). Default: the working directory when it is the node's own (see `common/durable_journal.ts`).
   */
  journalDir?: (nodeId: string) => string | undefined;
}

/** The journal's file name inside its directory. */
export const JOURNAL_FILE = "kafka.jsonl";

/** What the handlers need from either design. */
interface _Logs {
  send(key: string, msg: unknown): number | Promise<number>;
  poll(offsets: Record<string, number>): unknown;
  commit(offsets: Record<string, number>): void | Promise<void>;
  committed(keys: string[]): Record<string, number> | Promise<Record<string, number>>;
}

function _offsets(value: unknown): Record<string, number> {
  if (!isRecord(value)) throw new RPCError(ErrorCode.MalformedRequest, "offsets must be an object");
  for (const [key, offset] of Object.entries(value)) {
    if (!Number.isSafeInteger(offset) || (offset as number) < 0) {
      throw new RPCError(
        ErrorCode.MalformedRequest,
        `offset of ${JSON.stringify(key)} must be a non-negative integer, got ${
          JSON.stringify(offset)
        }`,
      );
    }
  }
  return value as Record<string, number>;
}

function _keys(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((key) => typeof key === "string")) {
    throw new RPCError(ErrorCode.MalformedRequest, "keys must be an array of strings");
  }
  return value;
}

function _isReplBody(body: Body): body is ReplBody {
  return Number.isInteger(body.inc) && Number.isInteger(body.seq) &&
    Number.isInteger(body.ack_inc) && Number.isInteger(body.ack) && Array.isArray(body.entries) &&
    isRecord(body.promises) && isRecord(body.commits);
}

/** `KAFKA_MODE` (empty or unset: `replicated`); throws RangeError naming a bad value. */
function _modeFromEnv(): KafkaMode {
  return envChoice<KafkaMode>("KAFKA_MODE", ["replicated", "lin-kv"], "replicated");
}

/**
 * Creates a kafka node in the given mode (default: `KAFKA_MODE`, so a simulated run takes the
 * mode from the environment as a process does).
 */
export function createKafkaNode(options: KafkaOptions = {}): Node {
  const { mode = _modeFromEnv(), tickMs = 100, journalDir, ...rest } = options;
  const node = new Node({ defaultRpcTimeoutMs: 2000, ...rest });
  let logs: _Logs | undefined;
  let replicated: ReplicatedLog | undefined;
  let journal: DurableJournal | undefined;
  const ready = (): _Logs => {
    if (logs === undefined) throw new RPCError(ErrorCode.TemporarilyUnavailable, "no init");
    return logs;
  };
  // Nothing leaves the node (reply, repl message) before the journal holds what it depends on.
  const durable = (): Promise<void> | undefined => journal?.sync();
  const start = (records: readonly unknown[]): void => {
    const log = ReplicatedLog.recover(node.id, node.nodeIds, records, {
      ...(journal === undefined ? {} : { onRecord: journal.append.bind(journal) }),
    });
    logs = replicated = log;
    const peers = node.nodeIds.filter((id) => id !== node.id);
    if (peers.length === 0) return;
    node.every(tickMs, async () => {
      const bodies = peers.map((peer) => [peer, log.outgoing(peer, node.clock.now())] as const);
      await durable();
      for (const [peer, body] of bodies) if (body !== undefined) node.send(peer, body);
    });
  };
  node.onInit(() => {
    if (mode === "lin-kv") {
      logs = new KvLogs(new KV(node, "lin-kv"));
      return;
    }
    const dir = journalDir === undefined ? node.dir ?? ownDirectory(node.id) : journalDir(node.id);
    if (dir === undefined) {
      node.log("kafka: no journal (the working directory is not this node's own): memory only");
      return start([]);
    }
    // Until this promise settles, requests get error 11: the node serves only once recovered.
    return openJournal(join(dir, JOURNAL_FILE)).then(async (opened) => {
      journal = opened.journal;
      node.signal.addEventListener("abort", () => {
        void opened.journal.sync().catch(() => {}).finally(() => opened.journal.close());
      });
      start(opened.records);
      await durable(); // the new boot's record
      node.log(`kafka: incarnation ${replicated?.incarnation}, ${opened.records.length} records`);
    });
  });
  node.handle("repl", (msg) => {
    // A peer may finish init first; before ours there is no log, and its resend will come.
    if (replicated !== undefined && _isReplBody(msg.body)) replicated.receive(msg.src, msg.body);
  });
  node.handle("send", async (msg) => {
    if (typeof msg.body.key !== "string") {
      throw new RPCError(ErrorCode.MalformedRequest, "send needs a string key");
    }
    if (!("msg" in msg.body)) throw new RPCError(ErrorCode.MalformedRequest, "send needs a msg");
    const offset = await ready().send(msg.body.key, msg.body.msg);
    await durable();
    return { type: "send_ok", offset };
  });
  node.handle("poll", async (msg) => {
    const msgs = await ready().poll(_offsets(msg.body.offsets));
    await durable();
    return { type: "poll_ok", msgs };
  });
  node.handle("commit_offsets", async (msg) => {
    await ready().commit(_offsets(msg.body.offsets));
    await durable();
    return { type: "commit_offsets_ok" };
  });
  node.handle("list_committed_offsets", async (msg) => {
    const offsets = await ready().committed(_keys(msg.body.keys));
    await durable();
    return { type: "list_committed_offsets_ok", offsets };
  });
  return node;
}

if (import.meta.main) {
  // Empty means unset: the bench passes "" to keep a mode from the caller's shell out of a run.
  await runChallenge(() =>
    createKafkaNode({
      tickMs: envMs("KAFKA_TICK_MS", 100),
    }).run()
  );
}
