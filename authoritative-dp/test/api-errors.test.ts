/**
 * The one code → HTTP status mapping of the management API (DESIGN §7) and the
 * translation of the lower layers' codes (ObjectError, MappingStoreError) into it.
 */
import { MappingStoreError } from '@mimi/authority';
import { ObjectError } from '@mimi/protocol';
import { HttpError } from '@mimi/server-core';
import { describe, expect, it } from 'vitest';
import {
  type ApiCode,
  apiCodeForObjectError,
  apiError,
  fromStoreError,
  httpStatusFor,
} from '../src/api/api-errors.js';

describe('httpStatusFor (DESIGN §7)', () => {
  it.each<[ApiCode, number]>([
    ['malformed', 400],
    ['csip-key-unknown', 403],
    ['out-of-scope', 403],
    ['bad-signature', 403],
    ['csi-mismatch', 403],
    ['expired', 403],
    ['stale-epoch', 403],
    ['not-authorized', 403],
    ['not-served-here', 404],
    ['stale-serial', 409],
    ['too-many-mappings', 409],
    ['csi-budget', 409],
    ['too-large', 413],
    ['rate-limited', 429],
    ['unavailable', 503],
  ])('%s → %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
    const err = apiError(code, `refused: ${code}`);
    expect(err).toBeInstanceOf(HttpError);
    expect([err.status, err.code, err.message]).toEqual([status, code, `refused: ${code}`]);
  });

  it('adds Retry-After only where waiting helps', () => {
    expect(apiError('rate-limited', 'x').headers).toEqual({ 'retry-after': '1' });
    expect(apiError('unavailable', 'x').headers).toEqual({ 'retry-after': '5' });
    expect(apiError('stale-serial', 'x').headers).toEqual({});
  });
});

describe('apiCodeForObjectError', () => {
  it.each([
    ['csi-mismatch', 'csi-mismatch'],
    ['expired', 'expired'],
    ['csip-key-expired', 'expired'],
    ['csip-key-unknown', 'csip-key-unknown'],
    ['scope', 'out-of-scope'],
    ['signature', 'bad-signature'],
    ['key-noncanonical', 'bad-signature'],
    ['key-small-order', 'bad-signature'],
    ['key-length', 'bad-signature'],
    ['cbor-truncated', 'malformed'],
    ['cbor-unsorted', 'malformed'],
    ['schema-missing-key', 'malformed'],
    ['schema-limit', 'malformed'],
    ['version', 'malformed'],
    ['csi-not-normalized', 'malformed'],
    ['too-large', 'malformed'],
  ])('%s → %s', (objectCode, apiCode) => {
    expect(apiCodeForObjectError(objectCode)).toBe(apiCode);
  });
});

describe('fromStoreError', () => {
  it.each([
    ['stale-serial', 409],
    ['stale-epoch', 403],
    ['too-many-mappings', 409],
    ['csi-budget', 409],
    ['not-authorized', 403],
    ['malformed', 400],
  ])('keeps the store code %s with status %i', (code, status) => {
    const mapped = fromStoreError(new MappingStoreError(code, `store says ${code}`));
    expect(mapped).toBeInstanceOf(HttpError);
    expect([(mapped as HttpError).status, (mapped as HttpError).code]).toEqual([status, code]);
    expect((mapped as HttpError).message).toBe(`store says ${code}`);
  });

  it('passes anything else through unchanged (a 500)', () => {
    const open = new MappingStoreError('store-open', 'cannot open');
    expect(fromStoreError(open)).toBe(open);
    const other = new ObjectError('signature', 'x');
    expect(fromStoreError(other)).toBe(other);
    const plain = new RangeError('boom');
    expect(fromStoreError(plain)).toBe(plain);
  });
});
