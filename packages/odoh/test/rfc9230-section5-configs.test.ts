/**
 * RFC 9230 §5: ObliviousDoHConfigs, ObliviousDoHConfig, ObliviousDoHConfigContents —
 * value ↔ bytes both ways, skipping unknown versions, passing over other suites, and
 * every malformed boundary refused as `odoh-malformed` with a message naming the field.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeConfigContents,
  decodeConfigs,
  encodeConfigContents,
  encodeConfigs,
  type ObliviousDoHConfigContents,
  selectConfig,
} from '../src/config.js';
import { OdohError } from '../src/errors.js';

const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const pk = (byte: number) => new Uint8Array(32).fill(byte);
const PK_AA = 'aa'.repeat(32);

const ours = (byte: number): ObliviousDoHConfigContents => ({
  kemId: 0x20,
  kdfId: 1,
  aeadId: 1,
  publicKey: pk(byte),
});

function codeOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof OdohError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an OdohError');
}

describe('ObliviousDoHConfigContents value ↔ bytes', () => {
  it.each([
    ['the mandatory suite', ours(0xaa), `0020 0001 0001 0020 ${PK_AA}`],
    [
      'a P-256 suite with a 65-byte key',
      { kemId: 0x10, kdfId: 1, aeadId: 2, publicKey: pk(4).subarray(0, 1) },
      '0010 0001 0002 0001 04',
    ],
  ])('%s', (_name, value, hex) => {
    expect(toHex(encodeConfigContents(value))).toBe(hex.replace(/\s/g, ''));
    expect(decodeConfigContents(fromHex(hex))).toEqual(value);
  });
});

describe('ObliviousDoHConfigs value ↔ bytes', () => {
  it('one config: total length, version 0x0001, contents length, contents', () => {
    const bytes = encodeConfigs([ours(0xaa)]);
    expect(toHex(bytes)).toBe(`002c 0001 0028 0020 0001 0001 0020 ${PK_AA}`.replace(/\s/g, ''));
    expect(decodeConfigs(bytes)).toEqual([ours(0xaa)]);
  });

  it('two configs keep their order of preference', () => {
    const bytes = encodeConfigs([ours(1), ours(2)]);
    expect(bytes.length).toBe(2 + 2 * 44);
    expect(decodeConfigs(bytes)).toEqual([ours(1), ours(2)]);
  });

  it('refuses to encode an empty list (ObliviousDoHConfigs<1..2^16-1>)', () => {
    expect(codeOf(() => encodeConfigs([]))).toEqual({
      code: 'odoh-malformed',
      message: 'odoh configs need at least one config',
    });
  });

  it('refuses to encode an empty public key or an out-of-range id', () => {
    expect(codeOf(() => encodeConfigContents({ ...ours(1), publicKey: new Uint8Array(0) })).message).toBe(
      'odoh config public_key is empty',
    );
    expect(codeOf(() => encodeConfigContents({ ...ours(1), kemId: 0x10000 })).message).toBe(
      'odoh config kem_id 65536 is not a 16-bit value',
    );
  });
});

describe('versions and suites (RFC 9230 §5: clients MUST ignore what they do not support)', () => {
  const unknownVersion = '0005 0003 010203';
  const mandatory = `0001 0028 0020 0001 0001 0020 ${PK_AA}`;

  it('skips a config of an unknown version by its length, before or after ours', () => {
    for (const list of [unknownVersion + mandatory, mandatory + unknownVersion]) {
      const inner = list.replace(/\s/g, '');
      const total = (inner.length / 2).toString(16).padStart(4, '0');
      expect(decodeConfigs(fromHex(total + inner))).toEqual([ours(0xaa)]);
    }
  });

  it('decodes to no config when every version is unknown, and selecting then fails', () => {
    const configs = decodeConfigs(fromHex(`0007 ${unknownVersion}`));
    expect(configs).toEqual([]);
    expect(codeOf(() => selectConfig(configs))).toEqual({
      code: 'odoh-unsupported',
      message: 'none of 0 odoh configs of version 1 uses x25519/hkdf-sha256/aes-128-gcm',
    });
  });

  it('keeps configs of other suites but selects the first one it supports', () => {
    const p256 = { kemId: 0x10, kdfId: 1, aeadId: 1, publicKey: new Uint8Array(65).fill(4) };
    const configs = decodeConfigs(encodeConfigs([p256, ours(7), ours(8)]));
    expect(configs).toHaveLength(3);
    expect(selectConfig(configs)).toEqual(ours(7));
    expect(codeOf(() => selectConfig([p256])).code).toBe('odoh-unsupported');
  });
});

describe('malformed ObliviousDoHConfigs', () => {
  const good = toHex(encodeConfigs([ours(0xaa)]));
  it.each([
    ['empty input', '', 'odoh configs: truncated in configs length (2 bytes needed, 0 left)'],
    ['an empty list', '0000', 'odoh configs: configs is 0 bytes, at least 1 required'],
    [
      'total length past the end',
      `002d${good.slice(4)}`,
      'odoh configs: truncated in configs (45 bytes needed, 44 left)',
    ],
    ['a trailing byte', `${good}00`, 'odoh configs: 1 trailing bytes'],
    [
      'a config cut in its header',
      '0003 000100',
      'odoh configs: truncated in length (2 bytes needed, 1 left)',
    ],
    [
      'contents longer than the list',
      `0006 0001 0029 0020`,
      'odoh configs: truncated in contents (41 bytes needed, 2 left)',
    ],
    [
      'contents with a byte after the key',
      `002d 0001 0029 0020 0001 0001 0020 ${PK_AA} 00`,
      'odoh config: 1 trailing bytes',
    ],
    [
      'an empty public key',
      '000c 0001 0008 0020 0001 0001 0000',
      'odoh config: public_key is 0 bytes, at least 1 required',
    ],
    [
      'an x25519 key of 31 bytes',
      `002b 0001 0027 0020 0001 0001 001f ${'aa'.repeat(31)}`,
      'odoh config: x25519 public_key is 31 bytes, must be 32',
    ],
  ])('refuses %s', (_name, hex, message) => {
    expect(codeOf(() => decodeConfigs(fromHex(hex)))).toEqual({ code: 'odoh-malformed', message });
  });
});
