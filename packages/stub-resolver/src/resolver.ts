/**
 * The resolver an MSP embeds (DESIGN §2 "stub resolver: walks root → authoritative,
 * validates everything, caches"): `createResolver(config, components)` in the style of
 * `createX(init, components)` — transport, clock, cache store and logger injectable.
 *
 * `resolve(csi)` returns one of the five DESIGN §6 outcomes in the §8 JSON shape and
 * never a mapping whose chain, attestation and recipient signature were not all
 * checked. Bad input (a CSI that does not normalize) throws CsiError before any lookup;
 * aborts throw ResolverError `aborted`; everything the network does is a result.
 */

import { parseTrustAnchor, type TrustAnchor } from '@mimi/dnssec';
import { isMimiError, type MimiError } from '@mimi/errors';
import { type CsipKeyRecord, csiOwnerName, decodeCsipKeyRecord, normalizeCsi, RRType } from '@mimi/protocol';
import { assembleCore } from './assemble.js';
import type { CacheStore } from './cache/cache-store.js';
import { WaitGraph } from './cache/wait-graph.js';
import type { ClientConfig } from './config.js';
import { ResolverError } from './errors.js';
import { checkMappings } from './mappings.js';
import { zoneInsideCsiSubtree } from './minimise.js';
import { BogusError, UnreachableError } from './outcomes.js';
import type { RelayClient } from './privacy/relay-client.js';
import type { TokenSource } from './privacy/tokens.js';
import { mapBounded } from './resolve-many.js';
import { formatReason, type ResolveResult, statusOfMappings } from './result.js';
import type { TraceEvent, TraceSink } from './trace.js';
import type { Transport } from './transport/transport.js';
import { createVerifyPool, type Verifier } from './verify/pool.js';
import { CsipKeyMemo, PrecheckingVerifier } from './verify/prechecks.js';
import type { WalkContext } from './walk-context.js';

/** The subset of a pino-style logger we use: `(fields, message)`. */
export interface Logger {
  debug?(fields: Record<string, unknown>, message: string): void;
  warn?(fields: Record<string, unknown>, message: string): void;
}

