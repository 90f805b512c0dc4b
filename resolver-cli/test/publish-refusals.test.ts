/**
 * A DP's refusals (DESIGN §4 stable codes, §7 statuses) in plain words, with the exit
 * code the one mapping gives them (DESIGN §8): a refusal of the object exits 2, the
 * service's trouble (429, 5xx, a broken answer) exits 3.
 */
import { signAttestation, signMapping, signRemoval, signUnassignment } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../src/error-line.js';
import { exitCodeOfError } from '../src/exit-codes.js';
import {
  isInputRefusal,
  lastAcceptedSerial,
  type Refusal,
  refusalError,
  refusalWords,
  type SubmittedObject,
} from '../src/objects/refusal-text.js';
import { CSIP, RECIPIENT } from './helpers/keys.js';
import { FIXED_NOW } from './helpers/memory-io.js';

const CSI = '+447700900123';
const att = signAttestation(
  { v: 1, csi: CSI, rk: RECIPIENT.pub, csip: 'uk-carrier', epoch: 2, iat: FIXED_NOW, exp: FIXED_NOW + 1000 },
  CSIP.key,
).object;
const mapping: SubmittedObject = {
  kind: 'mapping',
  object: signMapping(
    { v: 1, csi: CSI, id: 'personal', serial: 77, iat: FIXED_NOW, exp: FIXED_NOW + 100, msps: [], att },
    RECIPIENT.key,
  ).object,
};
const removal: SubmittedObject = {
  kind: 'removal',
  object: signRemoval(
    { v: 1, csi: CSI, rk: RECIPIENT.pub, all: true, serial: 78, iat: FIXED_NOW },
    RECIPIENT.key,
  ).object,
};
const unassignment: SubmittedObject = {
  kind: 'unassignment',
  object: signUnassignment({ v: 1, csi: CSI, csip: 'uk-carrier', epoch: 3, iat: FIXED_NOW }, CSIP.key).object,
};

const dp = { api: 'https://127.0.0.1:8444', host: 'tel.nic.mimi.arpa' };
const refusal = (status: number, code: string, message = ''): Refusal => ({ dp, status, code, message });

describe('refusalWords', () => {
  it.each([
    [
      mapping,
      400,
      'malformed',
      'mapping: cbor: trailing bytes',
      'the dp could not read the object (mapping: cbor: trailing bytes)',
    ],
    [mapping, 413, 'too-large', 'x', 'the object is larger than the dp accepts'],
    [
      mapping,
      404,
      'not-served-here',
      'x',
      `tel.nic.mimi.arpa does not serve ${CSI}; it belongs to another dp`,
    ],
    [
      mapping,
      403,
      'csip-key-unknown',
      'x',
      "csip 'uk-carrier' has no valid key on the network, so its attestation cannot be checked",
    ],
    [
      mapping,
      403,
      'out-of-scope',
      'scope +1',
      `the csip may not attest ${CSI}: it is outside the scope of the csip (scope +1)`,
    ],
    [mapping, 403, 'bad-signature', '', 'the signature of the attestation or of the mapping does not verify'],
    [removal, 403, 'bad-signature', '', 'the signature of the removal does not verify'],
    [unassignment, 403, 'bad-signature', '', "no key of csip 'uk-carrier' verifies the unassignment"],
    [mapping, 403, 'csi-mismatch', 'att.csi differs', 'the csi does not match (att.csi differs)'],
    [
      mapping,
      403,
      'expired',
      'attestation expired',
      'the attestation or the mapping is not valid at this time (attestation expired); check the clock, or get a new attestation',
    ],
    [
      removal,
      403,
      'expired',
      'iat in the future',
      'the removal is not valid at this time (iat in the future); check the clock',
    ],
    [
      mapping,
      409,
      'stale-serial',
      'x',
      `a newer mapping or removal of ${CSI} was already accepted from this key (serial 77 is not above it)`,
    ],
    [
      removal,
      409,
      'stale-serial',
      'x',
      `a newer mapping or removal of ${CSI} was already accepted from this key (serial 78 is not above it)`,
    ],
    [
      mapping,
      403,
      'stale-epoch',
      'x',
      `${CSI} was re-assigned after this attestation (epoch 2); only a newer attestation from the csip can publish it now`,
    ],
    [
      removal,
      403,
      'stale-epoch',
      'x',
      `${CSI} was re-assigned: the mappings of this key belonged to an earlier holder`,
    ],
    [unassignment, 403, 'stale-epoch', 'x', `${CSI} is already at an epoch above 3`],
    [
      mapping,
      409,
      'too-many-mappings',
      'x',
      `${CSI} already has 16 mappings, the most allowed; remove one, or publish with an existing --id to replace it`,
    ],
    [
      mapping,
      409,
      'csi-budget',
      'x',
      `the mappings of ${CSI} would be over 16384 octets together; remove one, or use fewer msps and tags`,
    ],
    [
      removal,
      403,
      'not-authorized',
      'x',
      `this key published no mapping of ${CSI}, so it cannot remove any (only the recipient or its csip can)`,
    ],
    [mapping, 403, 'not-authorized', 'no', 'not authorized (no)'],
    [mapping, 429, 'rate-limited', 'x', 'too many requests from this address; wait a moment and try again'],
    [
      mapping,
      503,
      'unavailable',
      'root down',
      'the dp cannot check it right now (root down); try again later',
    ],
    [mapping, 418, 'teapot', 'short and stout', 'short and stout'],
    [mapping, 418, 'teapot', '', 'teapot'],
  ] as const)('%#: %s %i %s', (submitted, status, code, message, words) => {
    expect(refusalWords(refusal(status, code, message), submitted)).toBe(words);
  });

  it('csi-mismatch of a mapping whose attestation names another CSI says which', () => {
    const other = signMapping(
      { v: 1, csi: '+447700900124', id: 'p', serial: 1, iat: FIXED_NOW, exp: FIXED_NOW + 1, msps: [], att },
      RECIPIENT.key,
    ).object;
    expect(refusalWords(refusal(403, 'csi-mismatch', 'x'), { kind: 'mapping', object: other })).toBe(
      'attestation is for +447700900123, not +447700900124',
    );
  });
});

