/**
 * The harness router: every message between clients, nodes and services goes through it.
 *
 * Latency is drawn per message at send time (0 when a client is at either end). Each recipient
 * has its own queue ordered by deadline (ties by send order) and one receive loop, as Maelstrom's
 * `net/recv!` does it: when idle, the loop takes the earliest message at once, even one not yet
 * due, and sleeps until that message's deadline (truncated to whole ms, as `Thread/sleep (long
 * dt)`), then delivers it and takes the next. A message that arrives during the sleep waits for
 * it, even a client request with zero latency: the head-of-line delay Maelstrom's nodes see.
 *
 * A message is dropped iff its `src` is in the recipient's grudge when the loop takes it (for an
 * idle recipient, at send time); grudges only ever hold nodes, so client and service links are
 * never cut. A message delivered to a node marked down (killed by the kill nemesis) is dropped.
 * One timer is armed for the earliest wake-up over all recipients.
 *
 * @module
 */

import type { Body } from "../../lib/message.ts";
import type { Rng } from "../rng.ts";
import { DeadlineHeap } from "./deadline_heap.ts";
import { Journal, type JournalSink } from "./journal.ts";
import { LogHistogram } from "./log_histogram.ts";
import { type Cancel, type Clock, realClock } from "../../lib/clock.ts";

/** Anything that can receive messages from the network. */
export interface Endpoint {
  /** Called once per delivered message; `bodyJson` is `JSON.stringify(body)`. */
  deliver(src: string, body: Body, id: number, bodyJson: string): void;
}

/** Latency distributions, as Maelstrom's `--latency-dist`. */
export type LatencyDist = "constant" | "uniform" | "exponential";

/** Options of a {@linkcode Network}. */
export interface NetworkOptions {
  /** The cluster's node ids: the only ids partitions apply to. */
  nodes: readonly string[];
  /** Mean latency in ms. */
  latency: number;
  latencyDist: LatencyDist;
  /** Draws latencies; fork it from the main generator. */
  rng: Rng;
  clock?: Clock;
  /** Receives `messages.jsonl` lines. */
  sink?: JournalSink;
  /** Where rejections are reported (rate limited by the network). */
  log?: (message: string) => void;
  /** The test's start on the clock (journal times count from it); defaults to now. */
  origin?: number;
}

/**
 * How quickly nodes reply, ms: from the latest message delivered to a node to each reply it sends.
 * A lower bound of the node's own time per step (its work, its runtime, the pipes, a busy machine),
 * which excludes waits on services or peers, since their answers are deliveries too.
 */
export interface ReplyTurnaround {
  count: number;
  mean: number;
  median: number;
  p99: number;
  max: number;
}

/** Observed node→node delivery delay, ms. */
export interface LatencyObserved {
  count: number;
  mean: number;
  min: number;
  max: number;
}

interface Pending {
  deadline: number;
  seq: number;
  sentAt: number;
  src: string;
  dest: string;
  body: Body;
  bodyJson: string;
}

/** Draws one latency in whole ms (fractional for constant means, as given). */
export function drawLatency(dist: LatencyDist, mean: number, rng: Rng): number {
  if (mean <= 0) return 0;
  if (dist === "constant") return mean;
  if (dist === "uniform") return Math.floor(rng.next() * 2 * mean);
  return Math.floor(-Math.log(1 - rng.next()) * mean);
}

/** A recipient's queue and the message its receive loop holds while it sleeps. */
interface _Receiver {
  queue: DeadlineHeap<Pending>;
  /** The message taken and waiting for its deadline; undefined when the loop is idle. */
  holding: Pending | undefined;
}

/** When a recipient's loop wakes to deliver the message it holds. */
interface _Wakeup {
  deadline: number;
  seq: number;
  dest: string;
}

/** The simulated network. */
export class Network {
  /** The in-memory journal (send and recv events). */
  readonly journal = new Journal();
  /** Number of messages dropped by partitions. */
  droppedByPartition = 0;
  /** Number of sends rejected for an unknown src or dest. */
  rejected = 0;
  /** Number of messages dropped because their recipient was down (killed by the nemesis). */
  droppedToDown = 0;

