/**
 * @mimi/authority: the zone model, lookup, online signer, answer builder and mapping
 * store shared by the root and authoritative DPs (servers-common.md, DESIGN §4, §5).
 */

export {
  type BuildContext,
  buildResponse,
  MAX_KEEP_SECONDS,
  RECORDLESS_CACHE_SECONDS,
  recordlessResponse,
} from './answer/answer-builder.js';
export { type QueryEngine, type QuestionKey, Rcode, type ResponseSections } from './answer/response.js';
export {
  AuthorityEngine,
  type AuthorityEngineOptions,
  DEFAULT_DNSKEY_TTL,
  type KeyProvider,
} from './authority-engine.js';
export * from './constants.js';
export { MappingStoreError, ZoneLoadError } from './errors.js';
export { type AdditionalRRset, type DynamicRRsets, type LookupResult, lookup } from './lookup.js';
export { Lru } from './signer/lru.js';
export {
  type DenialKind,
  denialRecord,
  jitterOf,
  OnlineSigner,
  type OnlineSignerOptions,
  rrsetRecords,
  type SignedRRset,
  type SignFunction,
} from './signer/online-signer.js';
export { RefreshSchedule } from './signer/refresh-schedule.js';
export {
  OWNERS_PER_CHUNK,
  type OwnerSigned,
  REFRESH_LEAD_SECONDS,
  type SigningPassOutcome,
  type SigningPassReason,
  type SigningPassReport,
  StoreSigner,
  type StoreSignerOptions,
} from './signer/store-signer.js';
export type {
  AcceptedChange,
  ChangeKind,
  ChangeListener,
  ChangeResult,
  MappingRRsets,
  MappingStore,
  StoredMapping,
} from './store/mapping-store.js';
export { MemoryMappingStore } from './store/memory-mapping-store.js';
export { enumView } from './store/naptr-view.js';
export type { StoreOptions } from './store/rule-store.js';
export { SCHEMA_VERSION } from './store/schema.js';
export { SqliteMappingStore } from './store/sqlite-mapping-store.js';
export {
  type CsiState,
  type Decision,
  decidePublish,
  decideRemoval,
  decideUnassignment,
  type KeyGuard,
  type StateChange,
} from './store/state-rules.js';
export { assembleZones, type ZoneSource } from './zone/assemble.js';
export { type LoadZonesOptions, loadZones } from './zone/load.js';
export { Zone } from './zone/zone.js';
export { ZoneSet } from './zone/zone-set.js';
