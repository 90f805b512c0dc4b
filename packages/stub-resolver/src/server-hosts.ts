/**
 * Where a zone's servers are (DESIGN §3): each NS host's validated A/AAAA records and
 * its `_dns.<host>` SVCB records (RFC 9461), looked up through the resolver like any
 * other data, turned into DoH endpoints (endpoints.ts). A zone is reachable through
 * every address of every host that resolves (up to MAX_NS_HOSTS hosts and
 * MAX_ZONE_ENDPOINTS endpoints); hosts that do not are skipped.
 */
import { canonicalName, isSubdomain, joinNames, type ResourceRecord, RRType } from '@mimi/protocol';
import { InFlight } from './cache/in-flight.js';
import type { TimedCache } from './cache/timed-cache.js';
import { MAX_NS_HOSTS, MAX_ZONE_ENDPOINTS } from './constants.js';
import { addressesOf, dohServices, endpointsFor } from './endpoints.js';
import { BogusError, type Lookup, UnreachableError } from './outcomes.js';
import type { Endpoint } from './transport/transport.js';
import { shared, type WalkContext } from './walk-context.js';

export type LookupFn = (name: string, type: number, context: WalkContext) => Promise<Lookup>;

export interface HostEndpoints {
  readonly endpoints: readonly Endpoint[];
  /** Milliseconds on the resolver clock: the earliest expiry of the records used. */
  readonly expiresAt: number;
}

export class ServerHosts {
  private readonly hostFlights = new InFlight<HostEndpoints>();

  constructor(
    private readonly cache: TimedCache,
    private readonly lookup: LookupFn,
  ) {}

  /** Endpoints of every NS host of `zone` that can be reached; bogus or unreachable when none. */
  async serversOf(zone: string, hosts: readonly string[], context: WalkContext): Promise<HostEndpoints> {
    // A host inside the zone it serves needs glue, which cannot be validated: skip it.
    const usable = hosts.filter((host) => !isSubdomain(host, zone)).slice(0, MAX_NS_HOSTS);
    const settled = await Promise.allSettled(usable.map((host) => this.hostEndpoints(host, context)));
    const endpoints: Endpoint[] = [];
    let expiresAt = Number.POSITIVE_INFINITY;
    const failures: unknown[] = [];
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') {
        endpoints.push(...outcome.value.endpoints);
        expiresAt = Math.min(expiresAt, outcome.value.expiresAt);
      } else {
        failures.push(outcome.reason);
      }
    }
    if (endpoints.length > 0) return { endpoints: endpoints.slice(0, MAX_ZONE_ENDPOINTS), expiresAt };
    const bogus = failures.find((failure) => failure instanceof BogusError);
    if (bogus !== undefined) throw bogus;
    const other = failures.find((failure) => !(failure instanceof UnreachableError));
    if (other !== undefined) throw other;
    if (failures.length > 0) throw failures[0];
    throw new UnreachableError('no-servers', `no ns host of ${zone} can be reached without glue`, zone);
  }

  /** `host`'s DoH endpoints from its validated A, AAAA and `_dns.` SVCB records. */
  private hostEndpoints(host: string, context: WalkContext): Promise<HostEndpoints> {
    const cached = this.cache.get<HostEndpoints>('servers', host);
    if (cached !== undefined) return Promise.resolve(cached);
    return shared(this.hostFlights, `host:${host}`, context, async (inner) => {
      const lookup = this.lookup;
      const [a, aaaa, svcb] = await Promise.all([
        lookup(host, RRType.A, inner),
        lookup(host, RRType.AAAA, inner),
        lookup(joinNames('_dns', host), RRType.SVCB, inner),
      ]);
      let expiresAt = Math.min(a.expiresAt, aaaa.expiresAt, svcb.expiresAt);
      const services = svcb.kind === 'answer' ? dohServices(host, svcb.records) : [];
      const endpoints: Endpoint[] = [];
      for (const service of services) {
        let addresses: string[];
        if (canonicalName(service.target) === host) {
          addresses = addressesOf([...recordsOf(a), ...recordsOf(aaaa)]);
        } else {
          const [ta, taaaa] = await Promise.all([
            lookup(service.target, RRType.A, inner),
            lookup(service.target, RRType.AAAA, inner),
          ]);
          expiresAt = Math.min(expiresAt, ta.expiresAt, taaaa.expiresAt);
          addresses = addressesOf([...recordsOf(ta), ...recordsOf(taaaa)]);
        }
        endpoints.push(...endpointsFor(service, addresses));
      }
      if (endpoints.length === 0) {
        throw new UnreachableError(
          'no-doh-endpoint',
          `server host ${host} publishes no usable doh endpoint (alpn h2, dohpath, address)`,
        );
      }
      const value = { endpoints, expiresAt };
      this.cache.set('servers', host, value, expiresAt);
      return value;
    });
  }
}

function recordsOf(lookup: Lookup): readonly ResourceRecord[] {
  return lookup.kind === 'answer' ? lookup.records : [];
}
