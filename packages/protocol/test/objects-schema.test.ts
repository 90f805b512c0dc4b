/**
 * The schema of each object (DESIGN §4 "Encoding, exactly"): limits on both sides of
 * every boundary, through the encoder (which refuses what a decoder would refuse) and
 * through hand-made CBOR the typed encoder cannot produce. Round trips throughout.
 */
import { privateKeyFromSeed, sha256 } from '@mimi/crypto';
import { encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { ObjectError } from '../src/errors.js';
import {
  type Attestation,
  type CsipKeyRecord,
  decodeObject,
  encodeObject,
  encodeUnsigned,
  type MspEntry,
  signAttestation,
  signMapping,
  signRemoval,
  type UnsignedMapping,
  type UnsignedRemoval,
} from '../src/objects/index.js';

const seed = (text: string) => sha256(new TextEncoder().encode(text));
const csipKey = privateKeyFromSeed(seed('schema csip'));
const recipientKey = privateKeyFromSeed(seed('schema recipient'));
const rk = new Uint8Array(32).fill(7);

const att: Attestation = signAttestation(
  { v: 1, csi: '+447700900123', rk, csip: 'uk-carrier', epoch: 1, iat: 1767225600, exp: 1798761600 },
  csipKey,
).object;

const baseMapping: UnsignedMapping = {
  v: 1,
  csi: '+447700900123',
  id: 'personal',
  serial: 1,
  iat: 1767225600,
  exp: 1798761600,
  msps: [{ msp: 'signal.example', pri: 10, tags: ['Personal'] }],
  att,
};

const baseRemoval: UnsignedRemoval = {
  v: 1,
  csi: '+447700900123',
  rk,
  ids: ['personal'],
  serial: 2,
  iat: 1767312000,
};

const baseKey: CsipKeyRecord = { v: 1, id: 'uk-carrier', pk: rk, scope: ['+44'], exp: 1798761600 };

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ObjectError) return err.code;
    throw err;
  }
  return 'accepted';
}

const msps = (count: number): MspEntry[] =>
  Array.from({ length: count }, (_, i) => ({ msp: `m${i}.example`, pri: i, tags: [] }));

