/**
 * Privacy Pass tokens for tests on a network with the privacy layer (DESIGN §7): a
 * `TokenClient` of the network's issuer, as its demo user (the `issuerAuth` of client.json),
 * for a test that asks a DP directly over DoH — which, with `--require-token`, refuses a
 * CSI lookup without one. Each token is good once per DP.
 */
import type { NetworkPrivacy } from '@mimi/demo';
import { TokenClient } from '@mimi/tokens';

export function networkTokens(privacy: NetworkPrivacy, ca: string | Buffer): TokenClient {
  return new TokenClient({
    issuerUrl: privacy.issuer.url,
    issuerAuth: privacy.issuerAuth,
    ca,
    poolSize: 0,
  });
}
