/**
 * DESIGN §8 `--trace`: the chain of trust drawn zone by zone from the stub's events
 * (shape of a real walk: anchor, root DNSKEY, a referral, the child zone, the MSPMAP
 * answer, the CSIP zone, the mapping checks, the result).
 */
import type { TraceEvent } from '@mimi/stub-resolver';
import { describe, expect, it } from 'vitest';
import { PLAIN, palette } from '../src/colour.js';
import { formatTrace, serverText } from '../src/format/trace.js';

const ROOT = { url: 'https://127.0.0.1:8443/dns-query', host: '127.0.0.1' };
const TEL_A = { url: 'https://127.0.0.1:8444/dns-query', host: 'tel.nic.mimi.arpa' };
const TEL_B = { url: 'https://127.0.0.2:8444/dns-query', host: 'tel.nic.mimi.arpa' };
const QNAME = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';

const WALK: TraceEvent[] = [
  { event: 'trust-anchor', zone: 'mimi.arpa.', keyTags: [25614] },
  {
    event: 'query',
    zone: 'mimi.arpa.',
    qname: 'mimi.arpa.',
    qtype: 'DNSKEY',
    server: ROOT,
    outcome: 'answer',
    ms: 3.4,
  },
  {
    event: 'zone',
    zone: 'mimi.arpa.',
    parent: null,
    dsKeyTags: [25614],
    dnskeyKeyTags: [25614, 1234],
    servers: [ROOT],
  },
  {
    event: 'query',
    zone: 'mimi.arpa.',
    qname: '4.4.e164.mimi.arpa.',
    qtype: 'NS',
    server: ROOT,
    outcome: 'referral',
    ms: 2,
  },
  {
    event: 'verified',
    zone: 'mimi.arpa.',
    name: 'tel.nic.mimi.arpa.',
    type: 'A',
    what: 'rrset',
    keyTag: 25614,
  },
  {
    event: 'query',
    zone: '4.4.e164.mimi.arpa.',
    qname: '4.4.e164.mimi.arpa.',
    qtype: 'DNSKEY',
    server: TEL_A,
    outcome: 'failed: timeout',
    ms: 1000,
  },
  {
    event: 'query',
    zone: '4.4.e164.mimi.arpa.',
    qname: '4.4.e164.mimi.arpa.',
    qtype: 'DNSKEY',
    server: TEL_B,
    outcome: 'answer',
    ms: 5,
  },
  {
    event: 'zone',
    zone: '4.4.e164.mimi.arpa.',
    parent: 'mimi.arpa.',
    dsKeyTags: [48525],
    dnskeyKeyTags: [48525],
    servers: [TEL_A, TEL_B],
  },
  {
    event: 'query',
    zone: '4.4.e164.mimi.arpa.',
    qname: QNAME,
    qtype: 'MSPMAP',
    server: TEL_B,
    outcome: 'answer',
    ms: 4,
  },
  {
    event: 'verified',
    zone: '4.4.e164.mimi.arpa.',
    name: QNAME,
    type: 'MSPMAP',
    what: 'rrset',
    keyTag: 48525,
  },
  { event: 'cache', qname: 'uk-carrier.csip.mimi.arpa.', qtype: 'CSIPKEY', outcome: 'answer' },
  {
    event: 'verified',
    zone: 'csip.mimi.arpa.',
    name: 'uk-carrier.csip.mimi.arpa.',
    type: 'CSIPKEY',
    what: 'rrset',
    keyTag: 53877,
  },
  { event: 'mapping', id: 'personal', outcome: 'verified' },
  { event: 'mapping', id: null, outcome: 'cbor-trailing: trailing bytes' },
  { event: 'result', status: 'found', reason: null, ms: 1020.6 },
];

