// The floor server of node-floor.mjs: node node-floor-server.mjs UDP_PORT DOH_PORT CERT KEY.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';

const [udpPort, dohPort, certFile, keyFile] = process.argv.slice(2);
/** The same socket buffers as our Do53 listener (packages/server-core do53-udp.ts). */
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
const RESPONSE_SIZE = 583;
const FILLER = Buffer.alloc(RESPONSE_SIZE);

/** Header with QR set and one answer, the question copied, then a TXT record of filler. */
function cannedAnswer(query) {
  let end = 12;
  while (end < query.length && query[end] !== 0) end += query[end] + 1;
  end += 5; // root label, QTYPE, QCLASS
  const out = Buffer.from(FILLER);
  query.copy(out, 0, 0, end);
  out[2] = 0x84; // QR, AA
  out[3] = 0;
  out.writeUInt16BE(1, 6); // ANCOUNT
  out.writeUInt16BE(0, 10); // ARCOUNT: the query's OPT is not echoed
  let at = end;
  at = out.writeUInt16BE(0xc00c, at); // owner: the question name
  at = out.writeUInt16BE(16, at); // TXT
  at = out.writeUInt16BE(1, at);
  at = out.writeUInt32BE(300, at);
  const rdlength = RESPONSE_SIZE - at - 2;
  at = out.writeUInt16BE(rdlength, at);
  for (let left = rdlength; left > 0; left -= 256) out[RESPONSE_SIZE - left] = Math.min(255, left - 1);
  return out;
}

const server = createSecureServer({
  cert: readFileSync(certFile),
  key: readFileSync(keyFile),
  settings: { maxConcurrentStreams: 100 },
});
function send(stream, query) {
  const body = cannedAnswer(query);
  stream.respond({
    ':status': 200,
    'content-type': 'application/dns-message',
    'content-length': body.length,
    'cache-control': 'max-age=300',
  });
  stream.end(body);
}

server.on('stream', (stream, headers) => {
  stream.on('error', () => {});
  if (headers[':method'] === 'POST') {
    // The harness's readiness probe POSTs; the load (h2load) sends GETs.
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => send(stream, Buffer.concat(chunks)));
    return;
  }
  const path = headers[':path'] ?? '';
  const mark = path.indexOf('dns=');
  if (mark < 0) {
    stream.respond({ ':status': 400 });
    stream.end();
    return;
  }
  send(stream, Buffer.from(path.slice(mark + 4), 'base64url'));
});
server.listen(Number(dohPort), '127.0.0.1');

const udp = createSocket({
  type: 'udp4',
  recvBufferSize: SOCKET_BUFFER_BYTES,
  sendBufferSize: SOCKET_BUFFER_BYTES,
});
udp.on('message', (query, remote) => udp.send(cannedAnswer(query), remote.port, remote.address));
udp.on('error', () => {});
udp.bind(Number(udpPort), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
