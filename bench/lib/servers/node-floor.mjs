/**
 * A reference, not a DNS server: Node answering every query with a canned 583-octet
 * message (the size of our MSPMAP answer) built from the query's header and question —
 * no cache, no lookup, no signing, no limits — over node:dgram (Do53/UDP, the issue's
 * own yardstick: "a node:dgram server answering canned bytes without parsing") and over
 * node:http2 with TLS (DoH GET). It is what Node's own UDP and HTTP/2 stacks cost per
 * query on this machine: the floor under any DNS server written on them.
 */
import { fileURLToPath } from 'node:url';

const serverFile = fileURLToPath(new URL('./node-floor-server.mjs', import.meta.url));

export const nodeFloor = {
  id: 'floor',
  name: 'node canned (floor)',
  transports: ['udp', 'doh'],
  readyTimeoutMs: 30_000,
  async version(_ctx) {
    return process.version;
  },
  async prepare(ctx) {
    return {
      command: process.execPath,
      args: [serverFile, String(ctx.ports.udp), String(ctx.ports.doh), ctx.tls.certFile, ctx.tls.keyFile],
    };
  },
};