export interface ResolverComponents {
  /**
   * How DNS messages reach servers directly; default DoH over HTTP/2 with the configured
   * CA. With a relay it carries only the root bootstrap (docs/PRIVACY.md).
   */
  readonly transport?: Transport;
  /**
   * The oblivious relay every query goes through (RFC 9230); default an HTTPS client of
   * `config.relay` when that is set, else none (queries go directly).
   */
  readonly relay?: RelayClient;
  /**
   * Privacy Pass tokens for queries a DP refuses without one (DESIGN §7); default a
   * `TokenClient` of `config.issuer` with `config.issuerAuth` when both are set; `null`:
   * never send a token.
   */
  readonly tokens?: TokenSource | null;
  /** Now, in milliseconds since the Unix epoch; default `Date.now`. */
  readonly clock?: () => number;
  /** Where validated data is kept; default an LRU of 10,000 entries. */
  readonly cache?: CacheStore;
  readonly logger?: Logger;
  /** Per-exchange timeout (ms) and extra rounds over a zone's servers. */
  readonly timeoutMs?: number;
  readonly retries?: number;
  /**
   * Worker threads that check signatures for `resolveMany` (started on first use,
   * terminated by `close()`); default one per core besides this thread's
   * (`os.availableParallelism() - 1`, at most 4); 0: never any.
   */
  readonly verifyWorkers?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface ResolveOptions extends CallOptions {
  /** `true`: put the events in `result.trace`; a function: receive them as they happen. */
  readonly trace?: boolean | ((event: TraceEvent) => void);
}

export interface ResolveManyOptions extends CallOptions {
  readonly concurrency?: number;
  /**
   * Check signatures on the resolver's worker threads (`verifyWorkers`): `true` always,
   * `false` never; by default for a list of at least 32 CSIs. The results are the same
   * either way.
   */
  readonly workers?: boolean;
  readonly onProgress?: (done: number, total: number, result: ResolveResult, index: number) => void;
}

/** The authoritative DP serving a CSI (for `publish`): its zone and endpoints, validated. */
export interface Delegation {
  readonly zone: string;
  readonly servers: readonly {
    /** Host name the TLS certificate is checked against. */
    readonly host: string;
    /** DoH URL (address and port from the validated records). */
    readonly doh: string;
    /** Base URL of the management API on the same listener (DESIGN §7). */
    readonly api: string;
  }[];
}

export interface Resolver {
  /** The trust anchor's zone (`mimi.arpa.`). */
  readonly apex: string;
  resolve(csi: string, options?: ResolveOptions): Promise<ResolveResult>;
  resolveMany(csis: readonly string[], options?: ResolveManyOptions): Promise<ResolveResult[]>;
  findDelegation(csi: string, options?: CallOptions): Promise<Delegation>;
  /** The validated CSIPKEY records of `csipId` ([] when it has none). */
  fetchCsipKeys(csipId: string, options?: CallOptions): Promise<CsipKeyRecord[]>;
  close(): Promise<void>;
}

/**
 * Below this many CSIs `resolveMany` checks signatures on its own thread: starting the
 * workers (≈ 50 ms, each loading the modules) costs more than they save on a short list.
 */
const MIN_WORKER_BATCH = 32;

/** DESIGN §4: "CSIP ids 1–32 of `a-z 0-9 -`". */
const CSIP_ID = /^[a-z0-9-]{1,32}$/;

function trustAnchorOf(config: ClientConfig): TrustAnchor {
  try {
    return parseTrustAnchor(config.trustAnchors.join('\n'));
  } catch (cause) {
    const message = isMimiError(cause) ? cause.message : String(cause);
    throw new ResolverError('trust-anchor', `trustAnchors: ${message}`, {
      cause,
      details: { key: 'trustAnchors' },
    });
  }
}

export function createResolver(config: ClientConfig, components: ResolverComponents = {}): Resolver {
  const anchor = trustAnchorOf(config);
  const clock = components.clock ?? Date.now;
  const waits = new WaitGraph();
  const core = assembleCore(config, components, anchor, clock, waits);
  const { engine, cache } = core;
  const apex = core.apex;
  const region = config.region ?? undefined;
  const logger = components.logger;
  const pool = createVerifyPool(components.verifyWorkers);
  // The CSIP keys fetched last, for the workers' prechecks of a resolution's records.
  const recentCsipKeys = new CsipKeyMemo();
  const nowSeconds = () => Math.floor(clock() / 1000);
  const csipKeysNow = () => recentCsipKeys.current;
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new ResolverError('closed', 'resolver is closed');
  };
  const normalize = (input: string) => {
    const csi = normalizeCsi(input, { ...(region === undefined ? {} : { region }), apex });
    return { csi, qname: csiOwnerName(csi, apex) };
  };
  const csipKeyRdatas = async (csipId: string, context: WalkContext): Promise<Uint8Array[]> => {
    const lookup = await engine.lookup(`${csipId}.csip.${apex}`, RRType.CSIPKEY, context);
    return lookup.kind === 'answer' ? lookup.records.map((record) => record.rdata) : [];
  };

