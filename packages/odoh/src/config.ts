/**
 * ObliviousDoHConfigs (RFC 9230 §5) and the key id of a config (RFC 9230 §6.1):
 *
 *   struct {                              struct {
 *      uint16 kem_id;                        uint16 version;      // 0x0001
 *      uint16 kdf_id;                        uint16 length;       // of contents
 *      uint16 aead_id;                       select (version) {
 *      opaque public_key<1..2^16-1>;            case 0x0001: ObliviousDoHConfigContents contents;
 *   } ObliviousDoHConfigContents;            }
 *                                         } ObliviousDoHConfig;
 *
 *   ObliviousDoHConfig ObliviousDoHConfigs<1..2^16-1>;   // decreasing preference
 *
 * Decoding is strict (every length exact, no trailing bytes); a config of another
 * version is skipped by its length ("Clients MUST ignore any ObliviousDoHConfig
 * structure with a version they do not support"). Configs with other cipher suites
 * are kept, and `selectConfig` passes over them as §5 says for kem_id, kdf_id, aead_id.
 */
import {
  AEAD_AES_128_GCM,
  KDF_HKDF_SHA256,
  KEM_X25519_HKDF_SHA256,
  LABEL_KEY_ID,
  NH,
  ODOH_VERSION,
  X25519_KEY_LENGTH,
} from './constants.js';
import { OdohError } from './errors.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import { concatBytes, opaque16, TlsReader, uint16Bytes } from './tls-vector.js';

export interface ObliviousDoHConfigContents {
  readonly kemId: number;
  readonly kdfId: number;
  readonly aeadId: number;
  readonly publicKey: Uint8Array;
}

/** The one suite RFC 9230 §9 makes mandatory, and the only one we implement. */
export function isSupportedSuite(config: ObliviousDoHConfigContents): boolean {
  return (
    config.kemId === KEM_X25519_HKDF_SHA256 &&
    config.kdfId === KDF_HKDF_SHA256 &&
    config.aeadId === AEAD_AES_128_GCM
  );
}

export function encodeConfigContents(config: ObliviousDoHConfigContents): Uint8Array {
  for (const [field, value] of [
    ['kem_id', config.kemId],
    ['kdf_id', config.kdfId],
    ['aead_id', config.aeadId],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new OdohError('odoh-malformed', `odoh config ${field} ${value} is not a 16-bit value`);
    }
  }
  if (config.publicKey.length === 0) {
    throw new OdohError('odoh-malformed', 'odoh config public_key is empty');
  }
  return concatBytes(
    uint16Bytes(config.kemId),
    uint16Bytes(config.kdfId),
    uint16Bytes(config.aeadId),
    opaque16(config.publicKey, 'odoh config public_key'),
  );
}

/** The ObliviousDoHConfigs bytes for `configs`, most preferred first (what ODOHCFG RDATA holds). */
export function encodeConfigs(configs: readonly ObliviousDoHConfigContents[]): Uint8Array {
  if (configs.length === 0) {
    throw new OdohError('odoh-malformed', 'odoh configs need at least one config');
  }
  const items = configs.map((config) => {
    const contents = encodeConfigContents(config);
    return concatBytes(uint16Bytes(ODOH_VERSION), opaque16(contents, 'odoh config contents'));
  });
  return opaque16(concatBytes(...items), 'odoh configs');
}

/** Strict decode of ObliviousDoHConfigContents (the whole of `bytes`). */
export function decodeConfigContents(bytes: Uint8Array): ObliviousDoHConfigContents {
  const reader = new TlsReader(bytes, 'odoh config');
  const kemId = reader.uint16('kem_id');
  const kdfId = reader.uint16('kdf_id');
  const aeadId = reader.uint16('aead_id');
  const publicKey = reader.opaque16('public_key', 1).slice();
  reader.end();
  const config = { kemId, kdfId, aeadId, publicKey };
  if (kemId === KEM_X25519_HKDF_SHA256 && publicKey.length !== X25519_KEY_LENGTH) {
    throw new OdohError(
      'odoh-malformed',
      `odoh config: x25519 public_key is ${publicKey.length} bytes, must be ${X25519_KEY_LENGTH}`,
      { details: { length: publicKey.length } },
    );
  }
  return config;
}

/** Every version-0x0001 config in `bytes`, in the order given; other versions are skipped. */
export function decodeConfigs(bytes: Uint8Array): ObliviousDoHConfigContents[] {
  const outer = new TlsReader(bytes, 'odoh configs');
  const list = outer.opaque16('configs', 1);
  outer.end();
  const reader = new TlsReader(list, 'odoh configs');
  const configs: ObliviousDoHConfigContents[] = [];
  while (reader.remaining > 0) {
    const version = reader.uint16('version');
    const contents = reader.take(reader.uint16('length'), 'contents');
    if (version === ODOH_VERSION) configs.push(decodeConfigContents(contents));
  }
  return configs;
}

/** The most preferred config we can use, or `odoh-unsupported`. */
export function selectConfig(configs: readonly ObliviousDoHConfigContents[]): ObliviousDoHConfigContents {
  const config = configs.find(isSupportedSuite);
  if (config === undefined) {
    throw new OdohError(
      'odoh-unsupported',
      `none of ${configs.length} odoh configs of version 1 uses x25519/hkdf-sha256/aes-128-gcm`,
    );
  }
  return config;
}

/** RFC 9230 §6.1: key_id = Expand(Extract("", config), "odoh key id", Nh), config the encoded contents. */
export function keyIdOf(config: ObliviousDoHConfigContents): Uint8Array {
  const prk = hkdfExtract(new Uint8Array(0), encodeConfigContents(config));
  return hkdfExpand(prk, new TextEncoder().encode(LABEL_KEY_ID), NH);
}
