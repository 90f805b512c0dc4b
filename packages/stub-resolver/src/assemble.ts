/**
 * The resolver's moving parts, put together from the configuration (DESIGN §8 "Client
 * configuration") and the injected components:
 *
 * - direct: the engine asks the servers over DoH (RFC 8484) — `--direct`, or no relay;
 * - oblivious: with a relay (`relay` in client.json, `--relay URL`), the engine asks
 *   every server, the root too, through it with ODoH (RFC 9230); the direct transport
 *   is kept only for the root bootstrap (privacy/root-bootstrap.ts).
 *
 * Either way, with an issuer and a credential (`issuer`, `issuerAuth`) queries a DP
 * would refuse without a Privacy Pass token carry one (DESIGN §7).
 */
import type { TrustAnchor } from '@mimi/dnssec';
import { isMimiError } from '@mimi/errors';
import { canonicalName } from '@mimi/protocol';
import { TokenClient } from '@mimi/tokens';
import { type CacheStore, createLruCacheStore } from './cache/cache-store.js';
import { TimedCache } from './cache/timed-cache.js';
import type { WaitGraph } from './cache/wait-graph.js';
import { type ClientConfig, readCaFile } from './config.js';
import { DEFAULT_TOKEN_POOL } from './constants.js';
import { rootEndpoint } from './endpoints.js';
import { Engine } from './engine.js';
import { ResolverError } from './errors.js';
import { Exchanger, ServerHealth } from './exchange.js';
import { OdohConfigs } from './privacy/odoh-configs.js';
import { OdohTransport } from './privacy/odoh-transport.js';
import { HttpsRelayClient, type RelayClient } from './privacy/relay-client.js';
import { RootBootstrap } from './privacy/root-bootstrap.js';
import type { TokenSource } from './privacy/tokens.js';
import { DohTransport } from './transport/doh-transport.js';
import { HttpsPools } from './transport/https-pools.js';
import type { Endpoint, Transport } from './transport/transport.js';
import { type RootServers, ZoneTrust } from './zone-trust.js';

export interface CoreComponents {
  readonly transport?: Transport | undefined;
  readonly relay?: RelayClient | undefined;
  readonly tokens?: TokenSource | null | undefined;
  readonly cache?: CacheStore | undefined;
  readonly timeoutMs?: number | undefined;
  readonly retries?: number | undefined;
}

export interface Core {
  readonly apex: string;
  readonly engine: Engine;
  readonly cache: TimedCache;
  close(): Promise<void>;
}

export function assembleCore(
  config: ClientConfig,
  components: CoreComponents,
  anchor: TrustAnchor,
  clock: () => number,
  waits: WaitGraph,
): Core {
  let pools: HttpsPools | undefined;
  let ca: string | undefined;
  let caRead = false;
  const caPem = (): string | undefined => {
    if (!caRead) {
      ca = readCaFile(config);
      caRead = true;
    }
    return ca;
  };
  const sharedPools = (): HttpsPools => {
    pools ??= new HttpsPools({ ca: caPem() });
    return pools;
  };
  const direct = components.transport ?? new DohTransport({ pools: sharedPools() });
  const relayUrl = config.relay ?? undefined;
  const relay =
    components.relay ??
    (relayUrl === undefined ? undefined : new HttpsRelayClient({ url: relayUrl, pools: sharedPools() }));
  const tokens = components.tokens === undefined ? defaultTokens(config, caPem) : components.tokens;
  const ownsTokens = components.tokens === undefined && tokens !== null;

  const cache = new TimedCache(components.cache ?? createLruCacheStore(), clock);
  const timing = {
    ...(components.timeoutMs === undefined ? {} : { timeoutMs: components.timeoutMs }),
    ...(components.retries === undefined ? {} : { retries: components.retries }),
  };
  const roots = config.roots.map(rootEndpoint);
  let engine: Engine;
  let transport: Transport = direct;
  let rootServers: readonly Endpoint[] | RootServers = roots;
  if (relay !== undefined) {
    const bootstrap = new RootBootstrap({ anchor, roots, transport: direct, now: clock, ...timing });
    const configs = new OdohConfigs({
      bootstrap,
      lookup: (name, type, context) => engine.lookup(name, type, context),
      forget: (name, type) => engine.forget(name, type),
      waits,
      now: clock,
    });
    transport = new OdohTransport(relay, configs);
    rootServers = (call) => bootstrap.endpoints(call);
  }
  const exchanger = new Exchanger(transport, new ServerHealth(clock), clock, {
    ...timing,
    tokens: tokens ?? undefined,
    apex: canonicalName(anchor.zone),
  });
  const trust = new ZoneTrust({
    anchor,
    roots: rootServers,
    exchanger,
    cache,
    now: clock,
    lookup: (name, type, context) => engine.lookup(name, type, context),
  });
  engine = new Engine(trust, exchanger, cache, clock);

  return {
    apex: trust.apex,
    engine,
    cache,
    async close() {
      // What the caller handed in is the caller's to close.
      if (ownsTokens) await tokens?.close?.();
      if (components.relay === undefined) await relay?.close();
      if (components.transport === undefined) await direct.close();
      await pools?.close();
    },
  };
}

/** DESIGN §8: "token issuer and the user's credential for it (`issuerAuth`)" — both, or no tokens. */
function defaultTokens(config: ClientConfig, caPem: () => string | undefined): TokenSource | null {
  const issuer = config.issuer ?? undefined;
  const issuerAuth = config.issuerAuth ?? undefined;
  if (issuer === undefined || issuerAuth === undefined) return null;
  try {
    return new TokenClient({
      issuerUrl: issuer,
      issuerAuth,
      ca: caPem(),
      poolSize: config.tokenPool ?? DEFAULT_TOKEN_POOL,
    });
  } catch (cause) {
    const message = isMimiError(cause) ? cause.message : String(cause);
    throw new ResolverError('config-invalid', `issuer: ${message}`, { cause, details: { key: 'issuer' } });
  }
}
