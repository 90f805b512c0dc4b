/**
 * A small DoH + ODoH target for tests on real sockets (RFC 8484 §4.1 GET; RFC 9230
 * §4.3 POST with `application/oblivious-dns-message`), HTTP/2 over TLS, answering from
 * a QueryEngine and, when given a verifier, checking Privacy Pass tokens the way DESIGN
 * §7 says a DP with `--require-token` does. server-core is the real thing; this stays
 * small on purpose, and records what each request showed the server.
 */
import http2, { type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { QueryEngine } from '@mimi/authority';
import { fromBase64Url } from '@mimi/crypto';
import { answerObliviousQuery, ODOH_MEDIA_TYPE, singleKey, type TargetKey } from '@mimi/odoh';
import {
  buildEdns,
  canonicalName,
  decodeMessage,
  type EdnsOption,
  encodeMessage,
  isInCsiSubtree,
  NO_FLAGS,
  Rcode,
  typeToString,
} from '@mimi/protocol';
import { refusalOption, type TokenVerifier } from '@mimi/tokens';

export interface TargetRequest {
  readonly via: 'doh' | 'odoh';
  readonly qname: string;
  readonly qtype: string;
  /** `ok`, a refusal code, or `not-needed`. */
  readonly token: string;
  readonly headers: IncomingHttpHeaders;
}

export interface OdohTargetServer {
  readonly port: number;
  readonly requests: TargetRequest[];
  engine: QueryEngine | undefined;
  close(): Promise<void>;
}

export interface OdohTargetOptions {
  readonly tls: { readonly keyPem: string; readonly certPem: string };
  readonly key: TargetKey;
  readonly nowSeconds: () => number;
  /** Check tokens (DESIGN §7); none: answer everything. */
  readonly verifier?: Pick<TokenVerifier, 'verifyEdns'>;
  readonly apex?: string;
}

export async function startOdohTarget(options: OdohTargetOptions): Promise<OdohTargetServer> {
  const apex = options.apex ?? 'mimi.arpa.';
  const server = http2.createSecureServer({ key: options.tls.keyPem, cert: options.tls.certPem });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  const state: OdohTargetServer = {
    port: 0,
    requests: [],
    engine: undefined,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.destroy();
      return closed;
    },
  };

  const answer = (bytes: Uint8Array, via: TargetRequest['via'], headers: IncomingHttpHeaders): Uint8Array => {
    const engine = state.engine!;
    const query = decodeMessage(bytes);
    const question = query.questions[0]!;
    const qname = canonicalName(question.name);
    const needed = isInCsiSubtree(qname, apex) && !engine.zones().includes(qname);
    const verdict = needed && options.verifier !== undefined ? options.verifier.verifyEdns(query.edns) : null;
    state.requests.push({
      via,
      qname,
      qtype: typeToString(question.type),
      token: verdict === null ? 'not-needed' : verdict.ok ? 'ok' : verdict.code,
      headers,
    });
    const dnssecOk = query.edns?.do ?? false;
    const reply = (
      rcode: number,
      sections: Pick<ReturnType<QueryEngine['answer']>, 'aa' | 'answers' | 'authorities' | 'additionals'>,
      options: EdnsOption[] = [],
    ) =>
      encodeMessage({
        id: query.id,
        flags: { ...NO_FLAGS, qr: true, aa: sections.aa, rcode },
        questions: query.questions,
        answers: sections.answers,
        authorities: sections.authorities,
        additionals: sections.additionals,
        edns: buildEdns({ do: dnssecOk, options }),
      });
    if (verdict !== null && !verdict.ok) {
      return reply(Rcode.REFUSED, { aa: false, answers: [], authorities: [], additionals: [] }, [
        refusalOption(verdict),
      ]);
    }
    const sections = engine.answer({ name: qname, type: question.type }, dnssecOk, options.nowSeconds());
    return reply(sections.rcode, sections);
  };

  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', async () => {
      const url = new URL(String(headers[':path']), 'https://target.test');
      if (url.pathname !== '/dns-query' || state.engine === undefined) {
        stream.respond({ ':status': 404 });
        return void stream.end();
      }
      if (headers[':method'] === 'GET') {
        const body = answer(fromBase64Url(url.searchParams.get('dns') ?? ''), 'doh', headers);
        stream.respond({ ':status': 200, 'content-type': 'application/dns-message' });
        return void stream.end(body);
      }
      if (headers['content-type'] !== ODOH_MEDIA_TYPE) {
        stream.respond({ ':status': 415 });
        return void stream.end();
      }
      const result = await answerObliviousQuery(
        singleKey(options.key),
        Buffer.concat(chunks),
        async (query) => answer(query, 'odoh', headers),
      );
      stream.respond({
        ':status': result.status,
        'content-type': result.contentType,
        'cache-control': 'no-store',
      });
      stream.end(Buffer.from(result.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { port: (server.address() as AddressInfo).port });
}
