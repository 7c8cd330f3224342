/**
 * A deterministic in-memory network of {@linkcode BroadcastCore}s on virtual time, for tests:
 * constant latency, per-node ticks, Maelstrom-style partitions (a message is dropped when its
 * link is cut at the moment it would be delivered), and crashes (a killed node loses its memory,
 * messages reaching it while dead are dropped, and it restarts from its journal).
 *
 * @module
 */

import { BroadcastCore, type GossipBody, type ModeParams, type Outgoing } from "./core.ts";
import { MemoryFile } from "../common/durable_journal.ts";
import { BroadcastJournal } from "./journal.ts";

/** One message the network accepted. */
export interface SentMessage {
  time: number;
  src: string;
  dest: string;
  body: GossipBody;
}

interface _Event {
  at: number;
  run: () => void;
}

/** A cluster of cores wired through a simulated network. */
export class Sim {
  /** Virtual time, ms. */
  now = 0;
  readonly ids: string[];
  /** Each node's current incarnation (a dead node's last one). */
  readonly cores: BroadcastCore[];
  /** Each node's journal file, kept across its restarts. */
  readonly journals: MemoryFile[];
  /** Every message sent, in order. */
  readonly sent: SentMessage[] = [];
  /** How many received items a node already held (a measure of wasted repair traffic). */
  duplicates = 0;
  /** Sorted by time; events at the same time keep scheduling order. */
  #events: _Event[] = [];
  #cut = new Set<string>();
  #latencyMs: number;
  #params: Readonly<ModeParams>;
  #alive: boolean[];

  /**
   * @param nodeCount Nodes `n0`…; `n0` is the hub.
   * @param params The mode under test.
   * @param latencyMs One-way latency of every message.
   */
  constructor(nodeCount: number, params: Readonly<ModeParams>, latencyMs = 100) {
    this.ids = Array.from({ length: nodeCount }, (_, i) => `n${i}`);
    this.#latencyMs = latencyMs;
    this.#params = params;
    this.journals = this.ids.map(() => new MemoryFile());
    this.#alive = this.ids.map(() => true);
    this.cores = this.ids.map((_, i) => this.#start(i));
  }

  /**
   * A client broadcasts `value` at node `node` now.
   *
   * @returns Whether the node acknowledged it (false when the node is dead).
   */
  broadcast(node: number, value: number): boolean {
    const core = this.cores[node];
    if (core === undefined) throw new RangeError(`No node ${node}`);
    if (!this.#alive[node]) return false;
    this.#send(this.ids[node] ?? "", core.broadcast(value, this.now));
    return true;
  }

  /** Crashes `node`: its memory and timers are gone; messages reaching it are dropped. */
  kill(node: number): void {
    this.#alive[node] = false;
  }

  /** Starts `node` again from its journal. */
  restart(node: number): void {
    this.#alive[node] = true;
    this.cores[node] = this.#start(node);
  }

  /** Whether `node` is running. */
  isAlive(node: number): boolean {
    return this.#alive[node] ?? false;
  }

  /** Schedules `run` at virtual time `at`. */
  at(at: number, run: () => void): void {
    let i = this.#events.length;
    while (i > 0 && (this.#events[i - 1]?.at ?? 0) > at) i--;
    this.#events.splice(i, 0, { at, run });
  }

  /** Cuts both directions between every node of `side` and every node not in it. */
  partition(side: readonly number[]): void {
    for (const a of this.ids.keys()) {
      for (const b of this.ids.keys()) {
        if (side.includes(a) !== side.includes(b)) this.#cut.add(`${a}>${b}`);
      }
    }
  }

  /** Heals every cut. */
  heal(): void {
    this.#cut.clear();
  }

  /** Runs every event up to and including `until`. */
  runUntil(until: number): void {
    for (;;) {
      const next = this.#events[0];
      if (next === undefined || next.at > until) break;
      this.#events.shift();
      this.now = next.at;
      next.run();
    }
    this.now = until;
  }

  /** Whether every node holds exactly the values `0…count-1`. */
  converged(count: number): boolean {
    return this.cores.every((core) => core.read().length === count);
  }

  #start(i: number): BroadcastCore {
    const params = this.#params;
    const journal = new BroadcastJournal(this.journals[i] ?? new MemoryFile());
    const core = new BroadcastCore(this.ids[i] ?? "", this.ids, { params, journal, now: this.now });
    const tick = () => {
      // A killed or replaced incarnation's timer dies with it.
      if (this.cores[i] !== core || !this.#alive[i]) return;
      this.#send(this.ids[i] ?? "", core.tick(this.now));
      this.at(this.now + params.tickMs, tick);
    };
    // Stagger the nodes' timers as real processes started one by one would be.
    this.at(this.now + params.tickMs + i * 7 % params.tickMs, tick);
    return core;
  }

  #send(src: string, out: Outgoing[]): void {
    const from = this.ids.indexOf(src);
    for (const { dest, body } of out) {
      this.sent.push({ time: this.now, src, dest, body });
      const to = this.ids.indexOf(dest);
      this.at(this.now + this.#latencyMs, () => {
        if (this.#cut.has(`${from}>${to}`) || !this.#alive[to]) return;
        const core = this.cores[to];
        if (core === undefined) return;
        const before = core.read().length;
        const held = body.items.filter(([o, s]) => o >= 0 && s >= 1).length;
        this.#send(dest, core.receive(src, body, this.now));
        this.duplicates += held - (core.read().length - before);
      });
    }
  }
}
