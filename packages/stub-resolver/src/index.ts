/**
 * @mimi/stub-resolver — the caching, validating stub resolver of MIMI discovery
 * (DESIGN §2, §5–§8). See docs/EMBEDDING.md.
 */
export { type CacheEntry, type CacheStore, createLruCacheStore } from './cache/cache-store.js';
export { type ClientConfig, loadClientConfig, parseClientConfig, readCaFile } from './config.js';
export { abortError, ResolverError } from './errors.js';
export { BogusError, UnreachableError } from './outcomes.js';
export {
  type ConfigRequest,
  type OdohConfigSource,
  OdohConfigs,
} from './privacy/odoh-configs.js';
export { OdohTransport, relayTarget } from './privacy/odoh-transport.js';
export {
  HttpsRelayClient,
  type HttpsRelayClientOptions,
  MAX_ODOH_MESSAGE_OCTETS,
  type RelayAnswer,
  type RelayClient,
  type RelayTarget,
} from './privacy/relay-client.js';
export { type TokenSource, tokenLabel, tokenNeeded, tokenRefusalCode } from './privacy/tokens.js';
export {
  type CallOptions,
  createResolver,
  type Delegation,
  type Logger,
  type ResolveManyOptions,
  type ResolveOptions,
  type Resolver,
  type ResolverComponents,
} from './resolver.js';
export {
  formatExpires,
  type ResolveResult,
  type ResolveStatus,
  type ResultMapping,
  type ResultMsp,
  type ResultPolicy,
  reasonCode,
  resultToJson,
} from './result.js';
export { type SelectedMsp, type SelectOptions, selectMsp } from './select.js';
export type { TraceEvent, TraceServer } from './trace.js';
export { DohTransport, type DohTransportOptions } from './transport/doh-transport.js';
export { HttpsPools, type HttpsPoolsOptions } from './transport/https-pools.js';
export { type Endpoint, endpointKey, type SendOptions, type Transport } from './transport/transport.js';
