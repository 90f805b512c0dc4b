/**
 * Verification rules (DESIGN §4 "Verification rules") on objects made here from fixed
 * seeds, with an injected `now`: time windows on both sides of each boundary, CSIP key
 * rollover and selection, bindings, signatures across kinds, epoch selection.
 */
import type { KeyObject } from 'node:crypto';
import { privateKeyFromSeed, publicKeyOf, sha256, signEd25519 } from '@mimi/crypto';
import { describe, expect, it } from 'vitest';
import { ObjectError } from '../src/errors.js';
import { cborOf } from '../src/objects/codec.js';
import {
  type Attestation,
  type CsipKeyRecord,
  csiInScope,
  encodeCsipKeyRecord,
  type Mapping,
  selectHighestEpoch,
  signAttestation,
  signingInput,
  signMapping,
  signRemoval,
  signUnassignment,
  type UnsignedMapping,
  unassignmentRemoves,
  verifyAttestation,
  verifyMapping,
  verifyRemoval,
  verifyUnassignment,
} from '../src/objects/index.js';

const key = (text: string): KeyObject => privateKeyFromSeed(sha256(new TextEncoder().encode(text)));
const csip = key('verify csip');
const csipNext = key('verify csip next');
const alice = key('verify alice');
const mallory = key('verify mallory');

const NOW = 1767315600;
const IAT = 1767225600;
const EXP = 1798761600;

const csipRecord = (over: Partial<CsipKeyRecord> = {}): CsipKeyRecord => ({
  v: 1,
  id: 'uk-carrier',
  pk: publicKeyOf(csip),
  scope: ['+44'],
  exp: EXP,
  ...over,
});

function attestation(over: Partial<Attestation> = {}, signer = csip): Attestation {
  const { sig: _sig, ...rest } = {
    v: 1 as const,
    csi: '+447700900123',
    rk: publicKeyOf(alice),
    csip: 'uk-carrier',
    epoch: 1,
    iat: IAT,
    exp: EXP,
    ...over,
  };
  return signAttestation(rest, signer).object;
}

function mapping(over: Partial<UnsignedMapping> = {}, signer = alice): Mapping {
  return signMapping(
    {
      v: 1,
      csi: '+447700900123',
      id: 'personal',
      serial: 1,
      iat: IAT,
      exp: EXP,
      msps: [{ msp: 'signal.example', pri: 10, tags: [] }],
      att: attestation(),
      ...over,
    },
    signer,
  ).object;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ObjectError) return err.code;
    throw err;
  }
  return 'accepted';
}

const keys = [csipRecord()];

describe('time windows', () => {
  it.each([
    ['mapping iat = now + 300', { iat: NOW + 300 }, {}, 'accepted'],
    ['mapping iat = now + 301', { iat: NOW + 301 }, {}, 'expired'],
    ['mapping exp = now + 1', { exp: NOW + 1 }, {}, 'accepted'],
    ['mapping exp = now', { exp: NOW }, {}, 'expired'],
    ['attestation iat = now + 300', {}, { iat: NOW + 300 }, 'accepted'],
    ['attestation iat = now + 301', {}, { iat: NOW + 301 }, 'expired'],
    ['attestation exp = now + 1', {}, { exp: NOW + 1 }, 'accepted'],
    ['attestation exp = now', {}, { exp: NOW }, 'expired'],
  ])('%s → %s', (_, mappingOver, attOver, expected) => {
    const m = mapping({ ...mappingOver, att: attestation(attOver) });
    expect(codeOf(() => verifyMapping(m, { now: NOW, csipKeys: keys }))).toBe(expected);
  });

  it('reports the earlier expiry of mapping and attestation', () => {
    const m = mapping({ exp: NOW + 50, att: attestation({ exp: NOW + 90 }) });
    expect(verifyMapping(m, { now: NOW, csipKeys: keys }).expires).toBe(NOW + 50);
    const n = mapping({ exp: NOW + 90, att: attestation({ exp: NOW + 50 }) });
    expect(verifyMapping(n, { now: NOW, csipKeys: keys }).expires).toBe(NOW + 50);
  });

  it('checks only iat on removals and unassignments', () => {
    const removal = (iat: number) =>
      signRemoval({ v: 1, csi: '+447700900123', rk: publicKeyOf(alice), all: true, serial: 5, iat }, alice)
        .object;
    expect(codeOf(() => verifyRemoval(removal(NOW + 300), { now: NOW }))).toBe('accepted');
    expect(codeOf(() => verifyRemoval(removal(NOW + 301), { now: NOW }))).toBe('expired');
    expect(codeOf(() => verifyRemoval(removal(0), { now: NOW }))).toBe('accepted');
    const unassignment = (iat: number) =>
      signUnassignment({ v: 1, csi: '+447700900123', csip: 'uk-carrier', epoch: 2, iat }, csip).object;
    expect(codeOf(() => verifyUnassignment(unassignment(NOW + 300), { now: NOW, csipKeys: keys }))).toBe(
      'accepted',
    );
    expect(codeOf(() => verifyUnassignment(unassignment(NOW + 301), { now: NOW, csipKeys: keys }))).toBe(
      'expired',
    );
  });
});

