/**
 * The issuer directory (RFC 9578 §4), served at /.well-known/private-token-issuer-directory
 * as `application/private-token-issuer-directory`:
 *
 *   {"issuer-request-uri": "/token-request",
 *    "token-keys": [{"token-type": 2, "token-key": "<base64url, padded>", "not-before": 1767225600}, ...]}
 *
 * "token-key: The base64url encoding of the Public Key ... including padding"; we write
 * it padded and read it padded or not. "Issuers indicate preference for which token key
 * to use based on the order of keys in the list ... Clients SHOULD use the first key in
 * the token-keys list that either does not have a not-before value or has a not-before
 * value in the past." Keys of other token types are skipped; unknown members ignored.
 */
import { TOKEN_TYPE_BLIND_RSA } from './constants.js';
import { TokenError } from './errors.js';
import { decodeTokenKey, type TokenKey } from './token-key.js';

/** Bounds a directory we accept: a rotating issuer lists two or three keys. */
const MAX_TOKEN_KEYS = 32;

export interface DirectoryKey extends TokenKey {
  /** Unix seconds from which the key may be used, or null when the issuer gave none. */
  readonly notBefore: number | null;
}

export interface IssuerDirectory {
  /** Absolute https URL of the issuance endpoint. */
  readonly issuerRequestUri: string;
  /** Type-0x0002 keys in the issuer's order of preference. */
  readonly keys: readonly DirectoryKey[];
}

/** What an issuer publishes: keys as RFC 9578 §6.5 bytes, in order of preference. */
export interface DirectoryListing {
  readonly issuerRequestUri: string;
  readonly keys: readonly { readonly encoded: Uint8Array; readonly notBefore?: number }[];
}

export function serializeDirectory(listing: DirectoryListing): string {
  return JSON.stringify({
    'issuer-request-uri': listing.issuerRequestUri,
    'token-keys': listing.keys.map((key) => ({
      'token-type': TOKEN_TYPE_BLIND_RSA,
      'token-key': Buffer.from(key.encoded).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
      ...(key.notBefore === undefined ? {} : { 'not-before': key.notBefore }),
    })),
  });
}

function invalid(what: string, cause?: unknown): TokenError {
  return new TokenError(
    'directory-invalid',
    `issuer directory: ${what}`,
    cause === undefined ? {} : { cause },
  );
}

/** base64url (RFC 4648 §5) with or without padding, canonical (no stray bits). */
export function decodeBase64UrlLoose(text: string): Uint8Array | null {
  const bare = text.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(bare) || bare.length % 4 === 1) return null;
  if (bare !== text && text.length % 4 !== 0) return null;
  const bytes = Buffer.from(bare, 'base64url');
  return bytes.toString('base64url') === bare ? new Uint8Array(bytes) : null;
}

/**
 * Parse and check a directory document fetched from `directoryUrl` (a relative
 * `issuer-request-uri` is resolved against it, RFC 9578 §4).
 */
export function parseDirectory(text: string, directoryUrl: string): IssuerDirectory {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw invalid('not json', cause);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('not a json object');
  const object = raw as Record<string, unknown>;
  const uri = object['issuer-request-uri'];
  if (typeof uri !== 'string' || uri === '') throw invalid("'issuer-request-uri' must be a non-empty string");
  let requestUrl: URL;
  try {
    requestUrl = new URL(uri, directoryUrl);
  } catch (cause) {
    throw invalid(`'issuer-request-uri' ${JSON.stringify(uri)} is not a url`, cause);
  }
  if (requestUrl.protocol !== 'https:') throw invalid(`'issuer-request-uri' ${requestUrl.href} is not https`);
  const list = object['token-keys'];
  if (!Array.isArray(list)) throw invalid("'token-keys' must be an array");
  if (list.length > MAX_TOKEN_KEYS) throw invalid(`${list.length} token keys, at most ${MAX_TOKEN_KEYS}`);
  const keys: DirectoryKey[] = [];
  list.forEach((entry: unknown, index) => {
    const key = parseKeyEntry(entry, index);
    if (key !== null) keys.push(key);
  });
  if (keys.length === 0) throw invalid('no token key of type 2 (blind rsa 2048)');
  return { issuerRequestUri: requestUrl.href, keys };
}

function parseKeyEntry(entry: unknown, index: number): DirectoryKey | null {
  const where = `token-keys[${index}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw invalid(`${where} is not an object`);
  const fields = entry as Record<string, unknown>;
  const type = fields['token-type'];
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 0 || type > 0xffff) {
    throw invalid(`${where}.token-type must be an integer 0-65535`);
  }
  if (type !== TOKEN_TYPE_BLIND_RSA) return null;
  const notBefore = fields['not-before'];
  if (
    notBefore !== undefined &&
    (typeof notBefore !== 'number' || !Number.isSafeInteger(notBefore) || notBefore < 0)
  ) {
    throw invalid(`${where}.not-before must be a non-negative integer`);
  }
  const text = fields['token-key'];
  const encoded = typeof text === 'string' ? decodeBase64UrlLoose(text) : null;
  if (encoded === null) throw invalid(`${where}.token-key is not base64url`);
  let key: TokenKey;
  try {
    key = decodeTokenKey(encoded);
  } catch (cause) {
    throw invalid(`${where}.token-key: ${(cause as Error).message}`, cause);
  }
  return { ...key, notBefore: notBefore === undefined ? null : notBefore };
}

/** RFC 9578 §4: the first key with no not-before or one in the past (`nowMs`). */
export function preferredKey(directory: IssuerDirectory, nowMs: number): DirectoryKey | undefined {
  return directory.keys.find((key) => key.notBefore === null || key.notBefore * 1000 <= nowMs);
}
