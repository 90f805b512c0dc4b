/**
 * Oblivious DNS over HTTPS (RFC 9230): config encoding and key ids, the client's
 * encrypt/decrypt, the target's open/seal on a node:crypto HPKE (RFC 9180) base mode,
 * a rotating key ring with its file, and the target endpoint's status rules.
 */

export { decryptResponse, type EncryptedQuery, type EncryptQueryOptions, encryptQuery } from './client.js';
export {
  decodeConfigContents,
  decodeConfigs,
  encodeConfigContents,
  encodeConfigs,
  isSupportedSuite,
  keyIdOf,
  type ObliviousDoHConfigContents,
  selectConfig,
} from './config.js';
export {
  AEAD_AES_128_GCM,
  KDF_HKDF_SHA256,
  KEM_X25519_HKDF_SHA256,
  ODOH_MEDIA_TYPE,
  ODOH_VERSION,
  QUERY_PADDING_BLOCK,
  RESPONSE_NONCE_LENGTH,
  RESPONSE_PADDING_BLOCK,
  WELL_KNOWN_CONFIGS_PATH,
} from './constants.js';
export { OdohError } from './errors.js';
export {
  DEFAULT_OVERLAP_MS,
  DEFAULT_ROTATION_INTERVAL_MS,
  type KeyRingEntry,
  type KeyRingOptions,
  OdohKeyRing,
} from './key-ring.js';
export {
  loadOrCreateKeyRing,
  parseKeyRing,
  readKeyRingFile,
  serializeKeyRing,
  writeKeyRingFile,
} from './key-ring-file.js';
export {
  decodeMessage,
  decodePlaintext,
  encodeMessage,
  encodePlaintext,
  type ObliviousDoHMessage,
  type PaddingOptions,
} from './message.js';
export { OdohResponseContext } from './response-context.js';
export { type OpenedQuery, openQuery, type SealResponseOptions, sealResponse } from './target.js';
export { answerObliviousQuery, type OdohHttpAnswer, odohHttpStatus } from './target-handler.js';
export {
  generateTargetKey,
  singleKey,
  type TargetKey,
  type TargetKeys,
  targetKeyFromPrivate,
  targetKeyFromSeed,
} from './target-key.js';
export { deriveX25519, generateX25519, type X25519KeyPair } from './x25519.js';
