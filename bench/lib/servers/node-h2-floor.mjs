/**
 * A reference, not a DNS server: node:http2 over TLS answering every DoH GET with a
 * canned 583-octet message (the size of our MSPMAP answer) built from the query's
 * header and question — no cache, no lookup, no signing, no limits. It is what Node's
 * HTTP/2 stack itself costs per request on this machine, the floor under any DoH server
 * written on it (the "node:dgram server answering canned bytes" for UDP).
 */
import { fileURLToPath } from 'node:url';

const serverFile = fileURLToPath(new URL('./node-h2-floor-server.mjs', import.meta.url));

export const nodeH2Floor = {
  id: 'floor',
  name: 'node:http2 canned (floor)',
  transports: ['doh'],
  readyTimeoutMs: 30_000,
  async version(_ctx) {
    return process.version;
  },
  async prepare(ctx) {
    return {
      command: process.execPath,
      args: [serverFile, String(ctx.ports.doh), ctx.tls.certFile, ctx.tls.keyFile],
    };
  },
};
