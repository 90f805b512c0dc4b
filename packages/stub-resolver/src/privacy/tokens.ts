/**
 * Privacy Pass tokens in queries (DESIGN §7 "Tokens"): an RFC 9577 `Token` rides in
 * EDNS option 65001 of the encrypted query, one per query a DP would refuse without it.
 * This module holds the stub's rules; the tokens themselves come from a `TokenSource`
 * (`TokenClient` of @mimi/tokens, which keeps a bounded pool filled in batches).
 */
import { isInCsiSubtree, isSubdomain, namesEqual } from '@mimi/protocol';

/** Where tokens come from: `TokenClient` of @mimi/tokens fits, or an MSP's own. */
export interface TokenSource {
  /** One unspent token (RFC 9577 §2.2 `Token` bytes); rejects with a MimiError when none can be had. */
  token(): Promise<Uint8Array>;
  close?(): Promise<void>;
}

/**
 * DESIGN §7: a DP "answers REFUSED ... to a DoH/ODoH query for a name inside a CSI
 * subtree (`e164.`, `email.`) and below its zone apex that lacks a fresh, unspent token;
 * zone apex data (SOA, NS, DNSKEY), the `nic.` and `csip.` names need none." So a query
 * carries a token exactly when its name is in a CSI subtree and strictly below the zone
 * of the servers asked — the root's minimised `4.e164` NS as much as the DP's full CSI name.
 */
export function tokenNeeded(qname: string, zone: string, apex: string): boolean {
  return isInCsiSubtree(qname, apex) && isSubdomain(qname, zone) && !namesEqual(qname, zone);
}

/**
 * The refusal code in a DP's Extended DNS Error EXTRA-TEXT, which @mimi/tokens writes
 * as `<code>: <message>` with codes `token-missing`, `token-replayed`, ... (RFC 8914 §2);
 * undefined when the text is not a token refusal.
 */
export function tokenRefusalCode(extraText: string): string | undefined {
  return /^(token-[a-z0-9-]+):/.exec(extraText)?.[1];
}

/** RFC 9577 §2.2: `uint16_t token_type; uint8_t nonce[32]; ...` — the nonce starts at octet 2. */
const NONCE_OFFSET = 2;
/** Octets of the nonce a trace shows: enough to tell tokens apart, no more. */
const LABEL_OCTETS = 4;

/** How a trace names a token: the first octets of its random nonce, in hex. */
export function tokenLabel(token: Uint8Array): string {
  const start = token.length >= NONCE_OFFSET + LABEL_OCTETS ? NONCE_OFFSET : 0;
  return Buffer.from(token.subarray(start, start + LABEL_OCTETS)).toString('hex');
}
