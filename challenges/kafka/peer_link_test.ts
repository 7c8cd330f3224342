import { deepEqual, equal } from "node:assert/strict";
import { PeerLink } from "./peer_link.ts";

Deno.test("PeerLink.acknowledge() advances ackedVer to the version the acked message carried", () => {
  const link = new PeerLink(1);
  deepEqual([link.sent(3, 0), link.sent(5, 10)], [1, 2]);
  equal(link.acknowledge(1), true);
  equal(link.ackedVer, 3);
  equal(link.acknowledge(1), false); // a duplicate
  link.acknowledge(2);
  equal(link.ackedVer, 5);
});

Deno.test("PeerLink.due() on news, an owed ack, or unacknowledged changes after rtoMs", () => {
  const link = new PeerLink(1);
  equal(link.due(0, 0, 100), false);
  equal(link.due(1, 0, 100), true); // news
  link.sent(1, 0);
  equal(link.due(1, 50, 100), false);
  equal(link.due(1, 100, 100), true); // unacknowledged for rtoMs
  link.acknowledge(1);
  equal(link.due(1, 500, 100), false);
  link.owesAck = true;
  equal(link.due(1, 500, 100), true);
});

Deno.test("PeerLink.meet() drops an earlier incarnation and starts over on a later one", () => {
  const link = new PeerLink(1);
  equal(link.meet(2), true); // first contact: nothing to forget
  link.heard = 7;
  link.sent(4, 0);
  link.acknowledge(1);
  equal(link.meet(1), false);
  equal(link.meet(2), true);
  deepEqual([link.heard, link.ackedVer], [7, 4]);
  equal(link.meet(3), true); // the peer restarted
  deepEqual([link.inc, link.heard, link.ackedVer], [3, 0, 0]);
  equal(link.due(4, 0, 100), true); // everything goes again
  equal(link.sent(4, 0), 2); // message numbers go on
  equal(link.acknowledge(1), false); // the old boot's messages are forgotten: no advance
  equal(link.ackedVer, 0);
});
