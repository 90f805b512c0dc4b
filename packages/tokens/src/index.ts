/**
 * @mimi/tokens: Privacy Pass tokens for the discovery network (DESIGN §7 "Tokens"):
 * type 0x0002 (Blind RSA 2048, RFC 9578 §6) with the network's one challenge
 * (RFC 9577 §2.1), a pooled client for the stub, a synchronous verifier with a
 * double-spend store for the DPs, and the directory and key encodings the issuer uses.
 */
export { issuerNameOf, type NetworkChallenge, networkChallenge, parseIssuerUrl } from './challenge.js';
export { TokenClient, type TokenClientOptions } from './client.js';
export * from './constants.js';
export {
  type DirectoryKey,
  type DirectoryListing,
  decodeBase64UrlLoose,
  type IssuerDirectory,
  parseDirectory,
  preferredKey,
  serializeDirectory,
} from './directory.js';
export {
  directoryUrlOf,
  type FetchedDirectory,
  fetchDirectory,
  freshnessSeconds,
} from './directory-source.js';
export { TokenError } from './errors.js';
export { type HttpOptions, IssuerHttp } from './http.js';
export {
  type BlindedRequest,
  blindRequests,
  decodeBatchResponse,
  decodeSingleResponse,
  encodeBatchRequest,
  encodeSingleRequest,
  finalizeToken,
} from './issuance-client.js';
export { ACCEPTED_EPOCHS, KeyEpochs, type KeyStanding, keyIdHex } from './key-epochs.js';
export { DEFAULT_MAX_SPENT_PER_KEY, type SpendOutcome, SpentTokenStore } from './spent-store.js';
export { type ParsedToken, parseToken, type TokenParse } from './token.js';
export { decodeTokenKey, encodeTokenKey, type TokenKey, tokenKeyId, truncatedKeyId } from './token-key.js';
export {
  refusalOption,
  refusalText,
  TOKEN_REFUSAL_INFO_CODE,
  TokenRefusal,
  type TokenRefusalCode,
  type TokenVerdict,
} from './verdict.js';
export { TokenVerifier, type TokenVerifierOptions } from './verifier.js';
