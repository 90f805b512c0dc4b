/**
 * The DP's double-spend store (RFC 9576 §3.5 / RFC 9577 §2.2: an origin "MUST ... check
 * that the token has not been redeemed before"; DESIGN §7: once per DP, kept per epoch).
 * Nonces are kept per token key; a key's set is dropped when the key's epoch ends,
 * since no token of that key can be accepted after that. Each set is bounded: when
 * full, spending fails (the caller refuses the token) rather than forgetting old
 * nonces, which would let them be replayed.
 *
 * Keyed by the nonce, not the whole token: RSASSA-PSS signatures are randomized, so one
 * token input may carry several valid authenticators.
 */

/** Default bound per key: ≈ 100 bytes each, so ≈ 50 MB for a key at the limit. */
export const DEFAULT_MAX_SPENT_PER_KEY = 500_000;

export type SpendOutcome = 'fresh' | 'replayed' | 'full';

export class SpentTokenStore {
  private readonly byKey = new Map<string, Set<string>>();

  constructor(private readonly maxPerKey = DEFAULT_MAX_SPENT_PER_KEY) {}

  /** Record `nonce` as spent under `keyId` (hex); tells whether it was new. */
  spend(keyId: string, nonce: Uint8Array): SpendOutcome {
    let spent = this.byKey.get(keyId);
    if (spent === undefined) {
      spent = new Set();
      this.byKey.set(keyId, spent);
    }
    // 32 octets as a 32-character latin1 string: the smallest exact key a Set takes.
    const entry = Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength).toString('latin1');
    if (spent.has(entry)) return 'replayed';
    if (spent.size >= this.maxPerKey) return 'full';
    spent.add(entry);
    return 'fresh';
  }

  /** Forget every key not in `live` (their epochs are over). */
  retainOnly(live: ReadonlySet<string>): void {
    for (const keyId of this.byKey.keys()) if (!live.has(keyId)) this.byKey.delete(keyId);
  }

  /** Spent nonces kept for `keyId`. */
  count(keyId: string): number {
    return this.byKey.get(keyId)?.size ?? 0;
  }

  get keys(): readonly string[] {
    return [...this.byKey.keys()];
  }
}
