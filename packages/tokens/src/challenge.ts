/**
 * The one TokenChallenge of the network (DESIGN §7 "Tokens"; RFC 9577 §2.1):
 *
 *   struct {
 *     uint16_t token_type;                 = 0x0002
 *     opaque issuer_name<1..2^16-1>;       = the issuer's host[:port]
 *     opaque redemption_context<0..32>;    = empty
 *     opaque origin_info<0..2^16-1>;       = empty
 *   } TokenChallenge;
 *
 * No origin and no context, so a token is good at any DP of the network (each DP
 * spends it once). Nobody sends this challenge: client and DP both derive it from the
 * issuer URL, and the token carries only its SHA-256 (RFC 9577 §2.2 challenge_digest).
 * The issuer name is the URL's authority, because RFC 9578 §4 places the directory at
 * a well-known URI of that origin; both sides must therefore name the issuer by the
 * same host and port.
 */
import { createHash } from 'node:crypto';
import { TokenChallenge } from '@cloudflare/privacypass-ts';
import { TOKEN_TYPE_BLIND_RSA } from './constants.js';
import { TokenError } from './errors.js';

export interface NetworkChallenge {
  readonly issuerName: string;
  /** For the Privacy Pass client (it hashes the serialization itself). */
  readonly challenge: TokenChallenge;
  /** RFC 9577 §2.2: challenge_digest = SHA256(TokenChallenge). */
  readonly digest: Uint8Array;
}

/** The issuer's origin as an https URL with no path, query or credentials. */
export function parseIssuerUrl(issuerUrl: string): URL {
  let url: URL;
  try {
    url = new URL(issuerUrl);
  } catch (cause) {
    throw new TokenError('issuer-url-invalid', `issuer url '${issuerUrl}' is not a url`, { cause });
  }
  if (url.protocol !== 'https:') {
    throw new TokenError('issuer-url-invalid', `issuer url '${issuerUrl}' must be https`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TokenError('issuer-url-invalid', `issuer url '${issuerUrl}' must not carry credentials`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new TokenError(
      'issuer-url-invalid',
      `issuer url '${issuerUrl}' must be an origin (https://host[:port]) without a path`,
    );
  }
  return url;
}

/** RFC 9577 §2.1 issuer_name for an issuer URL: its host, with the port when not 443. */
export function issuerNameOf(issuerUrl: string): string {
  return parseIssuerUrl(issuerUrl).host;
}

export function networkChallenge(issuerName: string): NetworkChallenge {
  if (issuerName.length === 0 || issuerName.length > 0xffff || !/^[\x21-\x7e]+$/.test(issuerName)) {
    throw new TokenError('issuer-url-invalid', `issuer name '${issuerName}' is not a printable ascii host`);
  }
  const challenge = new TokenChallenge(TOKEN_TYPE_BLIND_RSA, issuerName, new Uint8Array(0), undefined);
  const digest = new Uint8Array(createHash('sha256').update(challenge.serialize()).digest());
  return { issuerName, challenge, digest };
}
