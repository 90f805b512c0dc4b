/**
 * The QueryEngine both servers run (servers-common.md): served zones with their keys
 * (DNSKEY at each apex, DESIGN §5), the mapping store's RRsets for names in CSI
 * subtrees (DESIGN §4), the pure lookup, the online signer and the answer builder.
 *
 * Signing happens when data arrives, not when it is asked for: every zone RRset is
 * signed at load and reload; the store's mapping RRsets are signed by a background pass
 * started then (store-signer.ts: small chunks, the event loop keeps answering, an owner
 * asked for before the pass reaches it is signed on demand); a store change re-signs
 * the touched owner's RRsets before listeners hear of it; `refreshSignatures` re-signs
 * what comes due, ahead of time and spread out. Answers reuse those signatures. Only
 * denials of names never seen before cost a signature on the query path, and the signer
 * keeps those too.
 */
import { loadOrCreateZoneKey, type ZoneKey } from '@mimi/dnssec';
import { CLASS_IN, canonicalName, type RRset, RRType } from '@mimi/protocol';
import { buildResponse, recordlessResponse } from './answer/answer-builder.js';
import { type QueryEngine, type QuestionKey, Rcode, type ResponseSections } from './answer/response.js';
import { type DynamicRRsets, lookup } from './lookup.js';
import { Lru } from './signer/lru.js';
import { OnlineSigner, type OnlineSignerOptions } from './signer/online-signer.js';
import { type OwnerSigned, type SigningPassReport, StoreSigner } from './signer/store-signer.js';
import type { MappingRRsets, MappingStore } from './store/mapping-store.js';
import { loadZones } from './zone/load.js';
import type { Zone } from './zone/zone.js';
import { ZoneSet } from './zone/zone-set.js';

/** Default TTL of the DNSKEY RRset (keys "may live longer" than mapping data, DESIGN §5). */
export const DEFAULT_DNSKEY_TTL = 3600;
/**
 * Owner names whose mapping RRsets are kept decoded between store changes: the recently
 * asked ones (their other types are often asked next). Bounded, not one per owner: the
 * answer cache keeps the finished answers, and a decoded RRset costs several heap
 * objects, which every major collection of the heap has to mark.
 */
const MAPPING_CACHE_ENTRIES = 10_000;

export type KeyProvider = (apex: string) => Promise<ZoneKey>;

export interface AuthorityEngineOptions {
  /** `--zone FILE...`: zone files and overlays, in command-line order. */
  readonly zoneFiles: readonly string[];
  /** `--key-dir`: one key per zone, created on first start. Or give `keyProvider`. */
  readonly keyDir?: string;
  readonly keyProvider?: KeyProvider;
  /** The authoritative DP's mapping store (none for the root DP). */
  readonly store?: MappingStore;
  /** Apex of the discovery network (DESIGN §3); default `mimi.arpa.`. */
  readonly networkApex?: string;
  readonly dnskeyTtl?: number;
  readonly signer?: OnlineSigner | OnlineSignerOptions;
  /** Unix seconds, for signing at load and on store changes; default the system clock. */
  readonly clock?: () => number;
  /** Sign the store's RRsets in the background at load and reload (default true). */
  readonly presignStore?: boolean;
  /** Between chunks of a background pass (tests step it); default setImmediate. */
  readonly yieldNow?: () => Promise<void>;
}

interface Served {
  readonly zones: ZoneSet;
  readonly keys: ReadonlyMap<string, ZoneKey>;
}

/** RFC 9824 §3.5 (NXNAME), RFC 6891 §6.1.1 (OPT is no question): FORMERR. */
const FORMERR_QTYPES = new Set<number>([0, RRType.OPT, RRType.NXNAME]);
/** RFC 5936 §4.2: zone transfers are refused (none are offered). */
const REFUSED_QTYPES = new Set<number>([251 /* IXFR */, 252 /* AXFR */]);

