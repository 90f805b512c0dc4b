// RFC 4034 §6.2–§6.3 canonical RR form and order, with RFC 6840 §5.1's correction.
import { nameToWire, nsecCodec, RRType, rrsigCodec, WireFormatError } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  canonicalOwnerWire,
  canonicalRdata,
  canonicalRdataSet,
  canonicalRrsetWire,
  compareOctets,
} from '../src/index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const wire = (name: string) => nameToWire(name);
const cat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('canonicalRdata (RFC 4034 §6.2 item 3, RFC 6840 §5.1)', () => {
  const cases: [string, number, Uint8Array, Uint8Array][] = [
    ['NS', RRType.NS, wire('NS1.Example.'), wire('ns1.example.')],
    ['CNAME', RRType.CNAME, wire('WWW.Example.'), wire('www.example.')],
    [
      'MX after its preference',
      RRType.MX,
      cat([0, 10], wire('Mail.EXAMPLE.')),
      cat([0, 10], wire('mail.example.')),
    ],
    [
      'SOA, both names, not the counters',
      RRType.SOA,
      cat(
        wire('NS.X.'),
        wire('Host.X.'),
        [0x41, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x5a],
      ),
      cat(
        wire('ns.x.'),
        wire('host.x.'),
        [0x41, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x5a],
      ),
    ],
    [
      'NAPTR: the replacement, not the strings',
      RRType.NAPTR,
      cat([0, 1, 0, 2], [1, 0x55], [3, 0x45, 0x32, 0x55], [0], wire('Sip.X.')),
      cat([0, 1, 0, 2], [1, 0x55], [3, 0x45, 0x32, 0x55], [0], wire('sip.x.')),
    ],
    [
      'SRV after priority, weight, port',
      33,
      cat([0, 1, 0, 2, 0, 3], wire('A.B.')),
      cat([0, 1, 0, 2, 0, 3], wire('a.b.')),
    ],
    [
      'A6 with a prefix name',
      38,
      cat([64], new Uint8Array(8).fill(0x41), wire('P.X.')),
      cat([64], new Uint8Array(8).fill(0x41), wire('p.x.')),
    ],
    ['A6 without one', 38, cat([0], new Uint8Array(16).fill(0x41)), cat([0], new Uint8Array(16).fill(0x41))],
    [
      'RRSIG: the signer name, not the signature',
      RRType.RRSIG,
      cat(new Uint8Array(18), wire('Example.'), [0x41]),
      cat(new Uint8Array(18), wire('example.'), [0x41]),
    ],
    [
      'NSEC: next name NOT lowercased (RFC 6840 §5.1)',
      RRType.NSEC,
      cat(wire('Host.Example.'), [0, 1, 0x40]),
      cat(wire('Host.Example.'), [0, 1, 0x40]),
    ],
    ['TXT: not a name', RRType.TXT, Uint8Array.of(2, 0x41, 0x42), Uint8Array.of(2, 0x41, 0x42)],
    [
      'SVCB: defined after RFC 3597, never downcased',
      RRType.SVCB,
      cat([0, 1], wire('Svc.X.')),
      cat([0, 1], wire('Svc.X.')),
    ],
    ['MSPMAP (private type)', RRType.MSPMAP, Uint8Array.of(0x41), Uint8Array.of(0x41)],
  ];

  it.each(cases)('%s', (_name, type, input, expected) => {
    const before = hex(input);
    expect(hex(canonicalRdata(type, input))).toBe(hex(expected));
    expect(hex(input)).toBe(before); // a copy, never the caller's bytes
  });

  it.each([
    ['MX without its name', RRType.MX, Uint8Array.of(0, 10)],
    ['SRV cut short', 33, Uint8Array.of(0, 1)],
    ['NAPTR string past the end', RRType.NAPTR, Uint8Array.of(0, 1, 0, 2, 9, 0x41)],
    ['A6 prefix length over 128', 38, Uint8Array.of(129)],
    ['NS with a compression pointer', RRType.NS, Uint8Array.of(0xc0, 0x0c)],
  ])('refuses malformed RDATA: %s', (_name, type, rdata) => {
    expect(() => canonicalRdata(type, rdata)).toThrow(WireFormatError);
  });
});

describe('canonical order (RFC 4034 §6.3)', () => {
  it('compares as unsigned octets; absence sorts before zero', () => {
    expect(compareOctets(Uint8Array.of(1), Uint8Array.of(1, 0))).toBeLessThan(0);
    expect(compareOctets(Uint8Array.of(0xff), Uint8Array.of(1, 0))).toBeGreaterThan(0);
    expect(compareOctets(Uint8Array.of(2, 3), Uint8Array.of(2, 3))).toBe(0);
  });

  it('sorts by canonical RDATA and removes duplicates, case-insensitively for names', () => {
    const set = canonicalRdataSet(RRType.NS, [wire('b.x.'), wire('A.x.'), wire('a.X.'), wire('c.x.')]);
    expect(set.map(hex)).toEqual([wire('a.x.'), wire('b.x.'), wire('c.x.')].map(hex));
  });

  it('keeps NSEC RDATA that differ only in case distinct (their names are not lowercased)', () => {
    const upper = nsecCodec.encode({ nextName: 'A.x.', types: [1] });
    const lower = nsecCodec.encode({ nextName: 'a.x.', types: [1] });
    expect(canonicalRdataSet(RRType.NSEC, [lower, upper])).toHaveLength(2);
  });

  it('lays out owner | type | class | ttl | rdlength | rdata per RR', () => {
    const out = canonicalRrsetWire(wire('x.'), RRType.A, 1, 300, [
      Uint8Array.of(10, 0, 0, 2),
      Uint8Array.of(10, 0, 0, 1),
    ]);
    expect(hex(out)).toBe(
      `017800 0001 0001 0000012c 0004 0a000001 017800 0001 0001 0000012c 0004 0a000002`.replace(/ /g, ''),
    );
  });
});

describe('canonicalOwnerWire (RFC 4034 §3.1.8.1)', () => {
  it('lowercases the owner', () => {
    expect(hex(canonicalOwnerWire('WWW.Example.'))).toBe(hex(wire('www.example.')));
  });

  it('rebuilds the wildcard owner when Labels is smaller than the label count', () => {
    expect(hex(canonicalOwnerWire('a.b.Example.', 2))).toBe(hex(wire('*.b.example.')));
    expect(hex(canonicalOwnerWire('a.b.example.', 3))).toBe(hex(wire('a.b.example.')));
  });

  it('signs RRSIG rdata names lowercase too (the signer name)', () => {
    const rdata = rrsigCodec.encode({
      typeCovered: 1,
      algorithm: 15,
      labels: 1,
      originalTtl: 1,
      expiration: 2,
      inception: 1,
      keyTag: 1,
      signerName: 'EXAMPLE.',
      signature: Uint8Array.of(1),
    });
    expect(rrsigCodec.decode(canonicalRdata(RRType.RRSIG, rdata)).signerName).toBe('example.');
  });
});
