// RFC 4035 §5: the chain of trust as a whole (validateChain) over the signed test
// hierarchy mimi.arpa. → e164.mimi.arpa. → 4.4.e164.mimi.arpa.
import { dsCodec, RRType, rrsigCodec } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  buildSignedHierarchy,
  dsLine,
  nodataNsec,
  parseTrustAnchor,
  signRrset,
  testZoneKey,
  validateChain,
  type ZoneLink,
} from '../src/index.js';
import { NOW, txt } from './fixtures.js';
import { hierarchy, LEAF_NAME, leaf, mid, reasonOf, root } from './hierarchy-fixture.js';

describe('the test hierarchy', () => {
  it('is three zones, each delegated with NS + DS from the one above', () => {
    expect(hierarchy.zones.map((z) => z.name)).toEqual([
      'mimi.arpa.',
      'e164.mimi.arpa.',
      '4.4.e164.mimi.arpa.',
    ]);
    expect(dsCodec.decode(hierarchy.rrset('e164.mimi.arpa.', RRType.DS).records[0]!.rdata)).toEqual(
      mid.key.ds,
    );
    expect(root.records.some((r) => r.type === RRType.NS && r.name === 'e164.mimi.arpa.')).toBe(true);
    expect(hierarchy.anchorText).toBe(`${dsLine(root.key, 3600)}\n`);
    expect(parseTrustAnchor(hierarchy.anchorText)).toEqual({
      zone: 'mimi.arpa.',
      ds: [root.key.ds],
      dnskeys: [],
    });
  });

  it('uses deterministic keys', () => {
    expect(testZoneKey('mimi.arpa.').keyTag).toBe(root.key.keyTag);
    expect(buildSignedHierarchy({ now: NOW }).zones[2]!.key.keyTag).toBe(leaf.key.keyTag);
  });

  it('does not sign the delegation NS or the glue in the parent (RFC 4035 §2.2)', () => {
    const covered = root.records
      .filter((r) => r.type === RRType.RRSIG && r.name === 'e164.mimi.arpa.')
      .map((r) => rrsigCodec.decode(r.rdata).typeCovered);
    expect(covered).toEqual([RRType.DS]);
    expect(root.records.some((r) => r.type === RRType.RRSIG && r.name === 'ns1.e164.mimi.arpa.')).toBe(false);
  });
});

