/**
 * CSIP keys for the management API (DESIGN §4 "Verification rules": "a CSIPKEY record
 * at `<att.csip>.csip.<apex>` (DNSSEC-validated; the record itself is unsigned)"),
 * fetched through the stub resolver (DESIGN §8: "`mimi-authoritative` resolves CSIP
 * keys with the stub, configured by `--resolver-config`").
 *
 * The configuration is read lazily, at the first request that needs a key — the demo
 * writes client.json only after the root has started, which may be after this server —
 * and again after `reload()` (SIGHUP). A missing or bad file, or a lookup that is
 * unreachable or bogus, is our problem, not the publisher's: `unavailable` (503).
 */
import { isMimiError } from '@mimi/errors';
import type { CsipKeyRecord } from '@mimi/protocol';
import {
  type ClientConfig,
  createResolver,
  type Logger,
  loadClientConfig,
  type Resolver,
} from '@mimi/stub-resolver';
import { apiError } from './api/api-errors.js';

export interface CsipKeySource {
  /** The validated CSIPKEY records of `csipId` (empty when it has none). */
  fetch(csipId: string): Promise<CsipKeyRecord[]>;
  /** Forget the resolver; the next fetch re-reads the configuration file. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export type ResolverFactory = (config: ClientConfig) => Resolver;

export class ResolverCsipKeys implements CsipKeySource {
  private resolver: Resolver | null = null;

  constructor(
    private readonly configPath: string,
    logger?: Logger,
    private readonly makeResolver: ResolverFactory = (config) =>
      createResolver(config, logger === undefined ? {} : { logger }),
  ) {}

  async fetch(csipId: string): Promise<CsipKeyRecord[]> {
    const resolver = this.open();
    try {
      return await resolver.fetchCsipKeys(csipId);
    } catch (cause) {
      const reason = isMimiError(cause) ? `${cause.code}: ${cause.message}` : String(cause);
      throw apiError('unavailable', `csip keys of '${csipId}' cannot be fetched now (${reason})`, { cause });
    }
  }

  async reload(): Promise<void> {
    const old = this.resolver;
    this.resolver = null;
    await old?.close();
  }

  async close(): Promise<void> {
    await this.reload();
  }

  private open(): Resolver {
    if (this.resolver !== null) return this.resolver;
    let config: ClientConfig;
    try {
      config = loadClientConfig(this.configPath);
      this.resolver = this.makeResolver(config);
    } catch (cause) {
      const reason = isMimiError(cause) ? cause.message : String(cause);
      throw apiError('unavailable', `resolver configuration cannot be used: ${reason}`, { cause });
    }
    return this.resolver;
  }
}
