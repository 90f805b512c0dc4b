/**
 * The privacy features of both servers (DESIGN §1 R6, R8; §7), assembled from the
 * common flags:
 *
 * - RFC 8467 padding of DoH responses to padded queries — always on (padding-hook.ts);
 * - `--require-token --token-issuer URL [--token-ca FILE]`: the token check
 *   (token-hook.ts) with a `TokenVerifier` of @mimi/tokens, whose directory is fetched
 *   once before the server listens;
 * - `--odoh-keys FILE`: the ODoH target (odoh-target.ts, odoh-routes.ts) and its
 *   `odoh configs` start-up line.
 *
 * An issuer that cannot be reached at start-up does not keep the server down: the
 * failure is logged, Do53 and names that need no token are served, token-bearing
 * queries are refused with `token-unknown-key` ("directory … not loaded yet"), and the
 * verifier retries in the background.
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_APEX } from '@mimi/protocol';
import { TokenVerifier } from '@mimi/tokens';
import { ServerConfigError } from './errors.js';
import type { CommonFlags } from './flags.js';
import type { QueryHook } from './hooks.js';
import type { HttpsRoute } from './https-listener.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import { odohConfigsRoute, odohQueryRoute } from './odoh-routes.js';
import { OdohTarget } from './odoh-target.js';
import { paddingHook } from './padding-hook.js';
import type { QueryPipeline } from './pipeline.js';
import { tokenHook } from './token-hook.js';

export interface PrivacyFeatures {
  readonly hooks: readonly QueryHook[];
  /** Routes that need the pipeline (the ODoH target answers through it). */
  readonly pipelineRoutes: readonly ((pipeline: QueryPipeline) => HttpsRoute)[];
  readonly routes: readonly HttpsRoute[];
  readonly odoh: OdohTarget | null;
  readonly verifier: TokenVerifier | null;
  /** Start background work (key rotation) once the server listens. */
  start(): void;
  close(): Promise<void>;
}

export interface PrivacyOptions {
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  /** The network apex whose CSI subtrees need tokens. */
  readonly apex?: string;
}

export async function setupPrivacy(
  flags: Pick<CommonFlags, 'odohKeys' | 'tokens'>,
  options: PrivacyOptions,
): Promise<PrivacyFeatures> {
  const { logger, metrics } = options;
  // Files first (cheap, exit 2 when wrong), then the network (the issuer's directory).
  let odoh: OdohTarget | null = null;
  if (flags.odohKeys !== null) {
    odoh = await OdohTarget.open({ file: flags.odohKeys, logger });
    odoh.announce(false);
  }
  const hooks: QueryHook[] = [];
  let verifier: TokenVerifier | null = null;
  let stopRetry: () => void = () => undefined;
  if (flags.tokens !== null) {
    const ca = flags.tokens.caFile === null ? undefined : await readCa(flags.tokens.caFile);
    verifier = new TokenVerifier({ issuerUrl: flags.tokens.issuerUrl, ca });
    stopRetry = await loadDirectory(verifier, flags.tokens.issuerUrl, logger);
    hooks.push(tokenHook({ verifier, apex: options.apex ?? DEFAULT_APEX, registry: metrics.registry }));
  }
  hooks.push(paddingHook());
  const target = odoh;
  return {
    hooks,
    pipelineRoutes: target === null ? [] : [(pipeline) => odohQueryRoute(target, pipeline, metrics.registry)],
    routes: target === null ? [] : [odohConfigsRoute(target)],
    odoh,
    verifier,
    start: () => target?.start(),
    async close() {
      target?.stop();
      stopRetry();
      await verifier?.close();
    },
  };
}

/** How often start-up retries an issuer it could not reach (the verifier retries too). */
const DIRECTORY_RETRY_MS = 30_000;

/**
 * Fetch the issuer's directory once before listening. On failure, log it and keep trying
 * in the background until a fetch succeeds, then log that; returns the function that
 * stops trying.
 */
async function loadDirectory(verifier: TokenVerifier, issuer: string, logger: Logger): Promise<() => void> {
  try {
    await verifier.refresh();
    logger.info({ issuer }, 'token issuer directory loaded');
    return () => undefined;
  } catch (err) {
    logger.error(
      { err, issuer },
      'token issuer directory unavailable; token-bearing queries are refused until it loads',
    );
  }
  let timer: NodeJS.Timeout | null = null;
  const retry = () => {
    timer = setTimeout(() => {
      verifier.refresh().then(
        () => {
          timer = null;
          logger.info({ issuer }, 'token issuer directory loaded');
        },
        () => retry(),
      );
    }, DIRECTORY_RETRY_MS);
    timer.unref();
  };
  retry();
  return () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new ServerConfigError('token-ca-unreadable', `cannot read token ca file ${file}`, { cause });
  }
}
