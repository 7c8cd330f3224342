/**
 * The worker behind {@link ./precise_sleep.ts}: parks its thread for each requested slice with
 * `Atomics.wait`, whose timeout is sub-millisecond, then answers with the request's id.
 *
 * @module
 */

/** One park request: wait `ms` (a fraction allowed), then echo `id`. */
interface _Park {
  id: number;
  ms: number;
}

// Nobody ever notifies this cell: every wait runs to its timeout.
const cell = new Int32Array(new SharedArrayBuffer(4));
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<_Park>) => void) | null;
  postMessage(id: number): void;
};
scope.onmessage = ({ data }) => {
  if (data.ms > 0) Atomics.wait(cell, 0, 0, data.ms);
  scope.postMessage(data.id);
};
