/**
 * The signed objects the key and attestation tools build (DESIGN §4), checked by
 * @mimi/protocol's own decoders and verifiers: attestations against the CSIP key record,
 * mappings against the attestation's recipient key, removals and unassignments; plus
 * what the builders refuse before signing.
 */
import { toBase64Url } from '@mimi/crypto';
import {
  type CsipKeyRecord,
  decodeAttestation,
  decodeMapping,
  decodeRemoval,
  decodeUnassignment,
  verifyAttestation,
  verifyMapping,
  verifyRemoval,
  verifyUnassignment,
} from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { buildAttestation, parseRecipientKey } from '../src/objects/attestation.js';
import { buildMapping } from '../src/objects/mapping.js';
import { objectLine, parseAttestationText } from '../src/objects/object-text.js';
import { buildRemoval, buildUnassignment } from '../src/objects/removal.js';
import { CSIP, RECIPIENT, STRANGER } from './helpers/keys.js';
import { FIXED_NOW } from './helpers/memory-io.js';

const CSI = '+447700900123';
const DAY = 86_400;
const CSIP_RECORD: CsipKeyRecord = {
  v: 1,
  id: 'uk-carrier',
  pk: CSIP.pub,
  scope: ['+44'],
  exp: FIXED_NOW + 730 * DAY,
};

function attestation(overrides: { days?: number; epoch?: number; now?: number } = {}) {
  return buildAttestation({
    csipKey: CSIP.key,
    csipId: 'uk-carrier',
    csi: CSI,
    recipientKey: RECIPIENT.pub,
    epoch: overrides.epoch ?? 1,
    days: overrides.days ?? 365,
    now: overrides.now ?? FIXED_NOW,
  });
}

