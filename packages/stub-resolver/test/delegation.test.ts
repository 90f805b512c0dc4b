/**
 * `findDelegation` and `fetchCsipKeys` (for `mimi publish` and the authoritative DP),
 * and the chain by RRSIG signer name when one server serves a parent and its child
 * (RFC 4035 §3.1.4.1: the DS comes from the parent side, the DNSKEY from the child).
 */
import { publicKeyOf } from '@mimi/crypto';
import { describe, expect, it } from 'vitest';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { csipKeyRdata, csipKeys, T_EXP } from './helpers/fixtures.js';
import { buildNetwork, MAIL_URL, ROOT_URL, TEL_URLS } from './helpers/network.js';

describe('findDelegation', () => {
  it('the +44 DP: its zone, DoH URLs and API base on the same listener, TLS host names', async () => {
    const network = await buildNetwork();
    const delegation = await network.resolver().findDelegation('+44 7700 900123');
    expect(delegation).toEqual({
      zone: '4.4.e164.mimi.arpa.',
      servers: TEL_URLS.map((doh) => ({ host: 'tel.nic.mimi.arpa', doh, api: new URL(doh).origin })),
    });
  });

  it('an email domain: its DP', async () => {
    const network = await buildNetwork();
    const delegation = await network.resolver().findDelegation(CSI.alice);
    expect(delegation).toEqual({
      zone: 'example.com.email.mimi.arpa.',
      servers: [{ host: 'mail.nic.mimi.arpa', doh: MAIL_URL, api: 'https://127.0.0.1:8445' }],
    });
  });

  // Regression: this used to return the apex and the root's URLs, although the root DP
  // has no management API (DESIGN §7 gives it to authoritative DPs) and a publish sent
  // there would show the recipient's object to an operator that does not serve it.
  it('a prefix with no DP: no-delegation, naming the zone the walk ended in', async () => {
    const network = await buildNetwork();
    await expect(network.resolver().findDelegation(CSI.noDp)).rejects.toMatchObject({
      code: 'no-delegation',
      message: "no authoritative dp serves '+33123456789' (its name is in mimi.arpa.)",
      details: { zone: 'mimi.arpa.' },
    });
    await expect(network.resolver().findDelegation('nobody@example.org')).rejects.toMatchObject({
      code: 'no-delegation',
    });
  });

  it('a bogus chain throws BogusError with the reason code', async () => {
    const network = await buildNetwork();
    network.transport.tamper = (response, request) =>
      request.qtype === 'DNSKEY' && request.qname === '4.4.e164.mimi.arpa.'
        ? { ...response, answers: [] }
        : response;
    await expect(network.resolver().findDelegation(CSI.ukFound)).rejects.toMatchObject({
      code: 'bogus',
      reasonCode: 'no-dnskey',
    });
  });
});

describe('fetchCsipKeys', () => {
  it('returns the validated CSIPKEY records of an id', async () => {
    const network = await buildNetwork();
    const records = await network.resolver().fetchCsipKeys('uk-carrier');
    expect(records).toEqual([
      { v: 1, id: 'uk-carrier', pk: publicKeyOf(csipKeys['uk-carrier']), scope: ['+44'], exp: T_EXP },
    ]);
  });

  it('several records during a rollover are all returned', async () => {
    const network = await buildNetwork({
      csipRecords: {
        'uk-carrier': [
          csipKeyRdata('uk-carrier'),
          csipKeyRdata('uk-carrier', { key: csipKeys['us-carrier'] }),
        ],
      },
    });
    expect(await network.resolver().fetchCsipKeys('uk-carrier')).toHaveLength(2);
  });

  it('an unknown id: an authenticated empty answer', async () => {
    const network = await buildNetwork();
    expect(await network.resolver().fetchCsipKeys('nobody')).toEqual([]);
  });

  it('an id that is not 1-32 of a-z, 0-9, "-": bad-csip-id before any lookup', async () => {
    const network = await buildNetwork();
    await expect(network.resolver().fetchCsipKeys('UK_Carrier')).rejects.toMatchObject({
      code: 'bad-csip-id',
    });
    expect(network.transport.requests).toEqual([]);
  });
});

describe('a server serving a parent and its child', () => {
  it('the CSIP zone on the root server: DS from the apex side, DNSKEY from the child, no referral', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    const traced = await network.resolver().resolve(CSI.ukFound, { trace: true });
    expect(traced.status).toBe('found');
    expect(traced.trace).toContainEqual(
      expect.objectContaining({ event: 'query', qname: 'csip.mimi.arpa.', qtype: 'DS', zone: 'mimi.arpa.' }),
    );
    expect(traced.trace).toContainEqual(
      expect.objectContaining({ event: 'zone', zone: 'csip.mimi.arpa.', parent: 'mimi.arpa.' }),
    );
    expect(traced.trace).toContainEqual(
      expect.objectContaining({
        event: 'verified',
        zone: 'csip.mimi.arpa.',
        name: 'uk-carrier.csip.mimi.arpa.',
      }),
    );
  });

  it('a minimised NS query answered from the child zone is followed by signer name', async () => {
    const network = await buildNetwork({ rootAlsoServes: ['4.4.e164.zone'] });
    const result = await network.resolver().resolve(CSI.ukFound, { trace: true });
    // The root DP has no mapping store: the +44 zone it serves holds no mapping.
    expect(result.status).toBe('no-mapping');
    expect(result.trace).toContainEqual(
      expect.objectContaining({
        event: 'zone',
        zone: '4.4.e164.mimi.arpa.',
        parent: 'mimi.arpa.',
        servers: [{ url: ROOT_URL, host: '127.0.0.1' }],
      }),
    );
    expect(network.transport.requests.every((r) => r.url === ROOT_URL)).toBe(true);
    expect(network.transport.requests.map((r) => `${r.qname} ${r.qtype}`)).toContain(
      '4.4.e164.mimi.arpa. DS',
    );
  });
});