describe('CSIP keys', () => {
  const next = csipRecord({ pk: publicKeyOf(csipNext) });
  const smallOrder = csipRecord({ pk: new Uint8Array(32).fill(0).map((_, i) => (i === 0 ? 1 : 0)) });

  it.each<[string, (CsipKeyRecord | Uint8Array)[], string]>([
    ['the signing key alone', [csipRecord()], 'accepted'],
    ['rollover: a new key listed first', [next, csipRecord()], 'accepted'],
    ['the signing key expired, another live', [csipRecord({ exp: NOW }), next], 'signature'],
    ['the signing key as RDATA bytes', [encodeCsipKeyRecord(csipRecord())], 'accepted'],
    ['a malformed record beside the good one', [Uint8Array.from([0xa0]), csipRecord()], 'accepted'],
    ['only a malformed record', [Uint8Array.from([0xa0])], 'csip-key-unknown'],
    ['no record of that id', [csipRecord({ id: 'other' })], 'csip-key-unknown'],
    ['no record at all', [], 'csip-key-unknown'],
    ['a record out of scope', [csipRecord({ scope: ['+33'] })], 'scope'],
    ['in scope by a longer prefix', [csipRecord({ scope: ['+4477'] })], 'accepted'],
    ['out of scope by a longer prefix', [csipRecord({ scope: ['+4478'] })], 'scope'],
    ['the signing key expired at now', [csipRecord({ exp: NOW })], 'csip-key-expired'],
    ['the signing key expires after now', [csipRecord({ exp: NOW + 1 })], 'accepted'],
    ['only a small-order key', [smallOrder], 'key-small-order'],
    ['a small-order key beside the good one', [smallOrder, csipRecord()], 'accepted'],
    ['another CSIP key of the same id', [next], 'signature'],
  ])('%s → %s', (_, csipKeys, expected) => {
    expect(codeOf(() => verifyAttestation(attestation(), { now: NOW, csipKeys }))).toBe(expected);
  });

  it('returns the record that verified', () => {
    const result = verifyAttestation(attestation({}, csipNext), { now: NOW, csipKeys: [csipRecord(), next] });
    expect(result.csipKey).toEqual(next);
  });

  it.each([
    ['+447700900123', ['+44'], true],
    ['+447700900123', ['+4'], true],
    ['+447700900123', ['+447700900123'], true],
    ['+447700900123', ['+33', '+44'], true],
    ['+447700900123', ['+33'], false],
    ['+447700900123', ['44'], false],
    ['alice@example.com', ['example.com'], true],
    ['alice@mail.example.com', ['example.com'], false],
    ['alice@example.com', ['+44', 'com'], false],
  ])('csiInScope(%s, %j) → %s', (csi, scope, expected) => {
    expect(csiInScope(csi, scope)).toBe(expected);
  });
});

