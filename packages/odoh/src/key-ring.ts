/**
 * A target's key ring: the current key, which its published ObliviousDoHConfigs name,
 * and the previous one, still accepted for an overlap window after a rotation so that
 * clients holding the old config (a cached ODOHCFG record or /.well-known/odohconfigs
 * answer) keep working until their copy expires. RFC 9230 §5: "It is RECOMMENDED that
 * servers rotate keys every day."
 *
 * The clock is injected (`now`, milliseconds); nothing here reads the wall clock or
 * starts a timer — the caller decides when to call `rotateIfDue()`.
 */
import { encodeConfigs } from './config.js';
import { OdohError } from './errors.js';
import { equalBytes, generateTargetKey, type TargetKey, type TargetKeys } from './target-key.js';

/** RFC 9230 §5: "rotate keys every day". */
export const DEFAULT_ROTATION_INTERVAL_MS = 24 * 3_600_000;
/**
 * How long the previous key keeps working after a rotation. It must outlast every copy
 * of the old config: publish ODOHCFG with a TTL, and /.well-known/odohconfigs with a
 * max-age, of at most half of it (`maxConfigAgeSeconds`).
 */
export const DEFAULT_OVERLAP_MS = 6 * 3_600_000;

export interface KeyRingEntry {
  readonly key: TargetKey;
  /** When the key became current (ms since the epoch). */
  readonly createdAt: number;
  /** When a newer key replaced it; absent for the current key. */
  readonly retiredAt?: number;
}

export interface KeyRingOptions {
  readonly now?: () => number;
  readonly rotationIntervalMs?: number;
  readonly overlapMs?: number;
  /** Key source (tests inject fixed keys). */
  readonly generate?: () => TargetKey;
}

export class OdohKeyRing implements TargetKeys {
  private currentEntry: KeyRingEntry;
  private previousEntry: KeyRingEntry | undefined;
  private readonly now: () => number;
  private readonly generate: () => TargetKey;
  readonly rotationIntervalMs: number;
  readonly overlapMs: number;

  constructor(current: KeyRingEntry, previous: KeyRingEntry | undefined, options: KeyRingOptions = {}) {
    this.now = options.now ?? Date.now;
    this.generate = options.generate ?? generateTargetKey;
    this.rotationIntervalMs = options.rotationIntervalMs ?? DEFAULT_ROTATION_INTERVAL_MS;
    this.overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
    if (!(this.rotationIntervalMs > 0) || !(this.overlapMs >= 0)) {
      throw new OdohError('odoh-key-ring', 'odoh key ring: rotation interval must be > 0 and overlap ≥ 0');
    }
    if (current.retiredAt !== undefined) {
      throw new OdohError('odoh-key-ring', 'odoh key ring: the current key cannot be retired');
    }
    if (previous !== undefined && previous.retiredAt === undefined) {
      throw new OdohError('odoh-key-ring', 'odoh key ring: the previous key needs its retirement time');
    }
    this.currentEntry = current;
    this.previousEntry = previous;
  }

  /** A ring with one fresh key, current from now. */
  static generate(options: KeyRingOptions = {}): OdohKeyRing {
    const now = (options.now ?? Date.now)();
    const key = (options.generate ?? generateTargetKey)();
    return new OdohKeyRing({ key, createdAt: now }, undefined, options);
  }

  get current(): KeyRingEntry {
    return this.currentEntry;
  }

  /** The previous key while its overlap window lasts, else undefined. */
  get previous(): KeyRingEntry | undefined {
    const previous = this.previousEntry;
    if (previous === undefined || this.now() >= previous.retiredAt! + this.overlapMs) return undefined;
    return previous;
  }

  findKey(keyId: Uint8Array): TargetKey | undefined {
    if (equalBytes(keyId, this.currentEntry.key.keyId)) return this.currentEntry.key;
    const previous = this.previous;
    if (previous !== undefined && equalBytes(keyId, previous.key.keyId)) return previous.key;
    return undefined;
  }

  /** The current key becomes the previous one; a fresh key becomes current. */
  rotate(): void {
    const now = this.now();
    this.previousEntry = {
      key: this.currentEntry.key,
      createdAt: this.currentEntry.createdAt,
      retiredAt: now,
    };
    this.currentEntry = { key: this.generate(), createdAt: now };
  }

  get nextRotationAt(): number {
    return this.currentEntry.createdAt + this.rotationIntervalMs;
  }

  /** Rotate when the current key has served its interval; true when it did. */
  rotateIfDue(): boolean {
    if (this.now() < this.nextRotationAt) return false;
    this.rotate();
    return true;
  }

  /**
   * The ObliviousDoHConfigs to publish (ODOHCFG RDATA at `_odoh.<host>` and the body of
   * /.well-known/odohconfigs): the current key only — the previous one is still
   * accepted, but no client should pick it up any more.
   */
  configs(): Uint8Array {
    return encodeConfigs([this.currentEntry.key.config]);
  }

  /** The longest a published copy of `configs()` may be cached (TTL / max-age), in seconds. */
  get maxConfigAgeSeconds(): number {
    return Math.floor(this.overlapMs / 2000);
  }

  /** Entries worth keeping on disk: the current one, and the previous one inside its window. */
  entries(): KeyRingEntry[] {
    const previous = this.previous;
    return previous === undefined ? [this.currentEntry] : [this.currentEntry, previous];
  }
}
