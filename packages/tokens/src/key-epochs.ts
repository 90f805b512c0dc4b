/**
 * Which of an issuer's keys a DP accepts now (DESIGN §7: "accepts the current and the
 * previous epoch's keys"). From the directory's keys whose `not-before` has come (with
 * DESIGN §4's 300 s of clock skew), the newest is the current epoch's and the next the
 * previous one's; anything older, and any key that has left the directory since we saw
 * it, belongs to an expired epoch. A key whose `not-before` is still ahead is not
 * accepted yet (RFC 9578 §4: "Clients SHOULD NOT use a token key before this timestamp").
 */
import { CLOCK_SKEW_MS } from './constants.js';
import type { DirectoryKey, IssuerDirectory } from './directory.js';

/** Keys accepted at once: the current epoch's and the previous one's. */
export const ACCEPTED_EPOCHS = 2;
/** How many retired key ids we remember to say "expired" rather than "unknown". */
const RETIRED_MEMORY = 64;

export type KeyStanding =
  | { readonly standing: 'accepted'; readonly key: DirectoryKey }
  | { readonly standing: 'expired' }
  | { readonly standing: 'not-yet-valid'; readonly notBefore: number }
  | { readonly standing: 'unknown' };

export function keyIdHex(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}

export class KeyEpochs {
  private directory: IssuerDirectory | null = null;
  /** Retired key ids, oldest first (a Map keeps insertion order). */
  private readonly retired = new Map<string, true>();

  get loaded(): boolean {
    return this.directory !== null;
  }

  /** Install a newer directory; keys that left it are remembered as retired. */
  install(directory: IssuerDirectory): void {
    const listed = new Set(directory.keys.map((key) => keyIdHex(key.id)));
    for (const key of this.directory?.keys ?? []) {
      const id = keyIdHex(key.id);
      if (!listed.has(id)) this.retire(id);
    }
    for (const id of listed) this.retired.delete(id);
    this.directory = directory;
  }

  /** The accepted keys at `nowMs`, newest first. */
  accepted(nowMs: number): DirectoryKey[] {
    return this.eligible(nowMs).slice(0, ACCEPTED_EPOCHS);
  }

  standingOf(id: Uint8Array, nowMs: number): KeyStanding {
    const hex = keyIdHex(id);
    if (this.retired.has(hex)) return { standing: 'expired' };
    const listed = this.directory?.keys.find((key) => keyIdHex(key.id) === hex);
    if (listed === undefined) return { standing: 'unknown' };
    const eligible = this.eligible(nowMs);
    const rank = eligible.indexOf(listed);
    if (rank === -1) return { standing: 'not-yet-valid', notBefore: listed.notBefore ?? 0 };
    return rank < ACCEPTED_EPOCHS ? { standing: 'accepted', key: listed } : { standing: 'expired' };
  }

  /** Keys whose not-before has come, newest not-before first (a key without one is oldest). */
  private eligible(nowMs: number): DirectoryKey[] {
    const keys = (this.directory?.keys ?? []).filter(
      (key) => key.notBefore === null || key.notBefore * 1000 <= nowMs + CLOCK_SKEW_MS,
    );
    // Stable sort: equal not-before values keep the issuer's order of preference.
    return keys.sort((a, b) => (b.notBefore ?? -1) - (a.notBefore ?? -1));
  }

  private retire(id: string): void {
    this.retired.delete(id);
    this.retired.set(id, true);
    while (this.retired.size > RETIRED_MEMORY) {
      const oldest = this.retired.keys().next().value as string;
      this.retired.delete(oldest);
    }
  }
}
