/**
 * A minimal DoH server (RFC 8484 §4.1 GET, HTTP/2 over TLS) in front of a QueryEngine,
 * for the stub's end-to-end test on real sockets. The servers of server-core are the
 * real thing; this stays small on purpose: decode, answer, encode.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { QueryEngine } from '@mimi/authority';
import { fromBase64Url } from '@mimi/crypto';
import { buildEdns, canonicalName, decodeMessage, encodeMessage, NO_FLAGS } from '@mimi/protocol';

export interface TestDohServer {
  readonly port: number;
  /** The engine answering (set once the network that needs the port exists). */
  engine: QueryEngine | undefined;
  /** HTTP/2 sessions opened so far. */
  readonly sessions: () => number;
  close(): Promise<void>;
}

export async function startDohServer(
  tls: { keyPem: string; certPem: string },
  nowSeconds: () => number,
): Promise<TestDohServer> {
  const server = http2.createSecureServer({ key: tls.keyPem, cert: tls.certPem });
  let sessions = 0;
  server.on('session', () => sessions++);
  const state: TestDohServer = {
    port: 0,
    engine: undefined,
    sessions: () => sessions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  server.on('stream', (stream, headers) => {
    const url = new URL(String(headers[':path']), 'https://localhost');
    const engine = state.engine;
    if (url.pathname !== '/dns-query' || engine === undefined) {
      stream.respond({ ':status': 404 });
      stream.end();
      return;
    }
    const query = decodeMessage(fromBase64Url(url.searchParams.get('dns') ?? ''));
    const question = query.questions[0]!;
    const dnssecOk = query.edns?.do ?? false;
    const sections = engine.answer(
      { name: canonicalName(question.name), type: question.type },
      dnssecOk,
      nowSeconds(),
    );
    const body = encodeMessage({
      id: query.id,
      flags: { ...NO_FLAGS, qr: true, aa: sections.aa, rcode: sections.rcode },
      questions: query.questions,
      answers: sections.answers,
      authorities: sections.authorities,
      additionals: sections.additionals,
      edns: buildEdns({ do: dnssecOk }),
    });
    stream.respond({ ':status': 200, 'content-type': 'application/dns-message' });
    stream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { port: (server.address() as AddressInfo).port });
}
