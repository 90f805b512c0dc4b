/**
 * RFC 9156 QNAME minimisation as read in src/minimise.ts (and docs/EMBEDDING.md "what
 * each server sees"): the apex sees one more label at a time with qtype NS, never the
 * CSI; the DP of the prefix sees the full qname; infrastructure names are asked in full.
 */
import { describe, expect, it } from 'vitest';
import { nextMinimisedName, shouldMinimise, zoneInsideCsiSubtree } from '../src/minimise.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork, MAIL_URL, ROOT_URL, TEL_URLS } from './helpers/network.js';

const APEX = 'mimi.arpa.';
const UK_QNAME = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';

describe('what each server sees', () => {
  it('+447700900123: the root sees only the prefix, the +44 DP the full name', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    await network.resolver().resolve(CSI.ukFound);
    const atRoot = network.transport.requests
      .filter((r) => r.url === ROOT_URL)
      .map((r) => `${r.qname} ${r.qtype}`);
    expect(atRoot).toEqual([
      'mimi.arpa. DNSKEY',
      'e164.mimi.arpa. NS',
      '4.e164.mimi.arpa. NS',
      '4.4.e164.mimi.arpa. NS',
      'tel.nic.mimi.arpa. A',
      'tel.nic.mimi.arpa. AAAA',
      '_dns.tel.nic.mimi.arpa. SVCB',
      'uk-carrier.csip.mimi.arpa. CSIPKEY',
      'csip.mimi.arpa. DS',
      'csip.mimi.arpa. DNSKEY',
    ]);
    const atDp = network.transport.requests
      .filter((r) => TEL_URLS.includes(r.url))
      .map((r) => `${r.qname} ${r.qtype}`);
    expect(atDp).toEqual(['4.4.e164.mimi.arpa. DNSKEY', `${UK_QNAME} MSPMAP`]);
  });

  it('alice@example.com: the root sees the domain, never the hashed local part', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    const result = await network.resolver().resolve(CSI.alice);
    const hash = result.qname.split('.')[0]!;
    const atRoot = network.transport.requests.filter((r) => r.url === ROOT_URL);
    expect(atRoot.some((r) => r.qname.includes(hash))).toBe(false);
    expect(atRoot.map((r) => r.qname)).toContain('example.com.email.mimi.arpa.');
    const atDp = network.transport.requests
      .filter((r) => r.url === MAIL_URL)
      .map((r) => `${r.qname} ${r.qtype}`);
    expect(atDp).toContain(`${result.qname} MSPMAP`);
  });

  it('+33 (no DP): at most ten queries toward the apex, the last one the real question', async () => {
    const network = await buildNetwork();
    await network.resolver().resolve(CSI.noDp);
    const walk = network.transport.requests.filter((r) => r.qname.endsWith('e164.mimi.arpa.'));
    expect(walk.length).toBeLessThanOrEqual(10);
    expect(walk.slice(0, -1).every((r) => r.qtype === 'NS')).toBe(true);
    expect(walk.at(-1)).toMatchObject({ qname: '9.8.7.6.5.4.3.2.1.3.3.e164.mimi.arpa.', qtype: 'MSPMAP' });
  });
});

describe('minimisation steps (RFC 9156 §2.3)', () => {
  const steps = (qname: string, zone: string) => {
    const out: string[] = [];
    let base = zone;
    for (let count = 0; base !== qname; count++) {
      base = nextMinimisedName(qname, base, count);
      out.push(base);
    }
    return out;
  };

  it.each([
    ['4.4.e164.mimi.arpa.', ['e164.mimi.arpa.', '4.e164.mimi.arpa.', '4.4.e164.mimi.arpa.']],
    [
      '9.8.7.6.5.4.3.2.1.3.3.e164.mimi.arpa.',
      [
        'e164.mimi.arpa.',
        '3.e164.mimi.arpa.',
        '3.3.e164.mimi.arpa.',
        '1.3.3.e164.mimi.arpa.',
        '2.1.3.3.e164.mimi.arpa.',
        '3.2.1.3.3.e164.mimi.arpa.',
        '4.3.2.1.3.3.e164.mimi.arpa.',
        '5.4.3.2.1.3.3.e164.mimi.arpa.',
        '7.6.5.4.3.2.1.3.3.e164.mimi.arpa.',
        '9.8.7.6.5.4.3.2.1.3.3.e164.mimi.arpa.',
      ],
    ],
  ])('%s from the apex', (qname, expected) => {
    expect(steps(qname, APEX)).toEqual(expected);
  });

  it('a 15-digit number takes at most MAX_MINIMISE_COUNT (10) steps', () => {
    const qname = `${'123456789012345'.split('').reverse().join('.')}.e164.mimi.arpa.`;
    const walk = steps(qname, APEX);
    expect(walk).toHaveLength(10);
    expect(walk.at(-1)).toBe(qname);
  });

  it.each([
    ['mimi.arpa.', UK_QNAME, true],
    ['e164.mimi.arpa.', UK_QNAME, true],
    ['4.4.e164.mimi.arpa.', UK_QNAME, false],
    ['mimi.arpa.', 'tel.nic.mimi.arpa.', false],
    ['mimi.arpa.', 'uk-carrier.csip.mimi.arpa.', false],
    ['mimi.arpa.', 'h.example.com.email.mimi.arpa.', true],
    ['example.com.email.mimi.arpa.', 'h.example.com.email.mimi.arpa.', false],
  ])('zone %s, qname %s: minimise %s', (zone, qname, expected) => {
    expect(shouldMinimise(zone, qname, APEX)).toBe(expected);
  });

  it('e164. itself is not inside the subtree (it sits above every prefix)', () => {
    expect(zoneInsideCsiSubtree('e164.mimi.arpa.', APEX)).toBe(false);
    expect(zoneInsideCsiSubtree('1.e164.mimi.arpa.', APEX)).toBe(true);
  });
});