function qtypeRcode(qtype: number): number | undefined {
  if (FORMERR_QTYPES.has(qtype)) return Rcode.FORMERR;
  if (REFUSED_QTYPES.has(qtype)) return Rcode.REFUSED;
  // RRSIGs are served with the data they cover, never on their own; other meta-types
  // (RFC 6895 §3.1: 128–254, TKEY/TSIG, MAILA/MAILB) are not implemented here.
  if (qtype === RRType.RRSIG || (qtype >= 128 && qtype <= 254)) return Rcode.NOTIMP;
  return undefined;
}

export class AuthorityEngine implements QueryEngine {
  private served: Served;
  private readonly signer: OnlineSigner;
  private readonly listeners: ((names: string[]) => void)[] = [];
  private readonly mappingCache = new Lru<string, MappingRRsets>(MAPPING_CACHE_ENTRIES);
  private readonly clock: () => number;
  private readonly storeSigner: StoreSigner | undefined;

  /** Load zones and keys, sign the zones, start signing the store, and watch it. */
  static async create(options: AuthorityEngineOptions): Promise<AuthorityEngine> {
    const engine = new AuthorityEngine(options, await AuthorityEngine.load(options));
    return engine;
  }

  private constructor(
    private readonly options: AuthorityEngineOptions,
    served: Served,
  ) {
    this.signer = options.signer instanceof OnlineSigner ? options.signer : new OnlineSigner(options.signer);
    this.clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
    this.served = served;
    this.presign(this.clock());
    const store = options.store;
    if (store !== undefined) {
      this.storeSigner = new StoreSigner({
        store,
        signer: this.signer,
        clock: this.clock,
        signOwner: (owner, now, renewAt) =>
          this.signOwner(owner, store.rrsetsAt(owner, now).rrsets, now, renewAt),
        yieldNow: options.yieldNow,
      });
      if (options.presignStore ?? true) void this.storeSigner.fullPass('load');
      store.onChange((owners) => this.storeChanged(owners));
    }
  }

  private static async load(options: AuthorityEngineOptions): Promise<Served> {
    const networkApex = options.networkApex ?? 'mimi.arpa.';
    const loaded = await loadZones(options.zoneFiles, { networkApex });
    const provider = options.keyProvider ?? defaultKeyProvider(options.keyDir);
    const keys = new Map<string, ZoneKey>();
    const zones: Zone[] = [];
    for (const zone of loaded.all()) {
      const key = await provider(zone.apex);
      keys.set(zone.apex, key);
      const dnskey: RRset = {
        name: zone.apex,
        type: RRType.DNSKEY,
        class: CLASS_IN,
        ttl: options.dnskeyTtl ?? DEFAULT_DNSKEY_TTL,
        rdatas: [key.dnskeyRdata],
      };
      zones.push(zone.withRRsets([dnskey]));
    }
    return { zones: new ZoneSet(zones), keys };
  }

  answer(question: QuestionKey, dnssecOk: boolean, now: number): ResponseSections {
    const qname = question.name;
    const qtype = question.type;
    const { zones } = this.served;
    let changesAt: number | undefined;
    const base = {
      qname,
      qtype,
      dnssecOk,
      now,
      signer: this.signer,
      keyOf: (zone: Zone) => this.keyOf(zone),
    };
    const policy = qtypeRcode(qtype);
    if (policy !== undefined) return recordlessResponse(base, policy);
    const dynamic: DynamicRRsets | undefined =
      this.options.store === undefined
        ? undefined
        : (_zone, name) => {
            const found = this.mappingsAt(name, now);
            changesAt = found.changesAt;
            return found.rrsets;
          };
    const result = lookup(zones, qname, qtype, dynamic);
    return buildResponse(result, { ...base, changesAt });
  }

  onChange(listener: (names: string[]) => void): void {
    this.listeners.push(listener);
  }

  /** Re-read every zone file and key; the new zones replace the old ones at once. */
  async reload(): Promise<void> {
    const before = this.served.zones.apexes();
    this.served = await AuthorityEngine.load(this.options);
    this.mappingCache.clear();
    this.presign(this.clock());
    if (this.options.presignStore ?? true) void this.storeSigner?.fullPass('reload');
    // Any name may have changed (delegations too): listeners should drop everything;
    // the apexes are named so that a per-name cache drops at least the zone data.
    this.emit([...new Set([...before, ...this.served.zones.apexes()])]);
  }

