/**
 * Test helper: a KV client for node `src` that calls an in-harness service (`SeqKv`, `LinKv`)
 * directly, with no processes or network, and records the request types it sent.
 *
 * @module
 */

import type { KVClient, KVKey } from "../../lib/kv.ts";
import { isErrorBody } from "../../lib/message.ts";
import { RPCError } from "../../lib/rpc_error.ts";
import type { Service } from "../../harness/services/service.ts";

/** A KV client sending as `src` straight into `service`; `calls` collects request types. */
export function serviceKv(service: Service, src: string, calls: string[] = []): KVClient {
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
    read: async <T>(key: KVKey) => (await call({ type: "read", key })).value as T,
    write: async (key, value) => void await call({ type: "write", key, value }),
    cas: async (key, { from, to, createIfNotExists }) =>
      void await call({ type: "cas", key, from, to, create_if_not_exists: createIfNotExists }),
  };
}