  async function resolveNormalized(
    csi: string,
    qname: string,
    options: ResolveOptions,
    verifier?: Verifier,
  ): Promise<ResolveResult> {
    const events: TraceEvent[] | undefined = options.trace === true ? [] : undefined;
    const trace: TraceSink =
      events !== undefined
        ? (event) => events.push(event)
        : typeof options.trace === 'function'
          ? options.trace
          : undefined;
    const prechecks =
      verifier === undefined
        ? undefined
        : new PrecheckingVerifier(verifier, { csi, qname, apex, nowSeconds, csipKeys: csipKeysNow });
    const context: WalkContext = {
      signal: options.signal,
      trace,
      chain: [],
      waits,
      verifier: prechecks ?? verifier,
    };
    const started = clock();
    let result: ResolveResult;
    try {
      const lookup = await engine.lookup(qname, RRType.MSPMAP, context);
      if (lookup.kind === 'denial') {
        result = { csi, qname, status: 'no-mapping', mappings: [], warnings: [], reason: null };
      } else {
        const checked = await checkMappings(
          {
            csi,
            qname,
            apex,
            rdatas: lookup.records.map((record) => record.rdata),
            now: clock(),
            csipKeys: async (id) => {
              const keys = await csipKeyRdatas(id, context);
              if (verifier !== undefined) recentCsipKeys.remember(id, keys);
              return keys;
            },
            trace,
            verifier,
            signal: options.signal,
            prechecks: prechecks?.take(lookup.records),
          },
          cache,
        );
        result = {
          csi,
          qname,
          status: statusOfMappings(checked.mappings),
          mappings: checked.mappings,
          warnings: checked.warnings,
          reason: null,
        };
      }
    } catch (err) {
      if (!(err instanceof BogusError) && !(err instanceof UnreachableError)) throw err;
      const status = err instanceof BogusError ? 'bogus' : 'unreachable';
      result = {
        csi,
        qname,
        status,
        mappings: [],
        warnings: err instanceof BogusError ? err.warnings : [],
        reason: formatReason(err.reasonCode, err.message),
      };
    }
    trace?.({ event: 'result', status: result.status, reason: result.reason, ms: clock() - started });
    if (result.status === 'bogus' || result.status === 'unreachable' || result.warnings.length > 0) {
      logger?.warn?.(
        { csi, status: result.status, reason: result.reason, warnings: result.warnings },
        'mimi resolve',
      );
    } else {
      logger?.debug?.({ csi, status: result.status }, 'mimi resolve');
    }
    return events === undefined ? result : { ...result, trace: events };
  }

  return {
    apex,

    async resolve(input, options = {}) {
      ensureOpen();
      const { csi, qname } = normalize(input);
      return resolveNormalized(csi.csi, qname, options);
    },

    async resolveMany(inputs, options = {}) {
      ensureOpen();
      // DESIGN §8: "All inputs are checked before any lookup".
      const names = inputs.map((input, index) => {
        try {
          return normalize(input);
        } catch (err) {
          throw isMimiError(err) ? withIndex(err, index) : err;
        }
      });
      const verifier =
        pool !== undefined &&
        (options.workers === true || (options.workers === undefined && names.length >= MIN_WORKER_BATCH))
          ? pool
          : undefined;
      return mapBounded(
        names,
        ({ csi, qname }) => resolveNormalized(csi.csi, qname, { signal: options.signal }, verifier),
        {
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        },
      );
    },

    async findDelegation(input, options = {}) {
      ensureOpen();
      const { csi, qname } = normalize(input);
      const { state } = await engine.walk(qname, RRType.NS, { signal: options.signal, chain: [], waits });
      // The walk stops at the deepest zone holding the name: without a delegated prefix
      // zone (DESIGN §6 "no DP for the prefix") that is the apex, whose servers are no DP.
      if (!zoneInsideCsiSubtree(state.zone, apex)) {
        throw new ResolverError(
          'no-delegation',
          `no authoritative dp serves '${csi.csi}' (its name is in ${state.zone})`,
          {
            details: { zone: state.zone },
          },
        );
      }
      return {
        zone: state.zone,
        servers: state.servers.map((endpoint) => ({
          host: endpoint.host,
          doh: endpoint.url,
          api: new URL(endpoint.url).origin,
        })),
      };
    },

    async fetchCsipKeys(csipId, options = {}) {
      ensureOpen();
      if (!CSIP_ID.test(csipId)) {
        throw new ResolverError(
          'bad-csip-id',
          `csip id '${csipId}' must be 1-32 characters of a-z, 0-9 and '-'`,
        );
      }
      const rdatas = await csipKeyRdatas(csipId, { signal: options.signal, chain: [], waits });
      const records: CsipKeyRecord[] = [];
      for (const rdata of rdatas) {
        try {
          records.push(decodeCsipKeyRecord(rdata));
        } catch (err) {
          if (!isMimiError(err)) throw err;
          logger?.warn?.({ csipId, code: err.code }, 'malformed csipkey record ignored');
        }
      }
      return records;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([core.close(), pool?.close()]);
    },
  };
}

/** The same error with the position of the bad input in `details.index`. */
function withIndex<E extends MimiError>(err: E, index: number): E {
  Object.defineProperty(err, 'details', { value: Object.freeze({ ...err.details, index }) });
  return err;
}
