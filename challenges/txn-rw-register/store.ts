/**
 * One node's copy of the registers and the transaction executor.
 *
 * Every committed write carries the version `(ts, origin)`: the Lamport timestamp its transaction
 * got at commit and the node that ran it. All writes of one transaction share that version, so
 * the per-key orders are slices of one total order of transactions, which rules out G0 (a write
 * cycle would need that order to loop). Merging keeps the greater version per key, so replicas
 * that applied the same write sets hold the same values whatever the arrival order.
 *
 * @module
 */

/** A register key as it arrives in JSON (the workload uses integers). */
export type Key = number | string;

/** One micro-operation of a transaction, as on the wire: `["r", k, v|null]` or `["w", k, v]`. */
export type Mop = ["r" | "w", Key, unknown];

/** The final writes of one committed transaction, stamped with its version. */
export interface WriteSet {
  /** The node that committed the transaction. */
  origin: string;
  /** Its Lamport timestamp: greater than every version its node had seen when it committed. */
  ts: number;
  /** Each key it wrote, once, with the last value it wrote there. */
  writes: [Key, unknown][];
}

/** What executing a transaction produced. */
export interface TxnResult {
  /** The transaction with every read filled in (the `txn_ok` payload). */
  txn: Mop[];
  /** Its final write set, or undefined for a read-only transaction (nothing to replicate). */
  writeSet: WriteSet | undefined;
}

interface _Version {
  value: unknown;
  ts: number;
  origin: string;
}

/**
 * Returns whether version `(ts, origin)` is newer than `than`: the greater timestamp wins, ties
 * (concurrent commits on two nodes) go to the greater node id, so every replica picks the same.
 */
export function isNewer(ts: number, origin: string, than: { ts: number; origin: string }): boolean {
  return ts > than.ts || (ts === than.ts && origin > than.origin);
}

/** Returns whether `value` is a well-formed transaction: a list of `[r|w, key, value]`. */
export function isTxn(value: unknown): value is Mop[] {
  return Array.isArray(value) &&
    value.every((mop) =>
      Array.isArray(mop) && mop.length === 3 && (mop[0] === "r" || mop[0] === "w") &&
      (typeof mop[1] === "number" || typeof mop[1] === "string")
    );
}

/**
 * A node's registers: executes transactions serially and merges replicated write sets.
 *
 * @example
 * ```ts
 * import { Store } from "./store.ts";
 * const store = new Store("n0");
 * store.execute([["w", 1, 5], ["r", 1, null]]).txn; // [["w", 1, 5], ["r", 1, 5]]
 * ```
 */
export class Store {
  /** This node's id (the `origin` of its write sets). */
  readonly nodeId: string;
  #clock = 0;
  #data = new Map<Key, _Version>();

  /** @param nodeId This node's id. */
  constructor(nodeId: string) {
    this.nodeId = nodeId;
  }

  /** The Lamport clock: the greatest timestamp committed here or applied from a peer. */
  get clock(): number {
    return this.#clock;
  }

  /** The committed value of `key`, or null when no write reached this node yet. */
  read(key: Key): unknown {
    return this.#data.has(key) ? this.#data.get(key)?.value : null;
  }

  /**
   * Executes `txn` atomically against the local registers and commits it. JavaScript runs it to
   * completion, so transactions on one node are serial. Reads see the transaction's own earlier
   * writes, then the committed state; other transactions only ever see the final writes, applied
   * all at once (no dirty or intermediate reads). It never aborts.
   *
   * @param txn The transaction's micro-operations, reads carrying null.
   * @returns The completed transaction and the write set to replicate.
   */
  execute(txn: readonly Mop[]): TxnResult {
    const own = new Map<Key, unknown>();
    const done = txn.map(([f, key, value]): Mop => {
      if (f === "w") {
        own.set(key, value);
        return ["w", key, value];
      }
      return ["r", key, own.has(key) ? own.get(key) : this.read(key)];
    });
    if (own.size === 0) return { txn: done, writeSet: undefined };
    // One past everything seen here, so this write beats every version it could have read.
    const writeSet: WriteSet = { origin: this.nodeId, ts: this.#clock + 1, writes: [...own] };
    this.apply(writeSet);
    return { txn: done, writeSet };
  }

  /**
   * Merges a committed write set: every key takes the newer of its version and the write set's.
   * All keys change in one synchronous step, so no transaction sees half of a write set.
   *
   * @returns How many keys took the write set's value.
   */
  apply(writeSet: WriteSet): number {
    const { origin, ts } = writeSet;
    this.#clock = Math.max(this.#clock, ts);
    let changed = 0;
    for (const [key, value] of writeSet.writes) {
      const current = this.#data.get(key);
      if (current === undefined || isNewer(ts, origin, current)) {
        this.#data.set(key, { value, ts, origin });
        changed++;
      }
    }
    return changed;
  }
}
