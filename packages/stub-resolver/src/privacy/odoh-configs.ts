/**
 * Where the ODoH transport gets a target's ObliviousDoHConfigs (RFC 9230 §5; DESIGN §4,
 * §7): the ODOHCFG RRset at `_odoh.<host>`, DNSSEC-validated like any other data, then
 * the first config of the first record that decodes with the one mandatory suite
 * (`selectConfig`: "Clients MUST ignore" configs they do not support).
 *
 * A root server's record is asked directly by the bootstrap (root-bootstrap.ts); every
 * other host's through the relay, by the resolver's own engine — so no DP ever sees the
 * client's address, and the root sees the `_odoh.` name of a DP only via the relay.
 *
 * `/.well-known/odohconfigs` is never fetched: it is authenticated by TLS alone, and
 * fetching it from a DP directly would tell that DP the client's address just before
 * that client asks it about a CSI (docs/PRIVACY.md).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isMimiError } from '@mimi/errors';
import { decodeConfigs, keyIdOf, type ObliviousDoHConfigContents, selectConfig } from '@mimi/odoh';
import { canonicalName, joinNames, type ResourceRecord, RRType } from '@mimi/protocol';
import type { WaitGraph } from '../cache/wait-graph.js';
import { ODOH_CONFIG_LABEL } from '../constants.js';
import { type Lookup, UnreachableError } from '../outcomes.js';
import type { LookupFn } from '../server-hosts.js';
import type { TraceSink } from '../trace.js';
import type { RootBootstrap } from './root-bootstrap.js';

export interface ConfigRequest {
  readonly signal: AbortSignal;
  readonly trace?: TraceSink;
  /** Skip cached copies: the target answered 401 (RFC 9230 §7: its key changed). */
  readonly refresh: boolean;
}

/** What the ODoH transport asks for before it encrypts a query to `host`. */
export interface OdohConfigSource {
  configFor(host: string, request: ConfigRequest): Promise<ObliviousDoHConfigContents>;
}

export interface OdohConfigsInit {
  readonly bootstrap: RootBootstrap;
  /** A validated look-up through the relay (the resolver's engine). */
  readonly lookup: LookupFn;
  /** Drop the engine's cached answer for (name, type). */
  readonly forget: (name: string, type: number) => void;
  readonly waits: WaitGraph;
  /** Milliseconds, the resolver's clock. */
  readonly now: () => number;
}

interface Decoded {
  readonly config: ObliviousDoHConfigContents;
  readonly keyId: string;
}

interface InUse extends Decoded {
  /** When the record it came from expires (ms, the resolver's clock). */
  readonly expiresAt: number;
  readonly direct: boolean;
}

/** Hosts whose config is kept decoded (server host names are few; this only bounds a hostile list). */
const MAX_HOSTS_IN_USE = 1024;

/** Octets of the key id a trace shows. */
const KEY_ID_LABEL_OCTETS = 4;

export class OdohConfigs implements OdohConfigSource {
  /** Decoded configs per RDATA (cached look-ups hand back the same bytes). */
  private readonly decoded = new WeakMap<Uint8Array, Decoded>();
  /** The config in use per host, until its record expires: no look-up per query. */
  private readonly inUse = new Map<string, InUse>();
  /** Hosts whose config is being looked up above this point of the async call chain. */
  private readonly above = new AsyncLocalStorage<readonly string[]>();
  /** Hosts each traced resolution has already been told about. */
  private readonly told = new WeakMap<NonNullable<TraceSink>, Set<string>>();

  constructor(private readonly init: OdohConfigsInit) {}

  async configFor(host: string, request: ConfigRequest): Promise<ObliviousDoHConfigContents> {
    const owner = joinNames(ODOH_CONFIG_LABEL, canonicalName(host));
    const known = this.inUse.get(owner);
    if (known !== undefined && !request.refresh && known.expiresAt > this.init.now()) {
      this.tell(request, host, known, known.direct);
      return known.config;
    }
    const above = this.above.getStore() ?? [];
    if (above.includes(owner)) {
      // Its record would have to come from the very server it is needed for.
      throw new UnreachableError('cycle', `the odoh config of ${host} is served only by ${host} itself`);
    }
    const direct = this.init.bootstrap.isRootHost(host);
    const lookup = await this.above.run([...above, owner], () => this.lookUp(owner, direct, request));
    const chosen = this.choose(lookup, host, owner);
    if (this.inUse.size >= MAX_HOSTS_IN_USE) this.inUse.clear();
    this.inUse.set(owner, { ...chosen, expiresAt: lookup.expiresAt, direct });
    this.tell(request, host, chosen, direct);
    return chosen.config;
  }

  private lookUp(owner: string, direct: boolean, request: ConfigRequest): Promise<Lookup> {
    const call = { signal: request.signal, trace: request.trace };
    if (direct) return this.init.bootstrap.config(owner, call, request.refresh);
    if (request.refresh) this.init.forget(owner, RRType.ODOHCFG);
    return this.init.lookup(owner, RRType.ODOHCFG, { ...call, chain: [], waits: this.init.waits });
  }

  private choose(lookup: Lookup, host: string, owner: string): Decoded {
    if (lookup.kind !== 'answer') {
      throw new UnreachableError(
        'odoh-config',
        `${host} publishes no odoh config (no ODOHCFG record at ${owner})`,
      );
    }
    let problem = '';
    for (const record of lookup.records) {
      const decoded = this.decode(record, (message) => {
        problem ||= message;
      });
      if (decoded !== undefined) return decoded;
    }
    throw new UnreachableError('odoh-config', `no usable odoh config at ${owner}: ${problem}`);
  }

  private decode(record: ResourceRecord, onProblem: (message: string) => void): Decoded | undefined {
    const known = this.decoded.get(record.rdata);
    if (known !== undefined) return known;
    try {
      const config = selectConfig(decodeConfigs(record.rdata));
      const keyId = Buffer.from(keyIdOf(config).subarray(0, KEY_ID_LABEL_OCTETS)).toString('hex');
      const decoded = { config, keyId };
      this.decoded.set(record.rdata, decoded);
      return decoded;
    } catch (err) {
      // Validated but unusable (another suite, bad bytes): skip it like an unusable SVCB.
      if (!isMimiError(err)) throw err;
      onProblem(err.message);
      return undefined;
    }
  }

  /** One `odoh-config` trace event per host and resolution (and after each refresh). */
  private tell(request: ConfigRequest, host: string, chosen: Decoded, direct: boolean): void {
    const trace = request.trace;
    if (trace === undefined) return;
    let hosts = this.told.get(trace);
    if (hosts === undefined) {
      hosts = new Set();
      this.told.set(trace, hosts);
    }
    if (hosts.has(host) && !request.refresh) return;
    hosts.add(host);
    trace({
      event: 'odoh-config',
      host,
      keyId: chosen.keyId,
      source: direct ? 'direct' : 'relay',
      refreshed: request.refresh,
    });
  }
}