describe('bindings and signatures', () => {
  it.each([
    ['the same CSI in another form', { expectCsi: 'tel:+44 7700 900123' }, 'accepted'],
    ['another CSI', { expectCsi: '+447700900124' }, 'csi-mismatch'],
    ['an expected CSI that is not one', { expectCsi: 'nonsense' }, 'csi-mismatch'],
    ['its owner name, any case', { ownerName: '3.2.1.0.0.9.0.0.7.7.4.4.E164.MIMI.ARPA' }, 'accepted'],
    ['a sibling owner name', { ownerName: '4.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.' }, 'csi-mismatch'],
    [
      'its owner name under another apex',
      { ownerName: '3.2.1.0.0.9.0.0.7.7.4.4.e164.test.', apex: 'test.' },
      'accepted',
    ],
  ])('mapping checked against %s → %s', (_, options, expected) => {
    expect(codeOf(() => verifyMapping(mapping(), { now: NOW, csipKeys: keys, ...options }))).toBe(expected);
  });

  it('refuses a mapping signed by another key than att.rk', () => {
    expect(codeOf(() => verifyMapping(mapping({}, mallory), { now: NOW, csipKeys: keys }))).toBe('signature');
  });

  it('refuses an attestation whose CSI differs from the mapping', () => {
    const m = mapping({ att: attestation({ csi: '+447700900124' }) });
    expect(codeOf(() => verifyMapping(m, { now: NOW, csipKeys: keys }))).toBe('csi-mismatch');
  });

  it('refuses a signature made under another kind over the same bytes', () => {
    const good = mapping();
    const { sig: _sig, ...unsigned } = good;
    const asRemoval = signingInput('removal', cborOf('mapping', unsigned));
    expect(asRemoval.subarray(0, 26)).toEqual(new TextEncoder().encode('mimi-discovery/v1 removal\0'));
    const asMapping = signingInput('mapping', cborOf('mapping', unsigned));
    expect(signEd25519(alice, asMapping)).toEqual(good.sig);
    const wrongContext = { ...good, sig: signEd25519(alice, asRemoval) };
    expect(codeOf(() => verifyMapping(wrongContext, { now: NOW, csipKeys: keys }))).toBe('signature');
  });

  it('refuses a removal signed by a key other than its rk', () => {
    const removal = signRemoval(
      { v: 1, csi: '+447700900123', rk: publicKeyOf(alice), ids: ['personal'], serial: 2, iat: IAT },
      mallory,
    ).object;
    expect(codeOf(() => verifyRemoval(removal, { now: NOW }))).toBe('signature');
    expect(codeOf(() => verifyRemoval(removal, { now: NOW, expectCsi: '+447700900124' }))).toBe(
      'csi-mismatch',
    );
  });

  it('refuses an unassignment outside the CSIP scope', () => {
    const u = signUnassignment(
      { v: 1, csi: '+33123456789', csip: 'uk-carrier', epoch: 2, iat: IAT },
      csip,
    ).object;
    expect(codeOf(() => verifyUnassignment(u, { now: NOW, csipKeys: keys }))).toBe('scope');
  });
});

describe('epochs', () => {
  const at = (epoch: number, id: string) => mapping({ id, att: attestation({ epoch }) });

  it('keeps only the mappings of the highest attestation epoch, in order', () => {
    const set = [at(1, 'a'), at(3, 'b'), at(2, 'c'), at(3, 'd')];
    expect(selectHighestEpoch(set).map((m) => m.id)).toEqual(['b', 'd']);
    expect(selectHighestEpoch([])).toEqual([]);
    expect(selectHighestEpoch([at(1, 'a'), at(1, 'b')]).map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('works on verified mappings too', () => {
    const verified = [at(1, 'a'), at(2, 'b')].map((m) => verifyMapping(m, { now: NOW, csipKeys: keys }));
    expect(selectHighestEpoch(verified).map((v) => v.mapping.id)).toEqual(['b']);
  });

  it('an unassignment of epoch N removes epochs below N of its CSI only', () => {
    const u = (epoch: number, csi = '+447700900123') =>
      signUnassignment({ v: 1, csi, csip: 'uk-carrier', epoch, iat: IAT }, csip).object;
    expect(unassignmentRemoves(u(2), at(1, 'a'))).toBe(true);
    expect(unassignmentRemoves(u(2), at(2, 'a'))).toBe(false);
    expect(unassignmentRemoves(u(2), at(3, 'a'))).toBe(false);
    expect(unassignmentRemoves(u(9, '+447700900124'), at(1, 'a'))).toBe(false);
  });
});
