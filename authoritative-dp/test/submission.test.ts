/**
 * The checks before the store (DESIGN §4 "cheapest first"), without a network: the
 * request body, strict base64url, telling removals from unassignments, the zone check,
 * and the signature step with canned CSIP keys and a fixed clock.
 */
import { generateEd25519 } from '@mimi/crypto';
import { type CsipKeyRecord, encodeObject, signRemoval } from '@mimi/protocol';
import type { HttpError } from '@mimi/server-core';
import { describe, expect, it } from 'vitest';
import { successBody } from '../src/api/management-routes.js';
import { decodeObjectText, objectFromJson } from '../src/api/request-object.js';
import {
  checkServed,
  decodeSubmission,
  type SubmissionContext,
  verifySubmission,
} from '../src/api/submission.js';
import { attest, mapping, recipient, removal, unassignment } from './objects.js';

const NOW = 1_900_000_000;
const csip = { id: 'uk-carrier', ...generateEd25519() };
const csipRecord: CsipKeyRecord = {
  v: 1,
  id: 'uk-carrier',
  pk: csip.publicKey,
  scope: ['+44'],
  exp: NOW + 1000,
};

function context(overrides: Partial<SubmissionContext> = {}): SubmissionContext {
  return {
    now: NOW,
    apex: 'mimi.arpa.',
    isServed: (owner) => owner.endsWith('.4.4.e164.mimi.arpa.'),
    csipKeys: async (id) => (id === 'uk-carrier' ? [csipRecord] : []),
    ...overrides,
  };
}

function refusal(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (err) {
    const { status, code, message } = err as HttpError;
    return { status, code, message };
  }
  throw new TypeError('expected a refusal');
}

async function asyncRefusal(run: () => Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await run();
  } catch (err) {
    return { status: (err as HttpError).status, code: (err as HttpError).code };
  }
  throw new TypeError('expected a refusal');
}

describe('request body', () => {
  it('decodes strict unpadded base64url both ways', () => {
    const bytes = Uint8Array.from([0xa1, 0x61, 0x76, 0x01]);
    const text = Buffer.from(bytes).toString('base64url');
    expect(decodeObjectText(text)).toEqual(bytes);
    expect(objectFromJson({ object: text, later: 'ignored' })).toEqual(bytes);
  });

  it.each([
    ['', "'object' is not unpadded base64url"],
    ['oQ==', "'object' is not unpadded base64url"],
    ['o+E', "'object' is not unpadded base64url"],
    ['oQAAA', "'object' is not unpadded base64url"],
    ['oR', "'object' is not canonical base64url (nonzero trailing bits)"],
  ])('refuses %j as malformed', (text, message) => {
    expect(refusal(() => decodeObjectText(text))).toEqual({ status: 400, code: 'malformed', message });
  });

  it.each([[null], [[]], ['text'], [{}], [{ object: 7 }]])('refuses the json %j as malformed', (body) => {
    expect(refusal(() => objectFromJson(body))).toMatchObject({ status: 400, code: 'malformed' });
  });
});

describe('decodeSubmission', () => {
  const alice = recipient();
  const csi = '+447700900123';

  it('tells a removal from an unassignment by the object itself', () => {
    expect(decodeSubmission('removals', removal(alice, { csi })).kind).toBe('removal');
    expect(decodeSubmission('removals', unassignment(csip, { csi, epoch: 2 })).kind).toBe('unassignment');
    expect(
      decodeSubmission('mappings', mapping(alice, attest(csip, { csi, rk: alice.publicKey }))).kind,
    ).toBe('mapping');
  });

  it.each([
    ['a removal posted as a mapping', 'mappings', () => removal(alice, { csi })],
    [
      'a mapping posted as a removal',
      'removals',
      () => mapping(alice, attest(csip, { csi, rk: alice.publicKey })),
    ],
    ['trailing bytes', 'removals', () => Uint8Array.from([...removal(alice, { csi }), 0])],
    ['an object over 4,096 octets', 'removals', () => new Uint8Array(4097).fill(0xa0)],
    ['not a map', 'removals', () => Uint8Array.from([0x01])],
  ] as const)('refuses %s as malformed', (_what, endpoint, make) => {
    expect(refusal(() => decodeSubmission(endpoint, make()))).toMatchObject({
      status: 400,
      code: 'malformed',
    });
  });
});

