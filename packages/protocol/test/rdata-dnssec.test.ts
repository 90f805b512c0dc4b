// DNSSEC RDATA codecs (RFC 4034 §2–§5, RFC 8080, RFC 9824): value ↔ wire ↔ text,
// both ways, and every malformed input refused with a precise WireFormatError code.
import { describe, expect, it } from 'vitest';
import { type RdataCodec, WireFormatError } from '../src/index.js';
import { type Dnskey, dnskeyCodec } from '../src/wire/rdata/dnskey.js';
import { type Ds, dsCodec } from '../src/wire/rdata/ds.js';
import { type Nsec, nsecCodec } from '../src/wire/rdata/nsec.js';
import { formatRrsigTime, parseRrsigTime, type Rrsig, rrsigCodec } from '../src/wire/rdata/rrsig.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const b64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));
const fields = (text: string) => text.split(/\s+/).filter(Boolean);

function expectCode(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WireFormatError);
    expect((err as WireFormatError).code).toBe(code);
    if (message) expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected WireFormatError ${code}`);
}

interface Case<T> {
  name: string;
  value: T;
  wire: string;
  text: string;
}

function bothWays<T>(codec: RdataCodec<T>, cases: Case<T>[], origin = '.'): void {
  describe.each(cases)('$name', ({ value, wire, text }) => {
    it('value → wire', () => expect(toHex(codec.encode(value))).toBe(wire.replace(/\s+/g, '')));
    it('wire → value', () => expect(codec.decode(hex(wire))).toEqual(value));
    it('value → text', () => expect(codec.toText(value)).toBe(text));
    it('text → value', () => expect(codec.fromText(fields(text), origin)).toEqual(value));
    it('round trip wire → text → wire', () => {
      expect(toHex(codec.encode(codec.fromText(fields(codec.toText(codec.decode(hex(wire)))), origin)))).toBe(
        wire.replace(/\s+/g, ''),
      );
    });
  });
}

const RFC8080_KEY = 'l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=';
const RFC4034_KEY =
  'AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==';

describe('DNSKEY (RFC 4034 §2)', () => {
  bothWays<Dnskey>(dnskeyCodec, [
    {
      name: 'RFC 8080 §6.1 Ed25519 KSK',
      value: { flags: 257, protocol: 3, algorithm: 15, publicKey: b64(RFC8080_KEY) },
      wire: `0101 03 0f ${toHex(b64(RFC8080_KEY))}`,
      text: `257 3 15 ${RFC8080_KEY}`,
    },
    {
      name: 'RFC 4034 §5.4 RSA/SHA-1 ZSK',
      value: { flags: 256, protocol: 3, algorithm: 5, publicKey: b64(RFC4034_KEY) },
      wire: `0100 03 05 ${toHex(b64(RFC4034_KEY))}`,
      text: `256 3 5 ${RFC4034_KEY}`,
    },
    {
      name: 'a protocol other than 3 is kept (a validation matter, RFC 4034 §2.1.2)',
      value: { flags: 0, protocol: 255, algorithm: 253, publicKey: Uint8Array.of(1) },
      wire: '0000 ff fd 01',
      text: '0 255 253 AQ==',
    },
  ]);

  it('reads algorithm mnemonics and base64 split across fields (RFC 4034 §2.2)', () => {
    const half = RFC8080_KEY.length / 2;
    const value = dnskeyCodec.fromText(
      ['256', '3', 'ed25519', RFC8080_KEY.slice(0, half), RFC8080_KEY.slice(half)],
      '.',
    );
    expect(value).toEqual({ flags: 256, protocol: 3, algorithm: 15, publicKey: b64(RFC8080_KEY) });
    expect(dnskeyCodec.fromText(fields(`257 3 ECDSAP256SHA256 ${RFC8080_KEY}`), '.').algorithm).toBe(13);
  });

  it.each([
    ['0101 03', 'truncated', /dnskey algorithm/],
    ['0101 03 0f', 'dnskey-empty-key', /no public key/],
    ['', 'truncated', /dnskey flags/],
  ])('refuses wire %s (%s)', (wire, code, message) =>
    expectCode(() => dnskeyCodec.decode(hex(wire)), code, message),
  );

  it.each([
    ['257 3 15', 'field-count'],
    [`65536 3 15 ${RFC8080_KEY}`, 'value-out-of-range'],
    [`257 3 FOO ${RFC8080_KEY}`, 'unknown-algorithm'],
    [`257 3 256 ${RFC8080_KEY}`, 'value-out-of-range'],
    ['257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4', 'bad-base64'],
    ['257 3 15 ====', 'bad-base64'],
    [`-1 3 15 ${RFC8080_KEY}`, 'bad-number'],
  ])('refuses text %s (%s)', (text, code) => expectCode(() => dnskeyCodec.fromText(fields(text), '.'), code));

  it('refuses to encode an out-of-range field or an empty key', () => {
    expectCode(
      () => dnskeyCodec.encode({ flags: 70000, protocol: 3, algorithm: 15, publicKey: Uint8Array.of(1) }),
      'value-out-of-range',
      /flags/,
    );
    expectCode(
      () => dnskeyCodec.encode({ flags: 257, protocol: 3, algorithm: 15, publicKey: new Uint8Array() }),
      'dnskey-empty-key',
    );
  });
});

const RFC8080_DS = '3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b';

describe('DS (RFC 4034 §5, RFC 4509)', () => {
  bothWays<Ds>(dsCodec, [
    {
      name: 'RFC 8080 §6.1 SHA-256',
      value: { keyTag: 3613, algorithm: 15, digestType: 2, digest: hex(RFC8080_DS) },
      wire: `0e1d 0f 02 ${RFC8080_DS}`,
      text: `3613 15 2 ${RFC8080_DS}`,
    },
    {
      name: 'RFC 4034 §5.4 SHA-1',
      value: {
        keyTag: 60485,
        algorithm: 5,
        digestType: 1,
        digest: hex('2bb183af5f22588179a53b0a98631fad1a292118'),
      },
      wire: 'ec45 05 01 2bb183af5f22588179a53b0a98631fad1a292118',
      text: '60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118',
    },
    {
      name: 'an unregistered digest type of any length',
      value: { keyTag: 0, algorithm: 255, digestType: 200, digest: hex('abcdef') },
      wire: '0000 ff c8 abcdef',
      text: '0 255 200 abcdef',
    },
  ]);

  it('reads hex split by whitespace and in upper case (RFC 4034 §5.3)', () => {
    expect(
      dsCodec.fromText(fields('60485 5 1 2BB183AF5F22588179A53B0A 98631FAD1A292118'), '.').digest,
    ).toEqual(hex('2bb183af5f22588179a53b0a98631fad1a292118'));
  });

  it.each([
    [`0e1d 0f 02 ${RFC8080_DS.slice(2)}`, 'ds-digest-length', /type 2 must be 32 octets, got 31/],
    ['0e1d 0f 01 00', 'ds-digest-length', /type 1 must be 20/],
    ['0e1d 0f 02', 'ds-empty-digest'],
    ['0e1d 0f', 'truncated'],
  ])('refuses wire %s (%s)', (wire, code, message?) =>
    expectCode(() => dsCodec.decode(hex(wire)), code, message),
  );

  it.each([
    [`3613 15 2 ${RFC8080_DS}00`, 'ds-digest-length'],
    ['3613 15 2 abc', 'bad-hex'],
    ['3613 15 2 zz', 'bad-hex'],
    ['3613 15 2', 'field-count'],
    [`65536 15 2 ${RFC8080_DS}`, 'value-out-of-range'],
  ])('refuses text %s (%s)', (text, code) => expectCode(() => dsCodec.fromText(fields(text), '.'), code));
});

const RFC8080_SIG =
  'oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==';
const EXAMPLE_COM = '076578616d706c6503636f6d00';

describe('RRSIG (RFC 4034 §3)', () => {
  bothWays<Rrsig>(
    rrsigCodec,
    [
      {
        name: 'RFC 8080 §6.1 (erratum 4935) MX signature',
        value: {
          typeCovered: 15,
          algorithm: 15,
          labels: 2,
          originalTtl: 3600,
          expiration: 1440021600,
          inception: 1438207200,
          keyTag: 3613,
          signerName: 'example.com.',
          signature: b64(RFC8080_SIG),
        },
        wire: `000f 0f 02 00000e10 55d4fc60 55b94ce0 0e1d ${EXAMPLE_COM} ${toHex(b64(RFC8080_SIG))}`,
        text: `MX 15 2 3600 20150819220000 20150729220000 3613 example.com. ${RFC8080_SIG}`,
      },
      {
        name: 'a private type, the 32-bit time limits, signer case kept',
        value: {
          typeCovered: 65280,
          algorithm: 15,
          labels: 0,
          originalTtl: 0xffffffff,
          expiration: 0xffffffff,
          inception: 0,
          keyTag: 65535,
          signerName: 'Mimi.ARPA.',
          signature: Uint8Array.of(0xff),
        },
        wire: 'ff00 0f 00 ffffffff ffffffff 00000000 ffff 044d696d690441525041 00 ff',
        text: 'MSPMAP 15 0 4294967295 21060207062815 19700101000000 65535 Mimi.ARPA. /w==',
      },
    ],
    'example.com.',
  );

  it('reads times as decimal seconds too, and relative signer names (RFC 4034 §3.2)', () => {
    const decimal = rrsigCodec.fromText(
      fields(`MX 15 2 3600 1440021600 1438207200 3613 @ ${RFC8080_SIG}`),
      'example.com.',
    );
    const dated = rrsigCodec.fromText(
      fields(`MX 15 2 3600 20150819220000 20150729220000 3613 example ${RFC8080_SIG}`),
      'com.',
    );
    expect(decimal).toEqual(dated);
    expect(decimal.signerName).toBe('example.com.');
  });

  it.each([
    ['20150229000000', 'bad-time'],
    ['20151301000000', 'bad-time'],
    ['20150101240000', 'bad-time'],
    ['21060207062816', 'value-out-of-range'],
    ['19691231235959', 'value-out-of-range'],
    ['4294967296', 'value-out-of-range'],
    ['2015-08-19', 'bad-number'],
  ])('refuses the time %s (%s)', (time, code) =>
    expectCode(() => parseRrsigTime(time, 'rrsig expiration'), code),
  );

  it('formats the time limits and refuses what a 32-bit field cannot hold', () => {
    expect(formatRrsigTime(0)).toBe('19700101000000');
    expect(parseRrsigTime('21060207062815', 't')).toBe(0xffffffff);
    expectCode(() => formatRrsigTime(2 ** 32), 'value-out-of-range');
  });

  it.each([
    ['000f 0f 02 00000e10 55d4fc60 55b94ce0', 'truncated', /rrsig key tag/],
    [`000f 0f 02 00000e10 55d4fc60 55b94ce0 0e1d ${EXAMPLE_COM}`, 'rrsig-empty-signature'],
    ['000f 0f 02 00000e10 55d4fc60 55b94ce0 0e1d c00c ff', 'name-compressed'],
    ['000f 0f 02 00000e10 55d4fc60 55b94ce0 0e1d 07657861', 'name-truncated'],
  ])('refuses wire %s (%s)', (wire, code, message?) =>
    expectCode(() => rrsigCodec.decode(hex(wire)), code, message),
  );

  it.each([
    [`FOO 15 2 3600 1 0 3613 example.com. ${RFC8080_SIG}`, 'unknown-type'],
    ['MX 15 2 3600 1 0 3613 example.com.', 'field-count'],
    [`MX 15 256 3600 1 0 3613 example.com. ${RFC8080_SIG}`, 'value-out-of-range'],
    [`MX 15 2 3600 1 0 3613 example..com. ${RFC8080_SIG}`, 'name-empty-label'],
    ['MX 15 2 3600 1 0 3613 example.com. %%%%', 'bad-base64'],
  ])('refuses text %s (%s)', (text, code) => expectCode(() => rrsigCodec.fromText(fields(text), '.'), code));
});

// RFC 4034 §4.3: "alfa.example.com. 86400 IN NSEC host.example.com. ( A MX RRSIG NSEC TYPE1234 )".
const RFC4034_NSEC_WIRE = `04686f7374 076578616d706c65 03636f6d 00
  0006 4001000000 03
  041b ${'00'.repeat(26)}20`;

describe('NSEC (RFC 4034 §4)', () => {
  bothWays<Nsec>(nsecCodec, [
    {
      name: 'RFC 4034 §4.3 example',
      value: { nextName: 'host.example.com.', types: [1, 15, 46, 47, 1234] },
      wire: RFC4034_NSEC_WIRE,
      text: 'host.example.com. A MX RRSIG NSEC TYPE1234',
    },
    {
      name: 'RFC 9824 §3.1 compact denial of a missing name',
      value: { nextName: '\\000.a.example.com.', types: [46, 47, 128] },
      wire: `0100 0161 ${EXAMPLE_COM} 0011 0000000000 03 ${'00'.repeat(10)} 80`,
      text: '\\000.a.example.com. RRSIG NSEC NXNAME',
    },
    {
      name: 'a private type in window 255 (MSPMAP)',
      value: { nextName: '\\000.example.com.', types: [46, 47, 65280] },
      wire: `0100 ${EXAMPLE_COM} 0006 0000000000 03 ff01 80`,
      text: '\\000.example.com. RRSIG NSEC MSPMAP',
    },
    {
      name: 'an empty bitmap',
      value: { nextName: '.', types: [] },
      wire: '00',
      text: '.',
    },
  ]);

  it('sorts and de-duplicates types on encode and in text', () => {
    const value = { nextName: 'a.', types: [47, 1, 47, 46, 1] };
    expect(nsecCodec.decode(nsecCodec.encode(value)).types).toEqual([1, 46, 47]);
    expect(nsecCodec.toText(value)).toBe('a. A RRSIG NSEC');
    expect(nsecCodec.fromText(['a.', 'NSEC', 'A', 'TYPE1', 'RRSIG'], '.').types).toEqual([1, 46, 47]);
  });

  it('keeps the case of the next name (RFC 6840 §5.1) and resolves it against the origin', () => {
    expect(nsecCodec.decode(nsecCodec.encode({ nextName: 'Host.Example.', types: [1] })).nextName).toBe(
      'Host.Example.',
    );
    expect(nsecCodec.fromText(['host', 'A'], 'example.com.').nextName).toBe('host.example.com.');
  });

  it('round-trips random type sets (fixed seed)', () => {
    let seed = 0x9e3779b9;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    for (let round = 0; round < 300; round++) {
      const types = Array.from({ length: 1 + (random() % 40) }, () =>
        random() % 4 === 0 ? random() & 0xffff : random() % 300,
      );
      const expected = [...new Set(types)].sort((a, b) => a - b);
      const value = nsecCodec.decode(nsecCodec.encode({ nextName: 'x.', types }));
      expect(value.types).toEqual(expected);
      expect(nsecCodec.fromText(fields(nsecCodec.toText(value)), '.').types).toEqual(expected);
    }
  });

  it.each([
    ['00 0101 40 0001 40', 'nsec-bitmap-order', /window 0 follows window 1/],
    ['00 0001 40 0001 40', 'nsec-bitmap-order', /window 0 follows window 0/],
    ['00 0000', 'nsec-bitmap-length', /length 0/],
    [`00 0021 ${'ff'.repeat(33)}`, 'nsec-bitmap-length', /length 33/],
    ['00 0002 4000', 'nsec-bitmap-padding', /ends in a zero octet/],
    ['00 0003 40', 'truncated', /nsec bitmap/],
    ['00 00', 'truncated', /nsec bitmap length/],
    ['0361', 'name-truncated'],
  ])('refuses wire %s (%s)', (wire, code, message?) =>
    expectCode(() => nsecCodec.decode(hex(wire)), code, message),
  );

  it('refuses bad text and out-of-range types', () => {
    expectCode(() => nsecCodec.fromText(['a.', 'BOGUS'], '.'), 'unknown-type', /bogus/i);
    expectCode(() => nsecCodec.fromText([], '.'), 'field-count');
    expectCode(
      () => nsecCodec.encode({ nextName: 'a.', types: [65536] }),
      'value-out-of-range',
      /nsec bitmap type/,
    );
    expectCode(() => nsecCodec.encode({ nextName: 'a.', types: [-1] }), 'value-out-of-range');
  });
});
