/** Discovery objects: types, deterministic CBOR, signing, verification (DESIGN §4). */

export { type CborMap, type CborValue, readCbor } from './cbor-reader.js';
export {
  decodeAttestation,
  decodeCsipKeyRecord,
  decodeMapping,
  decodeObject,
  decodeRemoval,
  decodeUnassignment,
  encodeCsipKeyRecord,
  encodeObject,
  encodeUnsigned,
} from './codec.js';
export {
  CLOCK_SKEW_SECONDS,
  MAX_CSI_RDATA_OCTETS,
  MAX_MAPPINGS_PER_CSI,
  MAX_MSPS,
  MAX_OBJECT_OCTETS,
  OBJECT_VERSION,
  SIGNING_CONTEXT_PREFIX,
} from './constants.js';
export { csiInScope } from './csip-keys.js';
export { DecodedMapping } from './decoded-mapping.js';
export { selectHighestEpoch, unassignmentRemoves } from './epochs.js';
export {
  checkObjectSignature,
  type SignedResult,
  signAttestation,
  signingInput,
  signMapping,
  signObject,
  signRemoval,
  signUnassignment,
  unsignedOf,
} from './signing.js';
export * from './types.js';
export {
  type CsipVerifyOptions,
  type VerifiedAttestation,
  type VerifiedMapping,
  type VerifyOptions,
  verifyAttestation,
  verifyMapping,
  verifyRemoval,
  verifyUnassignment,
} from './verify.js';