describe('mapping limits', () => {
  it.each<[string, Partial<UnsignedMapping>, string]>([
    ['id of 1', { id: 'a' }, 'accepted'],
    ['id of 32', { id: 'a'.repeat(32) }, 'accepted'],
    ['id of 33', { id: 'a'.repeat(33) }, 'schema-limit'],
    ['empty id', { id: '' }, 'schema-limit'],
    ['id with _', { id: 'a_b' }, 'schema-limit'],
    ['serial 0', { serial: 0 }, 'accepted'],
    ['serial 2^53-1', { serial: Number.MAX_SAFE_INTEGER }, 'accepted'],
    ['serial 2^53', { serial: 2 ** 53 }, 'schema-limit'],
    ['serial -1', { serial: -1 }, 'schema-type'],
    ['serial 1.5', { serial: 1.5 }, 'schema-type'],
    ['no msps', { msps: [] }, 'accepted'],
    ['16 msps', { msps: msps(16) }, 'accepted'],
    ['17 msps', { msps: msps(17) }, 'schema-limit'],
    ['pri 65535', { msps: [{ msp: 'a.example', pri: 65535, tags: [] }] }, 'accepted'],
    ['pri 65536', { msps: [{ msp: 'a.example', pri: 65536, tags: [] }] }, 'schema-limit'],
    ['uppercase msp', { msps: [{ msp: 'Signal.example', pri: 1, tags: [] }] }, 'schema-limit'],
    ['msp with trailing dot', { msps: [{ msp: 'signal.example.', pri: 1, tags: [] }] }, 'schema-limit'],
    ['msp as u-label', { msps: [{ msp: 'bücher.example', pri: 1, tags: [] }] }, 'schema-limit'],
    ['msp as a-label', { msps: [{ msp: 'xn--bcher-kva.example', pri: 1, tags: [] }] }, 'accepted'],
    ['msp with a bad a-label', { msps: [{ msp: 'xn--zz.example', pri: 1, tags: [] }] }, 'schema-limit'],
    [
      'msp of 253',
      { msps: [{ msp: `${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(61), pri: 1, tags: [] }] },
      'accepted',
    ],
    [
      'msp of 254',
      { msps: [{ msp: `${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(62), pri: 1, tags: [] }] },
      'schema-limit',
    ],
    [
      'duplicate msp',
      {
        msps: [
          { msp: 'a.example', pri: 1, tags: [] },
          { msp: 'a.example', pri: 2, tags: [] },
        ],
      },
      'schema-duplicate',
    ],
    ['8 tags', { msps: [{ msp: 'a.example', pri: 1, tags: Array(8).fill('t') }] }, 'accepted'],
    ['9 tags', { msps: [{ msp: 'a.example', pri: 1, tags: Array(9).fill('t') }] }, 'schema-limit'],
    ['empty tag', { msps: [{ msp: 'a.example', pri: 1, tags: [''] }] }, 'schema-limit'],
    ['tag of 64 octets', { msps: [{ msp: 'a.example', pri: 1, tags: ['é'.repeat(32)] }] }, 'accepted'],
    [
      'tag of 65 octets',
      { msps: [{ msp: 'a.example', pri: 1, tags: [`${'é'.repeat(32)}x`] }] },
      'schema-limit',
    ],
    ['csi not normalized', { csi: '+44 7700 900123' }, 'csi-not-normalized'],
    ['csi over 320 octets', { csi: `${'a'.repeat(64)}@${'b'.repeat(257)}` }, 'schema-limit'],
    ['att epoch 0', { att: { ...att, epoch: 0 } }, 'schema-limit'],
    ['att csip id uppercase', { att: { ...att, csip: 'UK' } }, 'schema-limit'],
    ['att without sig', { att: { ...att, sig: undefined } as unknown as Attestation }, 'schema-missing-key'],
    ['att sig of 63', { att: { ...att, sig: att.sig.subarray(1) } }, 'schema-type'],
    ['missing exp', { exp: undefined }, 'schema-missing-key'],
    ['msps left out', { msps: undefined }, 'schema-missing-key'],
  ])('%s → %s', (_, change, expected) => {
    const mapping = { ...baseMapping, ...change } as UnsignedMapping;
    expect(codeOf(() => encodeUnsigned('mapping', mapping))).toBe(expected);
    if (expected === 'accepted') {
      const signed = signMapping(mapping, recipientKey);
      expect(decodeObject('mapping', signed.bytes)).toEqual(signed.object);
      expect(encodeObject('mapping', signed.object)).toEqual(signed.bytes);
    }
  });

  it('leaves out new and policy unless true, and keeps them when true', () => {
    const plain = encodeUnsigned('mapping', baseMapping);
    const loose = { ...baseMapping, new: false, policy: {} } as unknown as UnsignedMapping;
    expect(encodeUnsigned('mapping', loose)).toEqual(plain);
    const flagged = signMapping({ ...baseMapping, new: true, policy: { sameMspOnly: true } }, recipientKey);
    expect(decodeObject('mapping', flagged.bytes)).toMatchObject({
      new: true,
      policy: { sameMspOnly: true },
    });
  });

  it('keeps MSPs in the order signed', () => {
    const order = [
      { msp: 'z.example', pri: 1, tags: [] },
      { msp: 'a.example', pri: 0, tags: [] },
    ];
    const signed = signMapping({ ...baseMapping, msps: order }, recipientKey);
    expect(decodeObject('mapping', signed.bytes).msps.map((m) => m.msp)).toEqual(['z.example', 'a.example']);
  });

  it('refuses an object over 4,096 octets even within every per-field limit', () => {
    const big = Array.from({ length: 16 }, (_, i) => ({
      msp: `m${i}.example`,
      pri: i,
      tags: Array.from({ length: 8 }, (_, j) => `${j}`.padEnd(64, 'x')),
    }));
    expect(codeOf(() => encodeUnsigned('mapping', { ...baseMapping, msps: big }))).toBe('too-large');
  });
});

describe('removal, csip key and unassignment limits', () => {
  it.each<[string, Partial<UnsignedRemoval>, string]>([
    ['16 ids', { ids: Array.from({ length: 16 }, (_, i) => `id${i}`) }, 'accepted'],
    ['17 ids', { ids: Array.from({ length: 17 }, (_, i) => `id${i}`) }, 'schema-limit'],
    ['no ids', { ids: [] }, 'schema-limit'],
    ['duplicate ids', { ids: ['a', 'a'] }, 'schema-duplicate'],
    ['bad id', { ids: ['Work'] }, 'schema-limit'],
    ['ids and all', { all: true }, 'schema-exclusive'],
    ['neither', { ids: undefined }, 'schema-exclusive'],
    ['all alone', { ids: undefined, all: true }, 'accepted'],
    ['rk of 33', { rk: new Uint8Array(33) }, 'schema-type'],
  ])('removal: %s → %s', (_, change, expected) => {
    const removal = { ...baseRemoval, ...change } as UnsignedRemoval;
    expect(codeOf(() => encodeUnsigned('removal', removal))).toBe(expected);
    if (expected === 'accepted') {
      const signed = signRemoval(removal, recipientKey);
      expect(decodeObject('removal', signed.bytes)).toEqual(signed.object);
    }
  });

  it.each<[string, Partial<CsipKeyRecord>, string]>([
    ['+digits and a domain', { scope: ['+1', 'example.com'] }, 'accepted'],
    ['64 entries', { scope: Array.from({ length: 64 }, (_, i) => `+${i + 1}`) }, 'accepted'],
    ['65 entries', { scope: Array.from({ length: 65 }, (_, i) => `+${i + 1}`) }, 'schema-limit'],
    ['empty scope', { scope: [] }, 'schema-limit'],
    ['bare +', { scope: ['+'] }, 'schema-limit'],
    ['16 digits', { scope: ['+1234567890123456'] }, 'schema-limit'],
    ['digits without +', { scope: ['44'] }, 'schema-limit'],
    ['uppercase domain', { scope: ['Example.com'] }, 'schema-limit'],
    ['u-label domain', { scope: ['bücher.example'] }, 'schema-limit'],
    ['pk of 31', { pk: new Uint8Array(31) }, 'schema-type'],
    ['id of 33', { id: 'a'.repeat(33) }, 'schema-limit'],
  ])('csip key: %s → %s', (_, change, expected) => {
    const record = { ...baseKey, ...change } as CsipKeyRecord;
    expect(codeOf(() => encodeObject('csipkey', record))).toBe(expected);
    if (expected === 'accepted')
      expect(decodeObject('csipkey', encodeObject('csipkey', record))).toEqual(record);
  });

  it('unassignment epoch starts at 1', () => {
    const u = { v: 1 as const, csi: '+447700900123', csip: 'uk-carrier', epoch: 1, iat: 1 };
    expect(codeOf(() => encodeUnsigned('unassignment', u))).toBe('accepted');
    expect(codeOf(() => encodeUnsigned('unassignment', { ...u, epoch: 0 }))).toBe('schema-limit');
  });
});

describe('hand-made CBOR the typed encoder cannot produce', () => {
  const attPlain = {
    v: 1,
    csi: '+447700900123',
    rk,
    csip: 'uk-carrier',
    epoch: 1,
    iat: 1,
    exp: 2,
    sig: att.sig,
  };

  it.each<[string, unknown, string]>([
    ['valid', attPlain, 'accepted'],
    ['not a map', [1], 'schema-type'],
    ['missing v', { ...attPlain, v: undefined }, 'schema-missing-key'],
    ['v as text', { ...attPlain, v: '1' }, 'schema-type'],
    ['v 0', { ...attPlain, v: 0 }, 'version'],
    ['missing exp', { ...attPlain, exp: undefined }, 'schema-missing-key'],
    ['missing sig', { ...attPlain, sig: undefined }, 'schema-missing-key'],
    ['extra key', { ...attPlain, zz: 1 }, 'schema-unknown-key'],
    ['csi as bytes', { ...attPlain, csi: new Uint8Array(3) }, 'schema-type'],
    ['rk as text', { ...attPlain, rk: 'x'.repeat(32) }, 'schema-type'],
    ['epoch as bool', { ...attPlain, epoch: true }, 'schema-type'],
  ])('attestation %s → %s', (_, plain, expected) => {
    const bytes = encode(plain, { ignoreUndefinedProperties: true });
    expect(codeOf(() => decodeObject('attestation', bytes))).toBe(expected);
  });

  it.each<[string, unknown, string]>([
    ['msps entry not a map', { msps: ['a.example'] }, 'schema-type'],
    ['tag not text', { msps: [{ msp: 'a.example', pri: 1, tags: [1] }] }, 'schema-type'],
    ['msp entry missing tags', { msps: [{ msp: 'a.example', pri: 1 }] }, 'schema-missing-key'],
    ['att not a map', { att: 1 }, 'schema-type'],
    ['policy not a map', { policy: true }, 'schema-type'],
    ['sameMspOnly false', { policy: { sameMspOnly: false } }, 'schema-type'],
  ])('mapping %s → %s', (_, change, expected) => {
    const plain = {
      ...baseMapping,
      att: { ...att },
      msps: baseMapping.msps.map((m) => ({ ...m, tags: [...m.tags] })),
      sig: new Uint8Array(64),
      ...(change as object),
    };
    expect(codeOf(() => decodeObject('mapping', encode(plain)))).toBe(expected);
  });
});
