// Trust anchors in master-file form (DESIGN §9, unbound's trust-anchor-file).
import { describe, expect, it } from 'vitest';
import { dnskeyLine, dsLine, parseTrustAnchor, trustAnchorOf } from '../src/index.js';
import { KEY, OTHER_KEY, thrown, ZONE } from './fixtures.js';

describe('parseTrustAnchor', () => {
  it('reads DS and DNSKEY lines for one zone, with or without TTL and class', () => {
    const b64 = Buffer.from(KEY.dnskey.publicKey).toString('base64');
    const text = [
      `; the apex key`,
      dsLine(KEY, 3600),
      `${ZONE} IN DS ${dsLine(OTHER_KEY, 1).split(' IN DS ')[1]}`,
      `EXAMPLE.test. DNSKEY 257 3 15 ${b64} ; comment`,
      '',
    ].join('\n');
    expect(parseTrustAnchor(text)).toEqual({ zone: ZONE, ds: [KEY.ds, OTHER_KEY.ds], dnskeys: [KEY.dnskey] });
  });

  it('joins parenthesised lines (RFC 1035 §5.1)', () => {
    const [head, digest] = [dsLine(KEY, 60).slice(0, -64), dsLine(KEY, 60).slice(-64)];
    const text = `${head}( ${digest.slice(0, 30)} ; half\n  ${digest.slice(30)} )\n`;
    expect(parseTrustAnchor(text).ds).toEqual([KEY.ds]);
    expect(parseTrustAnchor(dnskeyLine(KEY, 60)).dnskeys).toEqual([KEY.dnskey]);
  });

  it('round-trips trustAnchorOf through dsLine', () => {
    expect(parseTrustAnchor(dsLine(KEY, 3600))).toEqual({ ...trustAnchorOf(KEY), dnskeys: [] });
  });

  it.each([
    ['', /no ds or dnskey record/],
    [`${ZONE} 3600 IN A 192.0.2.1`, /line 1: expected ds or dnskey, got 'A'/],
    [`${ZONE} 3600 IN DS 1 15 2 abcd`, /line 1: ds digest of type 2 must be 32 octets/],
    [
      `${dsLine(KEY, 1)}\n${dsLine({ ...KEY, zone: 'other.' }, 1)}`,
      /line 2: anchors for two zones \(example\.test\. and other\.\)/,
    ],
    [`${ZONE} DS ( 1 15 2`, /ends inside '\('/],
    [`${ZONE} DS ) 1`, /line 1: unbalanced '\)'/],
    [`bad..name. DS 1 15 2 ${'00'.repeat(32)}`, /line 1: empty label/],
  ])('refuses %j', (text, message) => {
    const err = thrown(() => parseTrustAnchor(text));
    expect(err.code).toBe('trust-anchor');
    expect(err.message).toMatch(message);
  });
});