  #nodes: ReadonlySet<string>;
  #latency: number;
  #dist: LatencyDist;
  #rng: Rng;
  #clock: Clock;
  #sink: JournalSink | undefined;
  #log: (message: string) => void;
  #endpoints = new Map<string, Endpoint>();
  #grudge = new Map<string, Set<string>>();
  #down = new Set<string>();
  #receivers = new Map<string, _Receiver>();
  #wakeups = new DeadlineHeap<_Wakeup>();
  /** Recipients whose held message is due now, woken from a microtask. */
  #dueNow: string[] = [];
  #seq = 0;
  #wakeSeq = 0;
  #cancelTimer: Cancel | undefined;
  #timerAt = Infinity;
  #microtaskQueued = false;
  #closed = false;
  #t0: number;
  #obsCount = 0;
  #obsSum = 0;
  #obsMin = Infinity;
  #obsMax = -Infinity;
  #quoted = new Map<string, string>();
  /** When each node last had a message delivered. */
  #lastDelivery = new Map<string, number>();
  #turnarounds = new LogHistogram();
  #onTimer = (): void => {
    this.#cancelTimer = undefined;
    this.#timerAt = Infinity;
    this.#flush();
  };
  #onMicrotask = (): void => {
    this.#microtaskQueued = false;
    this.#flush();
  };

  constructor(options: NetworkOptions) {
    this.#nodes = new Set(options.nodes);
    this.#latency = options.latency;
    this.#dist = options.latencyDist;
    this.#rng = options.rng;
    this.#clock = options.clock ?? realClock;
    this.#sink = options.sink;
    this.#log = options.log ?? ((message) => console.error(message));
    this.#t0 = options.origin ?? this.#clock.now();
  }

  /** Registers `id` (a node, client or service). */
  register(id: string, endpoint: Endpoint): void {
    this.#endpoints.set(id, endpoint);
  }

  /** Unregisters `id`: later messages to or from it are rejected, queued ones are dropped. */
  unregister(id: string): void {
    this.#endpoints.delete(id);
  }

  /** Whether `id` is registered. */
  has(id: string): boolean {
    return this.#endpoints.has(id);
  }

  /**
   * Sends a message. Returns false (and logs) when `src` or `dest` is not registered; such a
   * message is not journalled.
   */
  send(src: string, dest: string, body: Body, bodyJson: string = JSON.stringify(body)): boolean {
    if (this.#closed) return false;
    if (!this.#endpoints.has(dest) || !this.#endpoints.has(src)) {
      this.rejected++;
      if (this.rejected <= 20 || this.rejected % 1000 === 0) {
        const who = this.#endpoints.has(dest) ? `src ${src}` : `dest ${dest}`;
        this.#log(
          `net: rejected message from ${src} to ${dest} (unknown ${who}; ${this.rejected} so far)`,
        );
      }
      return false;
    }
    const now = this.#clock.now();
    const id = this.#seq++;
    const latency = src[0] === "c" || dest[0] === "c"
      ? 0
      : drawLatency(this.#dist, this.#latency, this.#rng);
    const entry: Pending = {
      deadline: now + latency,
      seq: id,
      sentAt: now,
      src,
      dest,
      body,
      bodyJson,
    };
    if (body.in_reply_to !== undefined) {
      const delivered = this.#lastDelivery.get(src);
      if (delivered !== undefined) this.#turnarounds.add(now - delivered);
    }
    const time = this.#ns(now);
    this.journal.send(time, id, src, dest, body.type);
    if (this.#sink !== undefined) {
      this.#sink.write(
        `{"type":"send","time":${time},"id":${id},"src":${this.#q(src)},"dest":${
          this.#q(dest)
        },"body":${bodyJson}}`,
      );
    }
    let receiver = this.#receivers.get(dest);
    if (receiver === undefined) {
      receiver = { queue: new DeadlineHeap<Pending>(), holding: undefined };
      this.#receivers.set(dest, receiver);
    }
    receiver.queue.push(entry);
    // An idle loop takes the message at once; a due one is delivered from a microtask, so a
    // sender never sees its message delivered inside send().
    if (receiver.holding === undefined && this.#take(dest, receiver, now)) {
      this.#dueNow.push(dest);
      if (!this.#microtaskQueued) {
        this.#microtaskQueued = true;
        queueMicrotask(this.#onMicrotask);
      }
    }
    return true;
  }

  /** Replaces the partition: `grudge` maps a dest to the srcs whose messages it drops. */
  setGrudge(grudge: ReadonlyMap<string, ReadonlySet<string>>): void {
    this.#grudge = new Map();
    for (const [dest, srcs] of grudge) {
      if (!this.#nodes.has(dest)) continue;
      const kept = new Set([...srcs].filter((src) => this.#nodes.has(src)));
      if (kept.size > 0) this.#grudge.set(dest, kept);
    }
  }

  /** Clears every grudge. */
  heal(): void {
    this.#grudge = new Map();
  }

  /**
   * Marks `id` down (its process is dead) or up again. Messages delivered to a down recipient
   * are dropped: journalled as sent, never as received, like a packet to a crashed host.
   */
  setDown(id: string, down: boolean): void {
    if (down) this.#down.add(id);
    else this.#down.delete(id);
  }

  /** Observed node→node delivery delay so far. */
  latencyObserved(): LatencyObserved {
    if (this.#obsCount === 0) return { count: 0, mean: 0, min: 0, max: 0 };
    return {
      count: this.#obsCount,
      mean: this.#obsSum / this.#obsCount,
      min: this.#obsMin,
      max: this.#obsMax,
    };
  }

  /** The nodes' reply turnaround so far (see {@linkcode ReplyTurnaround}). */
  replyTurnaround(): ReplyTurnaround {
    const h = this.#turnarounds;
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      count: h.count,
      mean: round(h.mean),
      median: round(h.quantile(0.5)),
      p99: round(h.quantile(0.99)),
      max: round(h.max),
    };
  }

  /** Stops delivering; queued messages are dropped. */
  close(): void {
    this.#closed = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#receivers.clear();
    this.#wakeups.clear();
    this.#dueNow = [];
  }

  #ns(ms: number): number {
    return Math.round((ms - this.#t0) * 1e6);
  }

  #q(id: string): string {
    let quoted = this.#quoted.get(id);
    if (quoted === undefined) {
      quoted = JSON.stringify(id);
      this.#quoted.set(id, quoted);
    }
    return quoted;
  }

  /**
   * The idle receive loop of `dest` takes its earliest message: drops it if partitioned, else
   * holds it until its deadline (whole ms, truncated) and schedules the wake-up. Returns true
   * when the held message is due now: the caller delivers it (or defers that to a microtask).
   */
  #take(dest: string, receiver: _Receiver, now: number): boolean {
    for (let next = receiver.queue.pop(); next !== undefined; next = receiver.queue.pop()) {
      if (this.#grudge.get(dest)?.has(next.src)) {
        this.droppedByPartition++;
        continue;
      }
      receiver.holding = next;
      const sleep = Math.trunc(next.deadline - now);
      if (sleep <= 0) return true;
      const wakeAt = now + sleep;
      this.#wakeups.push({ deadline: wakeAt, seq: this.#wakeSeq++, dest });
      this.#arm(wakeAt, now);
      return false;
    }
    return false;
  }

  #arm(deadline: number, now: number): void {
    if (deadline >= this.#timerAt) return;
    this.#cancelTimer?.();
    this.#timerAt = deadline;
    this.#cancelTimer = this.#clock.setTimeout(this.#onTimer, Math.ceil(deadline - now));
  }

  /** Wakes every loop whose sleep is over: delivers what it holds and takes the next. */
  #flush(): void {
    if (this.#closed) return;
    let now = this.#clock.now();
    const due = this.#dueNow;
    this.#dueNow = [];
    for (const dest of due) {
      this.#wake(dest, now);
      if (this.#closed) return;
    }
    const wakeups = this.#wakeups;
    for (let top = wakeups.peek(); top !== undefined; top = wakeups.peek()) {
      if (top.deadline > now) {
        now = this.#clock.now();
        if (top.deadline > now) break;
      }
      wakeups.pop();
      this.#wake(top.dest, now);
      if (this.#closed) return;
    }
    const next = wakeups.peek();
    if (next !== undefined) this.#arm(next.deadline, now);
  }

  /** Delivers what `dest`'s loop holds, then everything already due, then takes the next. */
  #wake(dest: string, now: number): void {
    const receiver = this.#receivers.get(dest);
    if (receiver === undefined) return;
    for (let held = receiver.holding; held !== undefined; held = receiver.holding) {
      receiver.holding = undefined;
      this.#deliver(held, now);
      if (this.#closed || receiver.holding !== undefined) return;
      if (!this.#take(dest, receiver, now)) return;
    }
  }

  #deliver(entry: Pending, now: number): void {
    const { src, dest } = entry;
    const endpoint = this.#endpoints.get(dest);
    if (endpoint === undefined) return;
    if (this.#down.has(dest)) {
      this.droppedToDown++;
      return;
    }
    const time = this.#ns(now);
    this.journal.recv(time, entry.seq, src, dest, entry.body.type);
    if (this.#sink !== undefined) {
      this.#sink.write(
        `{"type":"recv","time":${time},"id":${entry.seq},"src":${this.#q(src)},"dest":${
          this.#q(dest)
        }}`,
      );
    }
    if (this.#nodes.has(src) && this.#nodes.has(dest)) {
      const delay = now - entry.sentAt;
      this.#obsCount++;
      this.#obsSum += delay;
      if (delay < this.#obsMin) this.#obsMin = delay;
      if (delay > this.#obsMax) this.#obsMax = delay;
    }
    if (this.#nodes.has(dest)) this.#lastDelivery.set(dest, now);
    try {
      endpoint.deliver(src, entry.body, entry.seq, entry.bodyJson);
    } catch (error) {
      this.#log(`net: delivery to ${dest} threw: ${error}`);
    }
  }
}
