/**
 * The pure lookup (RFC 1034 §4.3.2; RFC 4035 §3.1.4.1 for DS at a cut): one table of
 * (qname, qtype) → outcome over a root zone with delegations and a served child.
 */
import { aCodec, CLASS_IN, type RRset, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { assembleZones, type LookupResult, lookup } from '../src/index.js';
import { source } from './fixtures.js';

const ZERO_DS = '1 15 2 0000000000000000000000000000000000000000000000000000000000000000';
const ROOT = `$ORIGIN mimi.arpa.
$TTL 3600
@        IN SOA root.nic hostmaster 1 7200 3600 1209600 300
         IN NS  root.nic
root.nic IN A   127.0.0.1
tel.nic  IN A   127.0.0.2
tel.nic  IN AAAA ::2
_dns.tel.nic IN SVCB 1 tel.nic alpn=h2 port=443 dohpath=/dns-query{?dns}
csip     IN NS  root.nic
csip     IN DS  ${ZERO_DS}
4.4.e164 IN NS  tel.nic
4.4.e164 IN DS  ${ZERO_DS}
example.com.email IN NS ns1.example.com.email
ns1.example.com.email IN A 192.0.2.1
`;
const CSIP = `$ORIGIN csip.mimi.arpa.
$TTL 3600
@ IN SOA root.nic.mimi.arpa. hostmaster.mimi.arpa. 1 7200 3600 1209600 300
  IN NS  root.nic.mimi.arpa.
`;
const CHILD = `$ORIGIN 4.4.e164.mimi.arpa.
$TTL 3600
@ IN SOA tel.nic.mimi.arpa. hostmaster.mimi.arpa. 1 7200 3600 1209600 300
  IN NS  tel.nic.mimi.arpa.
`;

const rootDp = assembleZones([source('root', ROOT), source('csip', CSIP)], 'mimi.arpa.');
const childDp = assembleZones([source('child', CHILD)], 'mimi.arpa.');

const MAPPED = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
const mspmap: RRset = {
  name: MAPPED,
  type: RRType.MSPMAP,
  class: CLASS_IN,
  ttl: 300,
  rdatas: [Uint8Array.of(0xa0)],
};
const dynamicCalls: string[] = [];
const dynamic = (_zone: unknown, name: string) => {
  dynamicCalls.push(name);
  return name === MAPPED ? [mspmap] : [];
};

/** A short text form of an outcome, for the table. */
function describeResult(result: LookupResult): string {
  switch (result.kind) {
    case 'answer':
      return `answer ${result.zone.apex} ${result.rrset.name} ${result.rrset.type}`;
    case 'referral': {
      const extra = result.additional.map(
        (a) => `${a.rrset.name}/${a.rrset.type}${a.authoritative ? '' : '(glue)'}`,
      );
      return `referral ${result.cut} ds=${result.ds !== undefined} [${extra.join(' ')}]`;
    }
    case 'nodata':
      return `nodata ${result.zone.apex} ${result.name} [${result.types.join(',')}]`;
    case 'missing':
      return `missing ${result.zone.apex} ${result.name} csi=${result.inCsiSubtree}`;
    case 'refused':
      return `refused ${result.name}`;
  }
}

const ROOT_TABLE: [string, number, string][] = [
  ['mimi.arpa.', RRType.SOA, 'answer mimi.arpa. mimi.arpa. 6'],
  ['mimi.arpa.', RRType.ANY, 'answer mimi.arpa. mimi.arpa. 2'],
  ['root.nic.mimi.arpa.', RRType.A, 'answer mimi.arpa. root.nic.mimi.arpa. 1'],
  ['_dns.tel.nic.mimi.arpa.', RRType.SVCB, 'answer mimi.arpa. _dns.tel.nic.mimi.arpa. 64'],
  ['root.nic.mimi.arpa.', RRType.AAAA, 'nodata mimi.arpa. root.nic.mimi.arpa. [1]'],
  ['tel.nic.mimi.arpa.', RRType.TXT, 'nodata mimi.arpa. tel.nic.mimi.arpa. [1,28]'],
  ['nic.mimi.arpa.', RRType.A, 'nodata mimi.arpa. nic.mimi.arpa. []'],
  ['e164.mimi.arpa.', RRType.MSPMAP, 'nodata mimi.arpa. e164.mimi.arpa. []'],
  ['missing.nic.mimi.arpa.', RRType.A, 'missing mimi.arpa. missing.nic.mimi.arpa. csi=false'],
  ['3.3.e164.mimi.arpa.', RRType.MSPMAP, 'missing mimi.arpa. 3.3.e164.mimi.arpa. csi=true'],
  [
    'h.example.org.email.mimi.arpa.',
    RRType.MSPMAP,
    'missing mimi.arpa. h.example.org.email.mimi.arpa. csi=true',
  ],
  [
    MAPPED,
    RRType.MSPMAP,
    'referral 4.4.e164.mimi.arpa. ds=true [tel.nic.mimi.arpa./1 tel.nic.mimi.arpa./28 _dns.tel.nic.mimi.arpa./64]',
  ],
  [
    '4.4.e164.mimi.arpa.',
    RRType.NS,
    'referral 4.4.e164.mimi.arpa. ds=true [tel.nic.mimi.arpa./1 tel.nic.mimi.arpa./28 _dns.tel.nic.mimi.arpa./64]',
  ],
  [
    '4.4.e164.mimi.arpa.',
    RRType.SOA,
    'referral 4.4.e164.mimi.arpa. ds=true [tel.nic.mimi.arpa./1 tel.nic.mimi.arpa./28 _dns.tel.nic.mimi.arpa./64]',
  ],
  ['4.4.e164.mimi.arpa.', RRType.DS, 'answer mimi.arpa. 4.4.e164.mimi.arpa. 43'],
  [
    'x.4.4.e164.mimi.arpa.',
    RRType.DS,
    'referral 4.4.e164.mimi.arpa. ds=true [tel.nic.mimi.arpa./1 tel.nic.mimi.arpa./28 _dns.tel.nic.mimi.arpa./64]',
  ],
  ['example.com.email.mimi.arpa.', RRType.DS, 'nodata mimi.arpa. example.com.email.mimi.arpa. [2]'],
  [
    'abc.example.com.email.mimi.arpa.',
    RRType.MSPMAP,
    'referral example.com.email.mimi.arpa. ds=false [ns1.example.com.email.mimi.arpa./1(glue)]',
  ],
  [
    'ns1.example.com.email.mimi.arpa.',
    RRType.A,
    'referral example.com.email.mimi.arpa. ds=false [ns1.example.com.email.mimi.arpa./1(glue)]',
  ],
  ['csip.mimi.arpa.', RRType.DS, 'answer mimi.arpa. csip.mimi.arpa. 43'],
  ['csip.mimi.arpa.', RRType.SOA, 'answer csip.mimi.arpa. csip.mimi.arpa. 6'],
  ['csip.mimi.arpa.', RRType.NS, 'answer csip.mimi.arpa. csip.mimi.arpa. 2'],
  [
    'uk-carrier.csip.mimi.arpa.',
    RRType.CSIPKEY,
    'missing csip.mimi.arpa. uk-carrier.csip.mimi.arpa. csi=false',
  ],
  ['example.org.', RRType.A, 'refused example.org.'],
  ['arpa.', RRType.NS, 'refused arpa.'],
  ['.', RRType.NS, 'refused .'],
];

describe('lookup at a root DP (apex + csip zone)', () => {
  it.each(ROOT_TABLE)('%s type %i → %s', (qname, qtype, expected) => {
    expect(describeResult(lookup(rootDp, qname, qtype))).toBe(expected);
  });

  it('refers with authoritative additional data, not glue, when our zone holds it', () => {
    const result = lookup(rootDp, '4.4.e164.mimi.arpa.', RRType.NS);
    if (result.kind !== 'referral') throw new Error('expected a referral');
    const tel = result.additional.find((a) => a.rrset.type === RRType.A)!;
    expect(aCodec.decode(tel.rrset.rdatas[0]!)).toBe('127.0.0.2');
    expect(tel.zone.apex).toBe('mimi.arpa.');
  });
});

const CHILD_TABLE: [string, number, string][] = [
  [MAPPED, RRType.MSPMAP, `answer 4.4.e164.mimi.arpa. ${MAPPED} 65280`],
  [MAPPED, RRType.A, `nodata 4.4.e164.mimi.arpa. ${MAPPED} [65280]`],
  [
    '2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
    RRType.MSPMAP,
    'missing 4.4.e164.mimi.arpa. 2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa. csi=true',
  ],
  [
    '9.9.9.4.4.e164.mimi.arpa.',
    RRType.MSPMAP,
    'missing 4.4.e164.mimi.arpa. 9.9.9.4.4.e164.mimi.arpa. csi=true',
  ],
  ['4.4.e164.mimi.arpa.', RRType.DS, 'nodata 4.4.e164.mimi.arpa. 4.4.e164.mimi.arpa. [2,6]'],
  ['4.4.e164.mimi.arpa.', RRType.SOA, 'answer 4.4.e164.mimi.arpa. 4.4.e164.mimi.arpa. 6'],
  ['1.e164.mimi.arpa.', RRType.MSPMAP, 'refused 1.e164.mimi.arpa.'],
];

describe('lookup at an authoritative DP with mapping data', () => {
  it.each(CHILD_TABLE)('%s type %i → %s', (qname, qtype, expected) => {
    expect(describeResult(lookup(childDp, qname, qtype, dynamic))).toBe(expected);
  });

  it('asks the store only for names inside a CSI subtree', () => {
    dynamicCalls.length = 0;
    lookup(rootDp, 'root.nic.mimi.arpa.', RRType.A, dynamic);
    lookup(rootDp, '3.3.e164.mimi.arpa.', RRType.A, dynamic);
    lookup(rootDp, `x.${MAPPED}`, RRType.A, dynamic); // below a cut: a referral, no store
    expect(dynamicCalls).toEqual(['3.3.e164.mimi.arpa.']);
  });
});