describe('lastAcceptedSerial', () => {
  it.each([
    [
      'stale-serial',
      'serial 5 for +447700900123 is not above the last accepted serial 1795798041603 of this key',
      1795798041603,
    ],
    ['stale-serial', 'serial 5 is stale', undefined],
    ['stale-serial', 'not above the last accepted serial 99999999999999999 of this key', undefined],
    ['stale-epoch', 'the last accepted serial 7 of this key', undefined],
  ])('%s %j → %s', (code, message, expected) => {
    expect(lastAcceptedSerial(refusal(409, code, message))).toBe(expected);
  });

  it('stale-serial words name the last accepted serial when the DP does', () => {
    const words = refusalWords(
      refusal(409, 'stale-serial', 'serial 77 for x is not above the last accepted serial 900 of this key'),
      mapping,
    );
    expect(words).toBe(
      `a newer mapping or removal of ${CSI} was already accepted from this key (serial 77 is not above 900, the last one accepted)`,
    );
    expect(
      refusalError(refusal(409, 'stale-serial', 'not above the last accepted serial 900'), mapping).details,
    ).toEqual({
      status: 409,
      apiCode: 'stale-serial',
      dp: dp.api,
      lastSerial: 900,
    });
  });
});

describe('exit codes of refusals (DESIGN §8)', () => {
  it.each([
    [400, true],
    [403, true],
    [404, true],
    [409, true],
    [413, true],
    [429, false],
    [500, false],
    [503, false],
    [200, false],
  ])('status %i: input refusal %s', (status, input) => {
    expect(isInputRefusal(status)).toBe(input);
  });

  it('a 409 stale-serial is dp-refused, exit 2, one line naming the code and server', () => {
    const err = refusalError(refusal(409, 'stale-serial', 'x'), mapping);
    expect(err.code).toBe('dp-refused');
    expect(exitCodeOfError(err)).toBe(2);
    expect(errorMessage(err)).toBe(
      `the dp refused the mapping: a newer mapping or removal of ${CSI} was already accepted from this key (serial 77 is not above it) [stale-serial from tel.nic.mimi.arpa]`,
    );
    expect(err.details).toEqual({ status: 409, apiCode: 'stale-serial', dp: dp.api });
  });

  it('a 429 is server-error, exit 3', () => {
    const err = refusalError(refusal(429, 'rate-limited'), removal);
    expect(err.code).toBe('server-error');
    expect(exitCodeOfError(err)).toBe(3);
    expect(err.message).toBe(
      'the dp could not take the removal: too many requests from this address; wait a moment and try again [rate-limited from tel.nic.mimi.arpa]',
    );
  });

  it('a long quoted DP message is shortened in the line, the words around it stay whole', () => {
    const long = `csip 'uk-carrier' has no key that verifies attestation '${'x'.repeat(80)}'`;
    const line = errorMessage(refusalError(refusal(403, 'bad-signature', long), mapping));
    expect(line).toBe(
      `the dp refused the mapping: the signature of the attestation or of the mapping does not verify (csip 'uk-carrier' has no key that verifies attestation '${'x'.repeat(32)}…(80 chars)') [bad-signature from tel.nic.mimi.arpa]`,
    );
  });
});
