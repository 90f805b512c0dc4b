/**
 * A stand-in for an authoritative DP's management API (DESIGN §7) on 127.0.0.1: HTTP/2
 * over TLS with a certificate for `tel.nic.mimi.arpa` (and 127.0.0.1) from a throwaway
 * CA, recording every request and answering what the test tells it to. With a
 * Resolver whose `findDelegation` names it, `mimi publish` and `mimi remove` run
 * in-process against it.
 */
import { readFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fromBase64Url } from '@mimi/crypto';
import { ensureCertificateAuthority, ensureServerCertificate } from '@mimi/demo';
import type { ClientConfig, Delegation, Resolver } from '@mimi/stub-resolver';

export const DP_HOST = 'tel.nic.mimi.arpa';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  /** The signed object's bytes, from `{"object": "<base64url>"}`. */
  readonly object: Uint8Array;
}

export interface Reply {
  readonly status: number;
  /** A JSON value, or raw text. */
  readonly body: unknown;
}

export interface FakeDp {
  /** `https://127.0.0.1:PORT`. */
  readonly api: string;
  /** PEM path of the CA that signed its certificate. */
  readonly caFile: string;
  readonly received: ReceivedRequest[];
  /** What to answer to the next requests (the last one stays). */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** The 200 of DESIGN §7 for an object. */
export function okReply(csi: string, serial: number, removed: string[] = [], kind = 'mapping'): Reply {
  return { status: 200, body: { ok: true, kind, csi, serial, removed } };
}

export function errorReply(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

export async function startFakeDp(tlsDir: string): Promise<FakeDp> {
  const ca = await ensureCertificateAuthority(tlsDir);
  const tls = await ensureServerCertificate(tlsDir, ca, DP_HOST);
  const received: ReceivedRequest[] = [];
  let replies: Reply[] = [];
  const server: Http2SecureServer = createSecureServer(
    { key: readFileSync(tls.key), cert: readFileSync(tls.cert) },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let object: Uint8Array = new Uint8Array();
        try {
          object = fromBase64Url(
            (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { object: string }).object,
          );
        } catch {
          // recorded as empty: the test looks at what arrived
        }
        received.push({
          method: request.method,
          path: request.url,
          contentType: request.headers['content-type'],
          object,
        });
        const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        response.writeHead(reply.status, { 'content-type': 'application/json' });
        response.end(text);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: `https://127.0.0.1:${port}`,
    caFile: join(tlsDir, 'ca.pem'),
    received,
    reply(...next) {
      replies = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A Resolver that only answers `findDelegation`, with `delegation` or by throwing `error`. */
export function delegationResolver(
  answer: { delegation: Delegation } | { error: Error },
  asked: string[] = [],
): (config: ClientConfig) => Resolver {
  return () => ({
    apex: 'mimi.arpa.',
    async resolve() {
      throw new Error('resolve is not used here');
    },
    async resolveMany() {
      throw new Error('resolveMany is not used here');
    },
    async findDelegation(csi) {
      asked.push(csi);
      if ('error' in answer) throw answer.error;
      return answer.delegation;
    },
    async fetchCsipKeys() {
      return [];
    },
    async close() {},
  });
}

/** A delegation of `4.4.e164.mimi.arpa.` to the given servers. */
export function delegationTo(...servers: { api: string; host?: string }[]): Delegation {
  return {
    zone: '4.4.e164.mimi.arpa.',
    servers: servers.map((server) => ({
      host: server.host ?? DP_HOST,
      doh: `${server.api}/dns-query`,
      api: server.api,
    })),
  };
}