  zones(): string[] {
    return this.served.zones.apexes();
  }

  /**
   * True when a served zone holds `name` itself (not below one of its delegations): the
   * management API's "not-served-here" check (DESIGN §7) before it verifies anything.
   */
  isAuthoritativeFor(name: string): boolean {
    const owner = canonicalName(name);
    const zone = this.served.zones.find(owner);
    return zone !== undefined && zone.cutAtOrAbove(owner) === undefined;
  }

  /** The key of each served zone (for DS lines and trust anchors). */
  zoneKeys(): ReadonlyMap<string, ZoneKey> {
    return this.served.keys;
  }

  /**
   * Re-sign every zone RRset whose signature is due, and start a background pass over the
   * store owners due within the hour (a timer calls this off the query path). Returns
   * that pass, if one started.
   */
  refreshSignatures(now: number): Promise<SigningPassReport> | undefined {
    this.presign(now);
    return this.storeSigner?.refreshDue(now);
  }

  /** The last background pass over the store (the load or reload pass, or a refresh). */
  signingPass(): Promise<SigningPassReport> | undefined {
    return this.storeSigner?.lastPass();
  }

  /** Stop background signing (server shutdown, before the store closes). */
  close(): void {
    this.storeSigner?.close();
  }

  private presign(now: number): void {
    for (const zone of this.served.zones.all()) {
      const key = this.keyOf(zone);
      for (const rrset of zone.authoritativeRRsets()) this.signer.sign(rrset, key, now);
    }
  }

  private keyOf(zone: Zone): ZoneKey {
    const key = this.served.keys.get(zone.apex);
    if (key === undefined) throw new TypeError(`no key loaded for zone ${zone.apex}`);
    return key;
  }

  private mappingsAt(owner: string, now: number): MappingRRsets {
    const cached = this.mappingCache.get(owner);
    if (cached !== undefined && (cached.changesAt === undefined || now < cached.changesAt)) return cached;
    const fresh = this.options.store!.rrsetsAt(owner, now);
    this.mappingCache.set(owner, fresh);
    return fresh;
  }

  /** Sign the store RRsets at `owner` (when a zone here holds it); for the refresh schedule. */
  private signOwner(owner: string, rrsets: readonly RRset[], now: number, renewAt: number): OwnerSigned {
    const zone = this.served.zones.find(owner);
    if (zone === undefined || zone.cutAtOrAbove(owner) !== undefined)
      return { rrsets: 0, refreshAt: undefined };
    const key = this.keyOf(zone);
    let refreshAt: number | undefined;
    for (const rrset of rrsets) {
      const signed = this.signer.sign(rrset, key, now, renewAt);
      refreshAt = refreshAt === undefined ? signed.refreshAt : Math.min(refreshAt, signed.refreshAt);
    }
    return { rrsets: rrsets.length, refreshAt };
  }

  /** Re-sign the touched owners' RRsets, then tell listeners (server-core's cache). */
  private storeChanged(owners: string[]): void {
    const now = this.clock();
    const touched = owners.map((owner) => canonicalName(owner));
    for (const owner of touched) this.mappingCache.delete(owner);
    try {
      for (const owner of touched) {
        const signed = this.signOwner(owner, this.mappingsAt(owner, now).rrsets, now, now);
        this.storeSigner?.note(owner, signed);
      }
    } catch {
      // The change is committed whatever happens here, so the publisher still gets its
      // success; an RRset left unsigned is signed (or fails loudly) on its first query.
    }
    this.emit(touched);
  }

  private emit(names: string[]): void {
    for (const listener of this.listeners) listener(names);
  }
}

function defaultKeyProvider(keyDir: string | undefined): KeyProvider {
  if (keyDir === undefined) throw new TypeError('authority engine needs keyDir or keyProvider');
  return async (apex) => (await loadOrCreateZoneKey(keyDir, apex)).key;
}
