/**
 * The replication link from one node to one peer: our message numbers and the versions they
 * carried, the peer's acks, what we owe it, and which incarnation of the peer we talk to.
 * `replicated_log.ts` decides what goes in a message; this module decides when one is due and
 * what an ack or a new incarnation means (see that module's doc for the protocol).
 *
 * @module
 */

/** Unacknowledged messages remembered per peer: a silent peer must not grow the map. */
const _MAX_UNACKED = 256;

/** Replication state toward one peer. */
export class PeerLink {
  /** The peer's position in the node list: its offsets are ≡ index (mod n). */
  readonly index: number;
  /** The peer's incarnation (0: not heard from yet). */
  inc = 0;
  /** The highest of the peer's message numbers applied whole: what we acknowledge. */
  heard = 0;
  /** Our version the peer has everything up to (0: nothing acknowledged). */
  ackedVer = 0;
  /** Whether the peer should hear from us at the next tick even without news. */
  owesAck = false;
  #sentSeq = 0;
  #acked = 0;
  /** Our version when each unacknowledged message was built. */
  #verAtSeq = new Map<number, number>();
  #lastSentVer = 0;
  #lastSendAt = -Infinity;

  /** @param index The peer's position in the node list. */
  constructor(index: number) {
    this.index = index;
  }

  /**
   * Whether a message is due at version `ver`: news since the last one, an owed ack, or changes
   * unacknowledged for `rtoMs`.
   */
  due(ver: number, now: number, rtoMs: number): boolean {
    const news = ver > this.#lastSentVer;
    const unacked = ver > this.ackedVer;
    return news || this.owesAck || (unacked && now - this.#lastSendAt >= rtoMs);
  }

  /** Records a message built at version `ver` and returns its number. */
  sent(ver: number, now: number): number {
    const seq = ++this.#sentSeq;
    this.#verAtSeq.set(seq, ver);
    // Forgetting the oldest record only means an ack of that message can't advance ackedVer,
    // so a few changes are resent (safe).
    if (this.#verAtSeq.size > _MAX_UNACKED) {
      this.#verAtSeq.delete(this.#verAtSeq.keys().next().value!);
    }
    this.#lastSentVer = ver;
    this.#lastSendAt = now;
    this.owesAck = false;
    return seq;
  }

  /**
   * Notes that a message of the peer's incarnation `inc` arrived. A later incarnation than the one
   * known means the peer restarted and lost what we sent: the link starts over (nothing counts as
   * acknowledged, our message numbers go on, so none is reused).
   *
   * @returns False for a message of an earlier incarnation, which must be dropped.
   */
  meet(inc: number): boolean {
    if (inc < this.inc) return false;
    if (inc > this.inc && this.inc !== 0) {
      this.#verAtSeq.clear();
      this.#acked = 0;
      this.ackedVer = 0;
      this.heard = 0;
      this.#lastSentVer = 0;
      this.#lastSendAt = -Infinity;
    }
    this.inc = inc;
    return true;
  }

  /**
   * Applies the peer's ack of our message `ack` (of this incarnation of ours).
   *
   * @returns Whether {@linkcode ackedVer} advanced.
   */
  acknowledge(ack: number): boolean {
    if (ack <= this.#acked) return false;
    this.#acked = ack;
    const before = this.ackedVer;
    this.ackedVer = Math.max(before, this.#verAtSeq.get(ack) ?? before);
    for (const seq of this.#verAtSeq.keys()) if (seq <= ack) this.#verAtSeq.delete(seq);
    return this.ackedVer > before;
  }
}
