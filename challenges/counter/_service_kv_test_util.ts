/**
 * Test helper: a KV client for node `src` that calls an in-harness service (`SeqKv`, `LinKv`)
 * directly, with no processes or network, and records the request types it sent.
 *
 * @module
 */

import { isErrorBody } from "../../lib/message.ts";
import { RPCError } from "../../lib/rpc_error.ts";
import type { Service } from "../../harness/types.ts";

/** The KV surface shared by the challenges' `CounterKv` and `LogsKv`. */
export interface ServiceKv {
  read<T = unknown>(key: string): Promise<T>;
  write(key: string, value: unknown): Promise<void>;
  cas<T>(key: string, cas: { from: T; to: T; createIfNotExists?: boolean }): Promise<void>;
}

/** A KV client sending as `src` straight into `service`; `calls` collects request types. */
export function serviceKv(service: Service, src: string, calls: string[] = []): ServiceKv {
  let msgId = 0;
  const call = async (body: Record<string, unknown> & { type: string }) => {
    calls.push(body.type);
    await Promise.resolve(); // let concurrent callers interleave, as over a network
    const reply = service.handle(src, { ...body, msg_id: ++msgId });
    if (reply === undefined) throw new Error("no reply");
    if (isErrorBody(reply)) throw RPCError.fromBody(reply);
    return reply;
  };
  return {
    read: async <T>(key: string) => (await call({ type: "read", key })).value as T,
    write: async (key, value) => void await call({ type: "write", key, value }),
    cas: async (key, { from, to, createIfNotExists }) =>
      void await call({ type: "cas", key, from, to, create_if_not_exists: createIfNotExists }),
  };
}
