/**
 * HPKE (RFC 9180) base mode, single-shot, for the one cipher suite ODoH requires
 * (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM; RFC 9230 §9) — on node:crypto
 * primitives only. Single-shot means sequence number 0: one Seal or Open per context
 * (RFC 9180 §6.1), then the exporter (§5.3) for the response secret.
 *
 * Why not a general HPKE library on the hot path: a target opens one query and seals
 * one answer per request; through @hpke/core (WebCrypto) that costs ≈ 1.3 ms, here a
 * small fraction of it (docs/odoh.md). The tests prove this code byte-equal to
 * @hpke/core and to the published ODoH vectors.
 */
import type { KeyObject } from 'node:crypto';
import { aesGcmOpen, aesGcmSeal } from './aead.js';
import { AEAD_AES_128_GCM, KDF_HKDF_SHA256, KEM_X25519_HKDF_SHA256, NH, NK, NN } from './constants.js';
import { labeledExpand, labeledExtract } from './labeled-kdf.js';
import { concatBytes, uint16Bytes } from './tls-vector.js';
import { generateX25519, KEM_SUITE_ID, publicKeyFromRaw, type X25519KeyPair, x25519 } from './x25519.js';

/** RFC 9180 §5.1: suite_id = concat("HPKE", I2OSP(kem_id, 2), I2OSP(kdf_id, 2), I2OSP(aead_id, 2)). */
const HPKE_SUITE_ID = concatBytes(
  new TextEncoder().encode('HPKE'),
  uint16Bytes(KEM_X25519_HKDF_SHA256),
  uint16Bytes(KDF_HKDF_SHA256),
  uint16Bytes(AEAD_AES_128_GCM),
);
/** RFC 9180 §5 table 1: mode_base = 0x00. */
const MODE_BASE = 0x00;
/** RFC 9180 §7.1 table 2: Nsecret of DHKEM(X25519, HKDF-SHA256). */
const N_SECRET = 32;
const EMPTY = new Uint8Array(0);

interface KeySchedule {
  readonly key: Uint8Array;
  readonly baseNonce: Uint8Array;
  readonly exporterSecret: Uint8Array;
}

/** key_schedule_context depends only on mode and info (no PSK in base mode): compute it once per info. */
const contextCache = new Map<string, Uint8Array>();

function keyScheduleContext(info: Uint8Array): Uint8Array {
  const cacheKey = Buffer.from(info).toString('hex');
  let context = contextCache.get(cacheKey);
  if (context === undefined) {
    const pskIdHash = labeledExtract(HPKE_SUITE_ID, EMPTY, 'psk_id_hash', EMPTY);
    const infoHash = labeledExtract(HPKE_SUITE_ID, EMPTY, 'info_hash', info);
    context = concatBytes(Uint8Array.of(MODE_BASE), pskIdHash, infoHash);
    if (contextCache.size < 16) contextCache.set(cacheKey, context);
  }
  return context;
}

/** RFC 9180 §5.1 KeySchedule<ROLE>(mode_base, shared_secret, info, "", ""). */
function keySchedule(sharedSecret: Uint8Array, info: Uint8Array): KeySchedule {
  const context = keyScheduleContext(info);
  const secret = labeledExtract(HPKE_SUITE_ID, sharedSecret, 'secret', EMPTY);
  return {
    key: labeledExpand(HPKE_SUITE_ID, secret, 'key', context, NK),
    baseNonce: labeledExpand(HPKE_SUITE_ID, secret, 'base_nonce', context, NN),
    exporterSecret: labeledExpand(HPKE_SUITE_ID, secret, 'exp', context, NH),
  };
}

/** RFC 9180 §4.1 ExtractAndExpand(dh, kem_context) with the KEM's suite id. */
function extractAndExpand(dh: Uint8Array, kemContext: Uint8Array): Uint8Array {
  const eaePrk = labeledExtract(KEM_SUITE_ID, EMPTY, 'eae_prk', dh);
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, N_SECRET);
}

export interface SealedBase {
  /** The encapsulated key (the ephemeral public key, Nenc = 32 bytes). */
  readonly enc: Uint8Array;
  /** AEAD output: ciphertext || tag. */
  readonly ciphertext: Uint8Array;
  /** Input of Export (RFC 9180 §5.3); the sender keeps it to derive the response keys. */
  readonly exporterSecret: Uint8Array;
}

export interface SealOptions {
  /** The ephemeral key pair; tests inject one (RFC 9180 §7.1.3 DeriveKeyPair), otherwise fresh. */
  readonly ephemeral?: X25519KeyPair;
}

/** SetupBaseS(pkR, info) then Seal(aad, pt) at sequence number 0 (RFC 9180 §5.1.1, §5.2). */
export function sealBase(
  recipientPublicKey: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  options: SealOptions = {},
): SealedBase {
  const pkR = publicKeyFromRaw(recipientPublicKey);
  const ephemeral = options.ephemeral ?? generateX25519();
  const dh = x25519(ephemeral.privateKey, pkR);
  const enc = ephemeral.publicKey;
  const sharedSecret = extractAndExpand(dh, concatBytes(enc, recipientPublicKey));
  const schedule = keySchedule(sharedSecret, info);
  // Sequence number 0: the nonce is base_nonce XOR 0 = base_nonce (RFC 9180 §5.2).
  const ciphertext = aesGcmSeal(schedule.key, schedule.baseNonce, aad, plaintext);
  return { enc, ciphertext, exporterSecret: schedule.exporterSecret };
}

export interface OpenedBase {
  readonly plaintext: Uint8Array;
  readonly exporterSecret: Uint8Array;
}

/** SetupBaseR(enc, skR, info) then Open(aad, ct) at sequence number 0. */
export function openBase(
  recipient: { readonly privateKey: KeyObject; readonly publicKey: Uint8Array },
  enc: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
): OpenedBase {
  const pkE = publicKeyFromRaw(enc);
  const dh = x25519(recipient.privateKey, pkE);
  const sharedSecret = extractAndExpand(dh, concatBytes(enc, recipient.publicKey));
  const schedule = keySchedule(sharedSecret, info);
  const plaintext = aesGcmOpen(schedule.key, schedule.baseNonce, aad, ciphertext);
  return { plaintext, exporterSecret: schedule.exporterSecret };
}

/** RFC 9180 §5.3: Export(exporter_context, L) = LabeledExpand(exporter_secret, "sec", exporter_context, L). */
export function exportSecret(
  exporterSecret: Uint8Array,
  exporterContext: Uint8Array,
  length: number,
): Uint8Array {
  return labeledExpand(HPKE_SUITE_ID, exporterSecret, 'sec', exporterContext, length);
}