describe('formatTrace', () => {
  it('draws one section per zone, with key tags, servers, verifications and timings', () => {
    expect(formatTrace(WALK, PLAIN, `trace of +447700900123`)).toBe(
      [
        'trace of +447700900123',
        'zone mimi.arpa.',
        '  anchor    trust anchor, key tags 25614',
        '  query     mimi.arpa. DNSKEY @https://127.0.0.1:8443/dns-query -> answer  3 ms',
        '  secure    DS 25614 -> DNSKEY 25614 1234 (trust anchor)',
        '  servers   127.0.0.1 https://127.0.0.1:8443/dns-query',
        '  query     4.4.e164.mimi.arpa. NS @https://127.0.0.1:8443/dns-query -> referral  2 ms',
        '  verified  tel.nic.mimi.arpa. A rrset, RRSIG key 25614',
        'zone 4.4.e164.mimi.arpa.',
        '  query     4.4.e164.mimi.arpa. DNSKEY @tel.nic.mimi.arpa https://127.0.0.1:8444/dns-query -> failed: timeout  1000 ms',
        '  query     4.4.e164.mimi.arpa. DNSKEY @tel.nic.mimi.arpa https://127.0.0.2:8444/dns-query -> answer  5 ms',
        '  secure    DS 48525 -> DNSKEY 48525 (DS from mimi.arpa.)',
        '  servers   tel.nic.mimi.arpa https://127.0.0.1:8444/dns-query https://127.0.0.2:8444/dns-query',
        `  query     ${QNAME} MSPMAP @tel.nic.mimi.arpa https://127.0.0.2:8444/dns-query -> answer  4 ms`,
        `  verified  ${QNAME} MSPMAP rrset, RRSIG key 48525`,
        '  cache     uk-carrier.csip.mimi.arpa. CSIPKEY -> answer',
        'zone csip.mimi.arpa.',
        '  verified  uk-carrier.csip.mimi.arpa. CSIPKEY rrset, RRSIG key 53877',
        'mapping  personal: verified',
        'mapping  (undecodable record): cbor-trailing: trailing bytes',
        'result   found  1021 ms',
        '',
      ].join('\n'),
    );
  });

  it('a bogus result shows its reason; no events draw nothing', () => {
    const text = formatTrace(
      [{ event: 'result', status: 'bogus', reason: 'bad-signature: RRSIG does not verify', ms: 7 }],
      PLAIN,
    );
    expect(text).toBe('result  bogus bad-signature: RRSIG does not verify  7 ms\n');
    expect(formatTrace([], PLAIN)).toBe('');
  });

  it('colours verified steps green and failures red, only with colour on', () => {
    const text = formatTrace(WALK, palette(true));
    expect(text).toContain('\x1b[32mverified\x1b[39m');
    expect(text).toContain('\x1b[31mfailed: timeout\x1b[39m');
    expect(text).toContain('\x1b[31mcbor-trailing: trailing bytes\x1b[39m');
    expect(formatTrace(WALK, PLAIN)).not.toContain('\x1b[');
  });

  it('through a relay: each query names the relay hop and its token; ODoH configs their source', () => {
    const RELAY = 'https://127.0.0.1:9443/proxy';
    const ROOT_BY_NAME = { url: 'https://root.nic.mimi.arpa:8443/dns-query', host: 'root.nic.mimi.arpa' };
    const events: TraceEvent[] = [
      { event: 'trust-anchor', zone: 'mimi.arpa.', keyTags: [25614] },
      {
        event: 'query',
        zone: 'mimi.arpa.',
        qname: 'mimi.arpa.',
        qtype: 'NS',
        server: ROOT,
        outcome: 'answer',
        ms: 2,
      },
      {
        event: 'odoh-config',
        host: 'root.nic.mimi.arpa',
        keyId: '1a2b3c4d',
        source: 'direct',
        refreshed: false,
      },
      {
        event: 'query',
        zone: 'mimi.arpa.',
        qname: '4.4.e164.mimi.arpa.',
        qtype: 'NS',
        server: ROOT_BY_NAME,
        outcome: 'referral',
        ms: 6,
        relay: RELAY,
        token: '0000002a',
      },
      {
        event: 'odoh-config',
        host: 'tel.nic.mimi.arpa',
        keyId: '99aabbcc',
        source: 'relay',
        refreshed: true,
      },
      {
        event: 'query',
        zone: '4.4.e164.mimi.arpa.',
        qname: QNAME,
        qtype: 'MSPMAP',
        server: TEL_A,
        outcome: 'answer',
        ms: 4,
        relay: RELAY,
        token: '0000002b',
      },
    ];
    expect(formatTrace(events, PLAIN)).toBe(
      [
        'zone mimi.arpa.',
        '  anchor  trust anchor, key tags 25614',
        '  query   mimi.arpa. NS @https://127.0.0.1:8443/dns-query -> answer  2 ms',
        '  odoh    root.nic.mimi.arpa key 1a2b3c4d, from _odoh.root.nic.mimi.arpa. asked directly (root bootstrap)',
        `  query   4.4.e164.mimi.arpa. NS @https://root.nic.mimi.arpa:8443/dns-query via ${RELAY} token 0000002a -> referral  6 ms`,
        '  odoh    tel.nic.mimi.arpa key 99aabbcc, from _odoh.tel.nic.mimi.arpa. via the relay, fetched again after http 401',
        'zone 4.4.e164.mimi.arpa.',
        `  query  ${QNAME} MSPMAP @tel.nic.mimi.arpa https://127.0.0.1:8444/dns-query via ${RELAY} token 0000002b -> answer  4 ms`,
        '',
      ].join('\n'),
    );
  });

  it('names a server by its URL alone when the host is the URL host', () => {
    expect(serverText(ROOT)).toBe('https://127.0.0.1:8443/dns-query');
    expect(serverText(TEL_A)).toBe('tel.nic.mimi.arpa https://127.0.0.1:8444/dns-query');
  });
});
