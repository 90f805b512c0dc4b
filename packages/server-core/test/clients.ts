/** Minimal loopback clients for integration tests: UDP, TCP (RFC 1035 §4.2.2 framing), HTTP/2. */
import { type ClientHttp2Session, connect as h2connect, type IncomingHttpHeaders } from 'node:http2';
import { connect as tcpConnect } from 'node:net';
// By path: the test-support index would also load the whole demo network.
import { udpExchange } from '../../test-support/src/do53-client.js';

/** One UDP query to 127.0.0.1:`port`; null when nothing came back within `timeoutMs`. */
export function udpQuery(port: number, query: Uint8Array, timeoutMs = 2000): Promise<Buffer | null> {
  return udpExchange(`127.0.0.1:${port}`, query, timeoutMs);
}

/** Send every query on one TCP connection (in one write) and collect `expected` answers. */
export function tcpQueries(
  port: number,
  queries: Uint8Array[],
  expected = queries.length,
): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    const answers: Buffer[] = [];
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`tcp: got ${answers.length} of ${expected} answers`));
    }, 5000);
    socket.on('connect', () => {
      const frames = queries.map((query) => {
        const frame = Buffer.alloc(2 + query.length);
        frame.writeUInt16BE(query.length, 0);
        frame.set(query, 2);
        return frame;
      });
      socket.write(Buffer.concat(frames));
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const length = buffer.readUInt16BE(0);
        answers.push(buffer.subarray(2, 2 + length));
        buffer = buffer.subarray(2 + length);
      }
      if (answers.length >= expected) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answers);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (answers.length < expected)
        reject(new Error(`tcp: connection closed after ${answers.length} answers`));
    });
  });
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export function h2session(port: number, ca: Buffer): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = h2connect(`https://127.0.0.1:${port}`, { ca });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

export function h2request(
  session: ClientHttp2Session,
  request: { method?: string; path: string; headers?: Record<string, string>; body?: Uint8Array },
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': request.method ?? 'GET',
      ':path': request.path,
      ...(request.headers ?? {}),
    });
    const chunks: Buffer[] = [];
    let headers: IncomingHttpHeaders = {};
    stream.on('response', (received) => {
      headers = received;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      if (headers[':status'] === undefined) reject(new Error('stream ended without a response'));
      else resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks) });
    });
    stream.on('close', () => {
      if (headers[':status'] === undefined) reject(new Error('stream closed without a response'));
    });
    stream.on('error', reject);
    if (request.body !== undefined) stream.end(request.body);
    else stream.end();
  });
}
