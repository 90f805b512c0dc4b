/**
 * The overlay files of zones/README.md: what only a running network knows, written as
 * master files without SOA and passed to a server after its static zone files (an overlay
 * RRset replaces the static one of the same owner and type). One function decides them all:
 *
 * - in the apex zone, for every other zone: its DS (RFC 4035 §2.4) and, when another server
 *   serves it, the NS naming that server's host (a delegation, DESIGN §3);
 * - in the apex zone, for every server: the host's address and its `_dns.<host>` SVCB DoH
 *   endpoint with the port it listens on (RFC 9461 §5: `alpn`, `port`, `dohpath`), and,
 *   when it is an ODoH target, its ObliviousDoHConfigs as ODOHCFG at `_odoh.<host>`
 *   (DESIGN §4, §7: "in the zone holding `<host>` (the apex zone for `nic.` hosts)");
 * - in the CSIP zone: one CSIPKEY record per CSIP (DESIGN §4).
 */
import { promises as fs } from 'node:fs';
import { dsRecord, type ZoneKey } from '@mimi/dnssec';
import {
  buildSvcb,
  CLASS_IN,
  canonicalName,
  encodeCsipKeyRecord,
  encodeRdata,
  formatZone,
  joinNames,
  type ResourceRecord,
  RRType,
} from '@mimi/protocol';
import { csipKeyRecord, type NetworkCsip } from './csips.js';
import { DemoError } from './errors.js';
import type { NetworkLayout } from './layout.js';
import type { OdohConfigs } from './odoh-keys.js';

/** TTLs of the overlay records; the static files' `$TTL 3600` (zones/*.zone). */
const DELEGATION_TTL = 3600;
const HOST_TTL = 3600;
const CSIPKEY_TTL = 3600;
/** Every server of a network here listens on loopback (DESIGN §9: "on 127.0.0.1"). */
const LOOPBACK = '127.0.0.1';
/** RFC 8484 §6 / RFC 9461 §5: the DoH URI template a `_dns` SVCB record carries. */
const DOH_PATH_TEMPLATE = '/dns-query{?dns}';

export interface RunningFacts {
  /** The zone key of every zone of the network, by apex. */
  readonly zoneKeys: ReadonlyMap<string, ZoneKey>;
  /** DoH port of each server, by server name. */
  readonly dohPorts: ReadonlyMap<string, number>;
  readonly csips: readonly NetworkCsip[];
  /** ODoH configs of each server that is a target, by server name. */
  readonly odohConfigs?: ReadonlyMap<string, OdohConfigs>;
}

function record(name: string, type: number, ttl: number, rdata: Uint8Array): ResourceRecord {
  return { name, type, class: CLASS_IN, ttl, rdata };
}

function endpointRecords(host: string, port: number): ResourceRecord[] {
  const svcb = buildSvcb({ priority: 1, target: host, alpn: ['h2'], port, dohpath: DOH_PATH_TEMPLATE });
  return [
    record(host, RRType.A, HOST_TTL, encodeRdata(RRType.A, LOOPBACK)),
    record(joinNames('_dns', host), RRType.SVCB, HOST_TTL, encodeRdata(RRType.SVCB, svcb)),
  ];
}

/** Overlay records per zone apex (canonical names). */
export function overlayRecords(layout: NetworkLayout, facts: RunningFacts): Map<string, ResourceRecord[]> {
  const apex = canonicalName(layout.apex);
  const csipZone = joinNames('csip', apex);
  const rootServer = layout.servers.find((server) => server.role === 'root');
  const apexRecords: ResourceRecord[] = [];
  const servedBy = new Map<string, string[]>();
  for (const server of layout.servers) {
    for (const zone of server.zones) {
      const name = canonicalName(zone.apex);
      servedBy.set(name, [...(servedBy.get(name) ?? []), server.host]);
    }
  }
  for (const [zone, hosts] of servedBy) {
    if (zone === apex) continue;
    // The root's own zones keep the NS of their static files; a DS is needed for every child.
    if (!rootServer?.zones.some((z) => canonicalName(z.apex) === zone)) {
      for (const host of [...new Set(hosts)].sort()) {
        apexRecords.push(record(zone, RRType.NS, DELEGATION_TTL, encodeRdata(RRType.NS, host)));
      }
    }
    const key = facts.zoneKeys.get(zone);
    if (key === undefined) throw new DemoError('no-zone-key', `no zone key for ${zone}`);
    apexRecords.push(dsRecord(key, DELEGATION_TTL));
  }
  for (const server of layout.servers) {
    const port = facts.dohPorts.get(server.name);
    if (port !== undefined) apexRecords.push(...endpointRecords(server.host, port));
    const odoh = facts.odohConfigs?.get(server.name);
    if (odoh !== undefined) {
      // docs/OPERATIONS.md: "a TTL of at most `ttl`", so every cached copy expires while
      // its key still opens queries.
      const ttl = Math.min(HOST_TTL, odoh.ttl);
      const rdata = encodeRdata(RRType.ODOHCFG, odoh.configs);
      apexRecords.push(record(joinNames('_odoh', server.host), RRType.ODOHCFG, ttl, rdata));
    }
  }
  const overlays = new Map<string, ResourceRecord[]>([[apex, apexRecords]]);
  if (facts.csips.length > 0) {
    if (!servedBy.has(csipZone))
      throw new DemoError('bad-layout', `no server serves the csip zone ${csipZone}`);
    overlays.set(
      csipZone,
      facts.csips.map((csip) =>
        record(
          joinNames(csip.id, csipZone),
          RRType.CSIPKEY,
          CSIPKEY_TTL,
          encodeCsipKeyRecord(csipKeyRecord(csip)),
        ),
      ),
    );
  }
  return overlays;
}

/** Write every overlay (each file replaced atomically); returns the file of each zone. */
export async function writeOverlays(
  overlays: ReadonlyMap<string, readonly ResourceRecord[]>,
  pathOf: (zone: string) => string,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const [zone, records] of overlays) {
    const path = pathOf(zone);
    const text = `; generated at start-up: overlay for ${zone} (zones/README.md)\n${formatZone(records)}`;
    const temporary = `${path}.tmp`;
    await fs.writeFile(temporary, text);
    await fs.rename(temporary, path);
    files.set(zone, path);
  }
  return files;
}
