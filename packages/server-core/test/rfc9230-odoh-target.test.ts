/**
 * RFC 9230 target routes on a real listener (127.0.0.1, port 0, throwaway certificate),
 * driven by the @mimi/odoh client: `GET /.well-known/odohconfigs`, a sealed round trip
 * through the same pipeline as DoH (shared cache, transport `odoh` in the metrics),
 * 401 for an unknown key id (§4.3), 400 for malformed messages, 413 past the body
 * limit, DNS errors sealed inside a 200, and 429 when the relay's address is over its
 * rate limit.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import type { ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeConfigs,
  decryptResponse,
  encryptQuery,
  generateTargetKey,
  ODOH_MEDIA_TYPE,
  selectConfig,
} from '@mimi/odoh';
import { RRType } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.js';
import { odohConfigsRoute, odohQueryRoute } from '../src/odoh-routes.js';
import { OdohTarget } from '../src/odoh-target.js';
import type { RateLimitOptions } from '../src/pipeline.js';
import { type RunningServer, startServer } from '../src/server.js';
import { h2request, h2session } from './clients.js';
import { decode, makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine } from './fake-engine.js';
import { makeTestCertificate } from './tls-fixture.js';

const certificate = makeTestCertificate();
const dir = mkdtempSync(join(tmpdir(), 'mimi-odoh-route-'));
let engine: FakeEngine;
let target: OdohTarget;
let server: RunningServer;
let session: ClientHttp2Session;

async function startOdohServer(rateLimit: RateLimitOptions) {
  const running = await startServer(
    {
      doh: {
        listen: { host: '127.0.0.1', port: 0 },
        tls: { certFile: certificate.certFile, keyFile: certificate.keyFile },
      },
      pipeline: { rateLimit },
      routes: [odohConfigsRoute(target)],
      pipelineRoutes: [(pipeline) => odohQueryRoute(target, pipeline)],
    },
    engine,
  );
  return { running, session: await h2session(running.addresses.doh.port, certificate.cert) };
}

beforeAll(async () => {
  engine = new FakeEngine();
  engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')], 300);
  target = await OdohTarget.open({ file: join(dir, 'odoh.json'), logger: silentLogger() });
  ({ running: server, session } = await startOdohServer({ queriesPerSecond: 0, missesPerSecond: 0 }));
});

afterAll(async () => {
  session.close();
  await server.close();
  certificate.remove();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: Uint8Array, on = session, type = ODOH_MEDIA_TYPE) =>
  h2request(on, { method: 'POST', path: '/dns-query', headers: { 'content-type': type }, body });

function sealed(dnsQuery: Uint8Array, configs = target.configs()) {
  return encryptQuery(selectConfig(decodeConfigs(configs)), dnsQuery);
}

describe('GET /.well-known/odohconfigs', () => {
  it('serves the ObliviousDoHConfigs bytes of the current key, cacheable for half the overlap', async () => {
    const result = await h2request(session, { path: '/.well-known/odohconfigs' });
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/octet-stream');
    expect(result.headers['cache-control']).toBe('max-age=10800');
    expect(new Uint8Array(result.body)).toEqual(target.configs());
    expect(decodeConfigs(result.body)).toHaveLength(1);
  });
});

describe('POST /dns-query with application/oblivious-dns-message (RFC 9230 §4.3, §8)', () => {
  it('opens the query, answers it through the pipeline and seals the answer', async () => {
    const { request, context } = sealed(makeQuery({ id: 0x0d0e, name: 'www.example.', type: RRType.A }));
    const result = await post(request);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(ODOH_MEDIA_TYPE);
    expect(result.headers['cache-control']).toBe('no-store');
    const answer = decode(decryptResponse(context, result.body));
    expect(answer.id).toBe(0x0d0e);
    expect([...answer.answers[0]!.rdata]).toEqual([192, 0, 2, 80]);
  });

  it('shares the answer cache with DoH and counts the query as transport odoh', async () => {
    engine.set('cached.example.', RRType.A, [aRecord('cached.example.', '192.0.2.81')], 300);
    const before = engine.calls.length;
    const plain = makeQuery({ name: 'cached.example.', type: RRType.A });
    const doh = await post(plain, session, 'application/dns-message');
    expect(doh.status).toBe(200);
    const { request, context } = sealed(plain);
    const odoh = decryptResponse(context, (await post(request)).body);
    expect(Buffer.from(odoh)).toEqual(doh.body);
    expect(engine.calls.length).toBe(before + 1);
    const metrics = (await h2request(session, { path: '/metrics' })).body.toString();
    expect(metrics).toMatch(/mimi_dns_queries_total\{transport="odoh",qtype="A",rcode="NOERROR"\} [1-9]/);
  });

  it('seals DNS errors inside a 200: REFUSED outside the zones, FORMERR for a bad inner message', async () => {
    const outside = sealed(makeQuery({ name: 'elsewhere.test.', type: RRType.A }));
    const refused = await post(outside.request);
    expect(refused.status).toBe(200);
    expect(decode(decryptResponse(outside.context, refused.body)).flags.rcode).toBe(5);

    const broken = makeQuery({ name: 'www.example.', type: RRType.A });
    broken.writeUInt16BE(2, 4); // QDCOUNT 2 with one question: FORMERR
    const formerr = sealed(broken);
    const result = await post(formerr.request);
    expect(result.status).toBe(200);
    expect(decryptResponse(formerr.context, result.body)[3]! & 0x0f).toBe(1);
  });

  it('answers 400 when the sealed message is a DNS response, which is never answered', async () => {
    const response = makeQuery({ name: 'www.example.', type: RRType.A });
    response[2] = response[2]! | 0x80; // QR: a response, not a query
    const result = await post(sealed(response).request);
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body.toString()).error.code).toBe('malformed-query');
  });

  it('answers 401 for a key id the target does not hold (the client refetches configs)', async () => {
    const stranger = generateTargetKey();
    const { request } = encryptQuery(stranger.config, makeQuery({ name: 'www.example.', type: RRType.A }));
    const result = await post(request);
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body.toString())).toEqual({
      error: { code: 'odoh-unknown-key', message: 'odoh query for a key id this target does not hold' },
    });
  });

  it.each<[string, () => Uint8Array, string]>([
    ['bytes that are no ODoH message', () => Uint8Array.of(1, 2, 3), 'odoh-malformed'],
    [
      'a response message where a query belongs',
      () => {
        const { request } = sealed(makeQuery({ name: 'www.example.', type: RRType.A }));
        const copy = request.slice();
        copy[0] = 0x02;
        return copy;
      },
      'odoh-malformed',
    ],
    [
      'a ciphertext that does not decrypt',
      () => {
        const { request } = sealed(makeQuery({ name: 'www.example.', type: RRType.A }));
        const copy = request.slice();
        copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff;
        return copy;
      },
      'odoh-decrypt',
    ],
  ])('answers 400 for %s', async (_what, body, code) => {
    const result = await post(body());
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body.toString()).error.code).toBe(code);
  });

  it('answers 413 for a body over 8,192 octets', async () => {
    const result = await post(new Uint8Array(8193));
    expect(result.status).toBe(413);
  });

  it('leaves DoH on the same path alone (POST application/dns-message, GET ?dns=)', async () => {
    const query = makeQuery({ name: 'www.example.', type: RRType.A });
    expect((await post(query, session, 'application/dns-message')).status).toBe(200);
    const get = await h2request(session, { path: `/dns-query?dns=${query.toString('base64url')}` });
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toBe('application/dns-message');
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After when the relay address is over the query limit', async () => {
    const limited = await startOdohServer({ queriesPerSecond: 1, queryBurst: 1, missesPerSecond: 0 });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < 3; i++) {
        last = await post(
          sealed(makeQuery({ name: 'www.example.', type: RRType.A })).request,
          limited.session,
        );
        statuses.push(last.status);
      }
      expect(statuses[0]).toBe(200);
      expect(statuses).toContain(429);
      expect(last!.headers['retry-after']).toBe('1');
    } finally {
      limited.session.close();
      await limited.running.close();
    }
  });
});
