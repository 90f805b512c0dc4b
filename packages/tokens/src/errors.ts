/**
 * Errors of the token library (thrown, never returned: a DP's verdict on a token is a
 * result, see verdict.ts). Codes:
 * - `issuer-quota-exhausted`: the issuer refused for this user's quota (HTTP 429);
 * - `issuer-auth-failed`: the issuer refused the credential (HTTP 401/403);
 * - `issuer-unreachable`: no answer (connection refused, TLS failure, timeout);
 * - `issuer-error`: the issuer answered with another error status;
 * - `issuer-bad-response`: an answer that is not what RFC 9578 says it must be;
 * - `directory-invalid`: an issuer directory that breaks RFC 9578 §4 or has no usable key;
 * - `token-request-malformed`, `token-key-invalid`, `issuer-url-invalid`: bad input;
 * - `blind-rsa-input-invalid`: RFC 9474 §4.2/§4.3 "invalid input", "unexpected input
 *   size", "encoding error" or "blinding error" (blind-rsa.ts, rsa-integers.ts);
 * - `blind-rsa-signature-invalid`: RFC 9474 §4.3 "invalid signature" (Finalize).
 */
import { MimiError } from '@mimi/errors';

export class TokenError extends MimiError {}