function cliError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('attestation', () => {
  it('is the DESIGN §4 object, and verifies under the CSIP key record', () => {
    const signed = attestation({ epoch: 2, days: 30 });
    const decoded = decodeAttestation(signed.bytes);
    expect(decoded).toMatchObject({
      v: 1,
      csi: CSI,
      csip: 'uk-carrier',
      epoch: 2,
      iat: FIXED_NOW,
      exp: FIXED_NOW + 30 * DAY,
    });
    expect(decoded.rk).toEqual(RECIPIENT.pub);
    const verified = verifyAttestation(signed.bytes, {
      now: FIXED_NOW + 1,
      csipKeys: [CSIP_RECORD],
      expectCsi: CSI,
    });
    expect(verified.csipKey.id).toBe('uk-carrier');
  });

  it('does not verify under another key', () => {
    const other = { ...CSIP_RECORD, pk: STRANGER.pub };
    expect(() => verifyAttestation(attestation().bytes, { now: FIXED_NOW, csipKeys: [other] })).toThrow(
      /signature/,
    );
  });

  it('round-trips through its file form: one line of unpadded base64url', () => {
    const signed = attestation();
    const line = objectLine(signed.bytes);
    expect(line).toMatch(/^[A-Za-z0-9_-]+\n$/);
    expect(parseAttestationText(line, 'a.att')).toEqual(signed.object);
    expect(parseAttestationText(`  ${line}\n\n`, 'a.att')).toEqual(signed.object);
  });

  it.each([
    ['', 'a.att: must hold exactly one line of base64url'],
    ['abc\ndef\n', 'a.att: must hold exactly one line of base64url'],
    ['abc=\n', 'a.att: not unpadded base64url'],
    ['aGVsbG8\n', 'a.att: not an attestation'],
  ])('an attestation file %j is refused', (text, message) => {
    const err = cliError(() => parseAttestationText(text, 'a.att'));
    expect(err.code).toBe('attestation-file');
    expect(err.message).toContain(message);
  });

  it('a mapping is not taken for an attestation', () => {
    const mapping = buildMapping({
      key: RECIPIENT.key,
      attestation: attestation().object,
      id: 'personal',
      msps: [],
      sameMspOnly: false,
      isNew: false,
      days: 90,
      serial: 1,
      now: FIXED_NOW,
    });
    expect(cliError(() => parseAttestationText(objectLine(mapping.bytes), 'm.att')).message).toMatch(
      /^m\.att: not an attestation \(schema-/,
    );
  });

  it('recipient keys: base64url or base64, checked under the Ed25519 profile', () => {
    expect(parseRecipientKey(toBase64Url(RECIPIENT.pub))).toEqual(RECIPIENT.pub);
    expect(parseRecipientKey(Buffer.from(RECIPIENT.pub).toString('base64'))).toEqual(RECIPIENT.pub);
    // The identity point (small order) and a non-canonical encoding (y = p).
    const identity = toBase64Url(Uint8Array.from([1, ...new Array(31).fill(0)]));
    const nonCanonical = toBase64Url(
      Uint8Array.from([...new Array(31).fill(0xff).map((_, i) => (i === 0 ? 0xed : 0xff)), 0x7f]),
    );
    for (const [text, code] of [
      [identity, 'key-small-order'],
      [nonCanonical, 'key-noncanonical'],
      ['short', 'encoding'],
      [toBase64Url(new Uint8Array(31)), 'encoding'],
    ] as const) {
      const err = cliError(() => parseRecipientKey(text));
      expect(err.code).toBe('bad-option');
      expect(err.details.reason).toBe(code);
      expect(err.message).toMatch(/^--recipient-pub refused: /);
    }
  });
});

describe('mapping', () => {
  const request = {
    key: RECIPIENT.key,
    id: 'personal',
    msps: [
      { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
      { msp: 'wire.example', pri: 20, tags: ['Business'] },
    ],
    sameMspOnly: false,
    isNew: false,
    days: 90,
    serial: 1_767_225_600_000,
    now: FIXED_NOW,
  };

  it('is signed by the attested recipient key and verifies end to end', () => {
    const signed = buildMapping({ ...request, attestation: attestation().object });
    const decoded = decodeMapping(signed.bytes);
    expect(decoded).toMatchObject({
      v: 1,
      csi: CSI,
      id: 'personal',
      serial: 1_767_225_600_000,
      iat: FIXED_NOW,
      exp: FIXED_NOW + 90 * DAY,
      msps: request.msps,
    });
    expect(decoded).not.toHaveProperty('new');
    expect(decoded).not.toHaveProperty('policy');
    const verified = verifyMapping(signed.bytes, {
      now: FIXED_NOW + 10,
      csipKeys: [CSIP_RECORD],
      expectCsi: CSI,
      ownerName: '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
    });
    expect(verified.expires).toBe(FIXED_NOW + 90 * DAY);
  });

  it('--new and --same-msp-only set `new` and `policy` (present only when true)', () => {
    const signed = buildMapping({
      ...request,
      attestation: attestation().object,
      isNew: true,
      sameMspOnly: true,
    });
    const decoded = decodeMapping(signed.bytes);
    expect(decoded.new).toBe(true);
    expect(decoded.policy).toEqual({ sameMspOnly: true });
  });

  it('--opt-out: an empty MSP set is a valid mapping', () => {
    const signed = buildMapping({ ...request, msps: [], attestation: attestation().object });
    expect(decodeMapping(signed.bytes).msps).toEqual([]);
  });

  it('"a mapping dies with its attestation": expires is the earlier exp', () => {
    const signed = buildMapping({ ...request, attestation: attestation({ days: 30 }).object });
    const verified = verifyMapping(signed.bytes, { now: FIXED_NOW, csipKeys: [CSIP_RECORD] });
    expect(verified.expires).toBe(FIXED_NOW + 30 * DAY);
  });

  it('refuses a key that is not the attested recipient key', () => {
    const err = cliError(() =>
      buildMapping({ ...request, key: STRANGER.key, attestation: attestation().object }),
    );
    expect(err.code).toBe('key-mismatch');
    expect(err.message).toBe("--key is not the recipient key the attestation for '+447700900123' names");
  });

  it('refuses an expired attestation', () => {
    const att = attestation({ days: 1, now: FIXED_NOW - 2 * DAY }).object;
    const err = cliError(() => buildMapping({ ...request, attestation: att }));
    expect(err.code).toBe('attestation-expired');
    expect(err.message).toBe("the attestation for '+447700900123' expired at 2025-12-31T00:00:00.000Z");
  });
});

describe('removal and unassignment', () => {
  it('a removal of ids, signed by the recipient, verifies', () => {
    const signed = buildRemoval({
      key: RECIPIENT.key,
      csi: CSI,
      target: { ids: ['work', 'personal'] },
      serial: 9,
      now: FIXED_NOW,
    });
    const decoded = decodeRemoval(signed.bytes);
    expect(decoded).toMatchObject({ v: 1, csi: CSI, ids: ['work', 'personal'], serial: 9, iat: FIXED_NOW });
    expect(decoded).not.toHaveProperty('all');
    expect(decoded.rk).toEqual(RECIPIENT.pub);
    expect(verifyRemoval(signed.bytes, { now: FIXED_NOW, expectCsi: CSI }).serial).toBe(9);
  });

  it('a removal of all', () => {
    const signed = buildRemoval({
      key: RECIPIENT.key,
      csi: CSI,
      target: { all: true },
      serial: 10,
      now: FIXED_NOW,
    });
    const decoded = decodeRemoval(signed.bytes);
    expect(decoded.all).toBe(true);
    expect(decoded).not.toHaveProperty('ids');
    expect(() => verifyRemoval(signed.bytes, { now: FIXED_NOW })).not.toThrow();
  });

  it.each([
    [[], '--id given 0 times, must be 1-16'],
    [Array.from({ length: 17 }, (_, i) => `m${i}`), '--id given 17 times, must be 1-16'],
    [['work', 'work'], "--id 'work' given twice"],
  ])('removal ids %j are refused', (ids, message) => {
    const err = cliError(() =>
      buildRemoval({ key: RECIPIENT.key, csi: CSI, target: { ids }, serial: 1, now: FIXED_NOW }),
    );
    expect(err.message).toBe(message);
  });

  it('an unassignment, signed by the CSIP, verifies under its key record', () => {
    const signed = buildUnassignment({
      csipKey: CSIP.key,
      csipId: 'uk-carrier',
      csi: CSI,
      epoch: 2,
      now: FIXED_NOW,
    });
    expect(decodeUnassignment(signed.bytes)).toMatchObject({
      v: 1,
      csi: CSI,
      csip: 'uk-carrier',
      epoch: 2,
      iat: FIXED_NOW,
    });
    const verified = verifyUnassignment(signed.bytes, { now: FIXED_NOW, csipKeys: [CSIP_RECORD] });
    expect(verified.unassignment.epoch).toBe(2);
  });
});
