/**
 * A small ODoH target for the relay tests: node:http2 over TLS, answering
 * `/dns-query` with `answerObliviousQuery` from @mimi/odoh, and recording every request's
 * headers and body so the tests can see exactly what the relay sent. Extra paths act
 * up on purpose: `/redirect` (307), `/huge` (a body over the relay's limit), `/slow`
 * (answers when released), and the connection failures a pooled connection meets
 * (FAULT_PATHS): a GOAWAY that refuses the stream, a refused stream, a reset connection,
 * a connection cut after the response headers — each once, or on every request.
 */

import { readFileSync } from 'node:fs';
import {
  createSecureServer,
  constants as h2,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { answerObliviousQuery, generateTargetKey, singleKey, type TargetKey } from '@mimi/odoh';

export interface SeenRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface TestTarget {
  readonly key: TargetKey;
  readonly port: number;
  readonly seen: SeenRequest[];
  /** Let every pending `/slow` request answer. */
  release(): void;
  close(): Promise<void>;
}

/** Misbehaviours before any response byte (the relay repeats these once) and one after. */
const FAULTS = {
  /** GOAWAY whose last stream id excludes this stream, then the stream refused (RFC 9113 §6.8). */
  goaway(stream: ServerHttp2Stream) {
    stream.session?.goaway(h2.NGHTTP2_NO_ERROR, stream.id - 2);
    stream.close(h2.NGHTTP2_REFUSED_STREAM);
  },
  /** RST_STREAM REFUSED_STREAM on an otherwise healthy connection (RFC 9113 §8.7). */
  refuse(stream: ServerHttp2Stream) {
    stream.close(h2.NGHTTP2_REFUSED_STREAM);
  },
  /** The connection dropped with the request unanswered (a restart, a timeout). */
  reset(stream: ServerHttp2Stream) {
    stream.session?.destroy();
  },
  /** Headers and part of the body, then the connection dropped: the target has answered. */
  'cut-body'(stream: ServerHttp2Stream) {
    stream.respond({ ':status': 200, 'content-type': 'application/oblivious-dns-message' });
    stream.write(Buffer.alloc(10), () => stream.session?.destroy());
  },
} as const;

/** `/fault/<kind>/once` misbehaves on its first request only, `/fault/<kind>/always` on every one. */
export const FAULT_PATHS = Object.keys(FAULTS).flatMap((kind) => [
  `/fault/${kind}/once`,
  `/fault/${kind}/always`,
]);

/** The "DNS answer": the query with its QR bit set, so the test can predict it. */
export function answerFor(query: Uint8Array): Uint8Array {
  const answer = Uint8Array.from(query);
  answer[2] = answer[2]! | 0x80;
  return answer;
}

export async function startTarget(certFile: string, keyFile: string): Promise<TestTarget> {
  const key = generateTargetKey();
  const seen: SeenRequest[] = [];
  let waiting: (() => void)[] = [];
  const faulted = new Set<string>();
  const server = createSecureServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', async () => {
      const path = String(headers[':path']);
      const body = Buffer.concat(chunks);
      seen.push({ path, headers, body });
      if (path === '/redirect') {
        stream.respond({ ':status': 307, location: 'https://elsewhere.test/dns-query' });
        return void stream.end();
      }
      if (path === '/huge') {
        stream.respond({ ':status': 200, 'content-type': 'application/oblivious-dns-message' });
        return void stream.end(Buffer.alloc(70_000));
      }
      const fault = /^\/fault\/([a-z-]+)\/(once|always)$/.exec(path);
      if (fault !== null && (fault[2] === 'always' || !faulted.has(path))) {
        faulted.add(path);
        stream.on('error', () => {}); // our own RST_STREAM comes back as an 'error' event
        return void FAULTS[fault[1] as keyof typeof FAULTS](stream);
      }
      if (path === '/slow') await new Promise<void>((resolve) => waiting.push(resolve));
      const result = await answerObliviousQuery(singleKey(key), body, async (query) => answerFor(query));
      stream.respond({
        ':status': result.status,
        'content-type': result.contentType,
        'x-target-secret': 'not-for-client',
      });
      stream.end(Buffer.from(result.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    key,
    port: (server.address() as AddressInfo).port,
    seen,
    release() {
      for (const resolve of waiting) resolve();
      waiting = [];
    },
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.destroy();
      return closed;
    },
  };
}
