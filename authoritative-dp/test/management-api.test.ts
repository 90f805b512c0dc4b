/**
 * The management API end to end (DESIGN §7): a publish through `POST /v1/mappings` is
 * served at once over DoH (MSPMAP and the NAPTR view, DNSSEC-signed), a retry gets the
 * same 200, a stub resolver validates the result, and bad requests change nothing.
 */

import { formatRecord, naptrCodec, RRType } from '@mimi/protocol';
import { createResolver, loadClientConfig } from '@mimi/stub-resolver';
import { httpsRequest } from '@mimi/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiNetwork, rdatasOf, startApiNetwork } from './api-fixture.js';
import { attest, mapping, recipient } from './objects.js';

let api: ApiNetwork;
beforeAll(async () => {
  api = await startApiNetwork();
});
afterAll(async () => {
  await api?.stop();
});

describe('publish (POST /v1/mappings)', () => {
  it('serves a new mapping and its NAPTR view at once, signed', async () => {
    const csi = '+447700900123';
    const before = await api.query(csi, RRType.MSPMAP);
    expect(rdatasOf(before.answers, RRType.MSPMAP)).toEqual([]);
    expect(before.authorities.some((record) => record.type === RRType.NSEC)).toBe(true);

    const alice = recipient();
    const object = mapping(alice, attest(api.csip('uk-carrier'), { csi, rk: alice.publicKey }));
    const response = await api.post('mappings', object);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ ok: true, kind: 'mapping', csi, removed: [] });
    expect(typeof (response.json as { serial: unknown }).serial).toBe('number');

    // The cached denial above was dropped: the very next query sees the mapping.
    const after = await api.query(csi, RRType.MSPMAP);
    expect(after.flags.aa).toBe(true);
    expect(rdatasOf(after.answers, RRType.MSPMAP)).toEqual([object]);
    expect(after.answers.some((record) => record.type === RRType.RRSIG)).toBe(true);

    const naptr = await api.query(csi, RRType.NAPTR);
    const views = rdatasOf(naptr.answers, RRType.NAPTR).map((rdata) => naptrCodec.decode(rdata));
    expect(views.map((view) => [view.order, view.services, view.regexp])).toEqual([
      [10, 'E2U+mimi:Personal', '!^.*$!mimi:whatsapp.example!'],
      [20, 'E2U+mimi:Business', '!^.*$!mimi:wire.example!'],
    ]);
  });

  it('answers a byte-identical retry of the last accepted object with the same 200', async () => {
    const csi = '+447700900200';
    const bob = recipient();
    const object = mapping(bob, attest(api.csip('uk-carrier'), { csi, rk: bob.publicKey }));
    const first = await api.post('mappings', object);
    const retry = await api.post('mappings', object);
    expect(first.status).toBe(200);
    expect(retry).toEqual(first);
    expect(await api.mspmap(csi)).toEqual([object]);
  });

  it('is validated by a stub resolver from the root trust anchor (found)', async () => {
    const csi = '+14155550100';
    const carol = recipient();
    const object = mapping(carol, attest(api.csip('us-carrier'), { csi, rk: carol.publicKey }), {
      msps: [{ msp: 'signal.example', pri: 10, tags: ['Personal'] }],
    });
    expect((await api.post('mappings', object)).status).toBe(200);
    const resolver = createResolver(loadClientConfig(api.net.clientConfigFile));
    try {
      const result = await resolver.resolve(csi);
      expect(result.status).toBe('found');
      expect(result.mappings.map((found) => found.msps.map((msp) => msp.msp))).toEqual([['signal.example']]);
    } finally {
      await resolver.close();
    }
  });

  it('counts outcomes on /metrics', async () => {
    const metrics = await httpsRequest(`${api.tel.api}/metrics`, { ca: api.net.ca });
    expect(metrics.status).toBe(200);
    expect(metrics.body.toString()).toMatch(/mimi_api_requests_total\{endpoint="mappings",code="ok"\} [1-9]/);
  });
});

describe('requests refused before any check of the object', () => {
  const csi = '+447700900300';
  let served: Uint8Array[];

  beforeAll(async () => {
    const dave = recipient();
    const object = mapping(dave, attest(api.csip('uk-carrier'), { csi, rk: dave.publicKey }));
    expect((await api.post('mappings', object)).status).toBe(200);
    served = await api.mspmap(csi);
  });

  const raw = (body: string | Buffer, contentType = 'application/json', method = 'POST') =>
    httpsRequest(`${api.tel.api}/v1/mappings`, {
      method,
      headers: { 'content-type': contentType },
      body,
      ca: api.net.ca,
    });

  const errorOf = (body: Buffer) =>
    (JSON.parse(body.toString()) as { error: { code: string; message: string } }).error;

  it.each([
    ['a body over 8,192 octets', JSON.stringify({ object: 'A'.repeat(9000) }), 413, 'too-large'],
    ['a body that is not json', '{"object": ', 400, 'malformed'],
    ['a json array', '[]', 400, 'malformed'],
    ['no object key', '{"mapping": "AAAA"}', 400, 'malformed'],
    ['an object that is not a string', '{"object": 12}', 400, 'malformed'],
    ['padded base64url', '{"object": "oQ=="}', 400, 'malformed'],
    ['base64url with nonzero trailing bits', '{"object": "oR"}', 400, 'malformed'],
    [
      'bytes that are not cbor',
      `{"object": "${Buffer.from('not cbor').toString('base64url')}"}`,
      400,
      'malformed',
    ],
    [
      'an object over 4,096 octets inside the body limit',
      `{"object": "${Buffer.alloc(5000, 0xa0).toString('base64url')}"}`,
      400,
      'malformed',
    ],
  ])('%s: %i %s, nothing changes', async (_what, body, status, code) => {
    const response = await raw(body);
    expect(response.status).toBe(status);
    const error = errorOf(response.body);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^[a-z'"]/);
    expect(await api.mspmap(csi)).toEqual(served);
  });

  it('refuses another media type (415) and other methods (405)', async () => {
    expect((await raw('{}', 'text/plain')).status).toBe(415);
    const get = await httpsRequest(`${api.tel.api}/v1/removals`, { ca: api.net.ca });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('refuses a csi outside the served zones: 404 not-served-here', async () => {
    const erin = recipient();
    const csi33 = '+33123456789';
    const object = mapping(erin, attest(api.csip('uk-carrier'), { csi: csi33, rk: erin.publicKey }));
    const response = await api.post('mappings', object);
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ error: { code: 'not-served-here' } });
  });

  it('prints records the way the zone tools read them', async () => {
    const answer = await api.query(csi, RRType.MSPMAP);
    expect(formatRecord(answer.answers[0]!)).toMatch(/ 300 IN MSPMAP \\# \d+ [0-9a-f]+$/);
  });
});