describe('checkServed', () => {
  const alice = recipient();

  it('returns the owner name of a served csi', () => {
    const submission = decodeSubmission('removals', removal(alice, { csi: '+447700900123' }));
    expect(checkServed(submission, context())).toBe('3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.');
  });

  it('refuses another zone with 404 not-served-here, naming the csi', () => {
    const submission = decodeSubmission('removals', removal(alice, { csi: '+14155550100' }));
    expect(refusal(() => checkServed(submission, context()))).toEqual({
      status: 404,
      code: 'not-served-here',
      message: "csi '+14155550100' (0.0.1.0.5.5.5.5.1.4.1.e164.mimi.arpa.) is not in a zone served here",
    });
  });
});

describe('verifySubmission (fixed clock)', () => {
  const alice = recipient();
  const csi = '+447700900123';
  const att = attest(csip, { csi, rk: alice.publicKey, iat: NOW - 10, exp: NOW + 500 });
  const good = mapping(alice, att, { iat: NOW - 10, exp: NOW + 400 });

  it('accepts a good mapping, removal and unassignment', async () => {
    await verifySubmission(decodeSubmission('mappings', good), context());
    await verifySubmission(decodeSubmission('removals', removal(alice, { csi, iat: NOW })), context());
    await verifySubmission(
      decodeSubmission('removals', unassignment(csip, { csi, epoch: 2, iat: NOW })),
      context(),
    );
  });

  it.each([
    ['no csip key published', { csipKeys: async () => [] }, 'csip-key-unknown'],
    ['the csip key expired', { now: NOW + 1001 }, 'expired'],
    ['the mapping expired', { now: NOW + 400 }, 'expired'],
    ['a key outside the scope', { csipKeys: async () => [{ ...csipRecord, scope: ['+1'] }] }, 'out-of-scope'],
    [
      'another csip key',
      { csipKeys: async () => [{ ...csipRecord, pk: generateEd25519().publicKey }] },
      'bad-signature',
    ],
  ] as const)('refuses when %s: 403 %s', async (_what, overrides, code) => {
    expect(
      await asyncRefusal(() => verifySubmission(decodeSubmission('mappings', good), context(overrides))),
    ).toEqual({
      status: 403,
      code,
    });
  });

  it('refuses a removal signed by another key than its rk: 403 bad-signature', async () => {
    const mallory = recipient();
    const forged = signRemoval(
      { v: 1, csi, rk: alice.publicKey, all: true, serial: 5, iat: NOW },
      mallory.privateKey,
    ).object;
    const bytes = encodeObject('removal', forged);
    expect(
      await asyncRefusal(() => verifySubmission(decodeSubmission('removals', bytes), context())),
    ).toEqual({
      status: 403,
      code: 'bad-signature',
    });
  });

  it('passes an unavailable key source through as it is', async () => {
    const down = context({
      csipKeys: async () => {
        throw new RangeError('down');
      },
    });
    await expect(verifySubmission(decodeSubmission('mappings', good), down)).rejects.toThrow(RangeError);
  });
});

describe('successBody', () => {
  it('reports the serial of a mapping and the epoch of an unassignment', () => {
    expect(
      successBody({ kind: 'mapping', csi: '+447700900123', owner: 'x.', serial: 7, removedIds: [] }),
    ).toBe('{"ok":true,"kind":"mapping","csi":"+447700900123","serial":7,"removed":[]}');
    expect(
      successBody({
        kind: 'unassignment',
        csi: '+447700900123',
        owner: 'x.',
        epoch: 3,
        removedIds: ['a', 'b'],
      }),
    ).toBe('{"ok":true,"kind":"unassignment","csi":"+447700900123","epoch":3,"removed":["a","b"]}');
  });
});
