/**
 * A server's Oblivious DoH target keys (RFC 9230 §5, §8): the `--odoh-keys` key ring
 * file (created mode 0600 when missing, refused when group or others may read it),
 * rotation on a timer with the library's overlap window (@mimi/odoh `OdohKeyRing`:
 * daily, the previous key accepted for 6 h more), and the announcement of the configs to
 * publish.
 *
 * RFC 9230 §5: "It is RECOMMENDED that servers rotate keys every day." The configs name
 * the current key only; they go to two places, both fed from here: the body of
 * `GET /.well-known/odohconfigs` (odoh-routes.ts) and, through the operator or the demo,
 * the ODOHCFG record (type 65282) at `_odoh.<host>` (DESIGN §4, §7). For the latter the
 * server logs one `odoh configs` line at start and after every rotation:
 *
 *   {"msg":"odoh configs","configs":"<base64url>","keyId":"<hex>","ttl":10800,"rotatesAt":"…","rotated":false}
 *
 * `ttl` is the longest a copy may be cached (TTL of the record, max-age of the HTTPS
 * answer): half the overlap, so every copy expires while its key still opens queries.
 */
import {
  type KeyRingOptions,
  loadOrCreateKeyRing,
  OdohError,
  type OdohKeyRing,
  writeKeyRingFile,
} from '@mimi/odoh';
import { ServerConfigError } from './errors.js';
import type { Logger } from './logger.js';

/** setTimeout takes at most 2^31 − 1 ms; a longer wait is re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Never re-check sooner than this (a clock that jumps back must not spin the timer). */
const MIN_TIMER_MS = 1000;

export interface OdohTargetOptions extends KeyRingOptions {
  /** The key ring file (`--odoh-keys`). */
  readonly file: string;
  readonly logger: Logger;
}

export class OdohTarget {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(
    readonly ring: OdohKeyRing,
    private readonly file: string,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /**
   * Load (or create) the key ring; a key that came due while the server was down is
   * rotated now. File problems are `ServerConfigError`s (exit 2 at start-up).
   */
  static async open(options: OdohTargetOptions): Promise<OdohTarget> {
    let ring: OdohKeyRing;
    try {
      ring = await loadOrCreateKeyRing(options.file, options);
    } catch (err) {
      if (err instanceof OdohError) throw new ServerConfigError(err.code, err.message, { cause: err });
      throw err;
    }
    const target = new OdohTarget(ring, options.file, options.logger, options.now ?? Date.now);
    if (ring.rotateIfDue()) await target.persist();
    return target;
  }

  /** The ObliviousDoHConfigs bytes to publish (RFC 9230 §6: current key only). */
  configs(): Uint8Array {
    return this.ring.configs();
  }

  /** Seconds a published copy of the configs may be cached (ODOHCFG TTL, max-age). */
  get maxConfigAgeSeconds(): number {
    return this.ring.maxConfigAgeSeconds;
  }

  /** Log the `odoh configs` line (see the module comment). */
  announce(rotated: boolean): void {
    this.logger.info(
      {
        configs: Buffer.from(this.ring.configs()).toString('base64url'),
        keyId: Buffer.from(this.ring.current.key.keyId).toString('hex'),
        ttl: this.ring.maxConfigAgeSeconds,
        rotatesAt: new Date(this.ring.nextRotationAt).toISOString(),
        rotated,
      },
      'odoh configs',
    );
  }

  /** Rotate when due: write the ring (before announcing it) and log the new configs. */
  async rotateIfDue(): Promise<boolean> {
    if (!this.ring.rotateIfDue()) return false;
    await this.persist();
    this.announce(true);
    return true;
  }

  /** Arm the rotation timer (unref'd: it never keeps the process alive). */
  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.stopped) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(MIN_TIMER_MS, this.ring.nextRotationAt - this.now()));
    this.timer = setTimeout(() => {
      this.rotateIfDue()
        .catch((err: unknown) => this.logger.error({ err }, 'odoh key rotation failed'))
        .finally(() => this.arm());
    }, wait);
    this.timer.unref();
  }

  /**
   * Write the ring. A failure is logged, not thrown: the new key serves from memory,
   * and after a restart the old file's key is rotated again (clients refetch on 401).
   */
  private async persist(): Promise<void> {
    try {
      await writeKeyRingFile(this.file, this.ring);
    } catch (err) {
      this.logger.error({ err, file: this.file }, 'odoh key ring could not be written');
    }
  }
}