describe('validateChain', () => {
  const target = { kind: 'rrset' as const, ...hierarchy.rrset(LEAF_NAME, RRType.TXT) };

  it('secure from the anchor down to an RRset in the leaf, with a trail', () => {
    const result = validateChain({
      anchor: hierarchy.anchor,
      zones: hierarchy.chain('4.4.e164.mimi.arpa.'),
      target,
      now: NOW,
    });
    expect(result).toMatchObject({ status: 'secure', keyTag: leaf.key.keyTag });
    expect(result.status === 'secure' && result.trail).toEqual([
      { zone: 'mimi.arpa.', keyTags: [root.key.keyTag] },
      { zone: 'e164.mimi.arpa.', keyTags: [mid.key.keyTag] },
      { zone: '4.4.e164.mimi.arpa.', keyTags: [leaf.key.keyTag] },
    ]);
  });

  it('secure for a denial, inside the CSI subtree read as NODATA', () => {
    const missing = '9.9.9.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
    const denial = {
      kind: 'denial' as const,
      qname: missing,
      qtype: RRType.MSPMAP,
      ...hierarchy.deny(missing, RRType.MSPMAP, { insideCsiSubtree: true }),
    };
    expect(
      validateChain({
        anchor: hierarchy.anchor,
        zones: hierarchy.chain('4.4.e164.mimi.arpa.'),
        target: denial,
        now: NOW,
      }),
    ).toMatchObject({
      status: 'secure',
      denial: 'nodata',
    });
    const nodata = {
      kind: 'denial' as const,
      qname: LEAF_NAME,
      qtype: RRType.MSPMAP,
      ...hierarchy.deny(LEAF_NAME, RRType.MSPMAP),
    };
    expect(
      validateChain({
        anchor: hierarchy.anchor,
        zones: hierarchy.chain('4.4.e164.mimi.arpa.'),
        target: nodata,
        now: NOW,
      }),
    ).toMatchObject({
      status: 'secure',
      denial: 'nodata',
      types: [RRType.TXT, RRType.RRSIG, RRType.NSEC],
    });
  });

  it('accepts a DNSKEY trust anchor as well as a DS one', () => {
    const anchor = parseTrustAnchor(
      `mimi.arpa. IN DNSKEY 257 3 15 ${Buffer.from(root.key.dnskey.publicKey).toString('base64')}`,
    );
    expect(
      validateChain({ anchor, zones: hierarchy.chain('4.4.e164.mimi.arpa.'), target, now: NOW }).status,
    ).toBe('secure');
  });

  it('insecure when a delegation is provably unsigned', () => {
    const links = hierarchy.chain('4.4.e164.mimi.arpa.');
    const nsec = nodataNsec('4.4.e164.mimi.arpa.', [RRType.NS], 300);
    const unsigned: ZoneLink = {
      ...links[2]!,
      delegation: { records: [nsec], rrsigs: [signRrset([nsec], mid.key, hierarchy.window)] },
    };
    expect(
      validateChain({ anchor: hierarchy.anchor, zones: [links[0]!, links[1]!, unsigned], target, now: NOW })
        .status,
    ).toBe('insecure');
  });

  const links = () => hierarchy.chain('4.4.e164.mimi.arpa.');
  it.each<[string, () => Parameters<typeof validateChain>[0], string, string]>([
    [
      'a wrong trust anchor',
      () => ({ anchor: { zone: 'mimi.arpa.', ds: [{ ...mid.key.ds }] }, zones: links(), target, now: NOW }),
      'ds-mismatch',
      'mimi.arpa.',
    ],
    [
      'an anchor for another zone',
      () => ({ anchor: { ...hierarchy.anchor, zone: 'arpa.' }, zones: links(), target, now: NOW }),
      'anchor-zone-mismatch',
      'arpa.',
    ],
    [
      'no zones at all',
      () => ({ anchor: hierarchy.anchor, zones: [], target, now: NOW }),
      'anchor-zone-mismatch',
      'mimi.arpa.',
    ],
    [
      'zones out of order',
      () => ({ anchor: hierarchy.anchor, zones: [links()[0]!, links()[2]!, links()[1]!], target, now: NOW }),
      'signer-mismatch',
      'mimi.arpa.',
    ],
    [
      'a zone that is not below the previous one',
      () => ({
        anchor: hierarchy.anchor,
        zones: [links()[0]!, links()[1]!, { ...links()[2]!, zone: 'other.mimi.arpa.' }],
        target,
        now: NOW,
      }),
      'chain-order',
      'e164.mimi.arpa.',
    ],
    [
      'a missing delegation proof',
      () => ({
        anchor: hierarchy.anchor,
        zones: [links()[0]!, { zone: links()[1]!.zone, dnskey: links()[1]!.dnskey }],
        target,
        now: NOW,
      }),
      'no-ds-proof',
      'mimi.arpa.',
    ],
    [
      'a DS RRset stripped of its RRSIG in the middle',
      () => ({
        anchor: hierarchy.anchor,
        zones: [
          links()[0]!,
          { ...links()[1]!, delegation: { records: links()[1]!.delegation!.records, rrsigs: [] } },
          links()[2]!,
        ],
        target,
        now: NOW,
      }),
      'no-rrsig',
      'mimi.arpa.',
    ],
    [
      'a target signed by the parent instead of the leaf',
      () => ({
        anchor: hierarchy.anchor,
        zones: links(),
        target: {
          kind: 'rrset',
          records: target.records,
          rrsigs: [signRrset(target.records, mid.key, hierarchy.window)],
        },
        now: NOW,
      }),
      'signer-mismatch',
      '4.4.e164.mimi.arpa.',
    ],
    [
      'a target with a changed record',
      () => ({
        anchor: hierarchy.anchor,
        zones: links(),
        target: { ...target, records: [txt(LEAF_NAME, 'forged')] },
        now: NOW,
      }),
      'bad-signature',
      '4.4.e164.mimi.arpa.',
    ],
    [
      'everything expired',
      () => ({ anchor: hierarchy.anchor, zones: links(), target, now: hierarchy.window.expiration + 1 }),
      'signature-expired',
      'mimi.arpa.',
    ],
    [
      'a denial that lists the qtype',
      () => ({
        anchor: hierarchy.anchor,
        zones: links(),
        target: {
          kind: 'denial',
          qname: LEAF_NAME,
          qtype: RRType.TXT,
          ...hierarchy.deny(LEAF_NAME, RRType.TXT),
        },
        now: NOW,
      }),
      'denial-type-present',
      '4.4.e164.mimi.arpa.',
    ],
  ])('bogus: %s', (_name, query, code, zone) => {
    expect(reasonOf(validateChain(query()))).toMatchObject({ code, zone });
  });
});
