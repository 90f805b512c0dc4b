/**
 * The demo network of DESIGN §9 in memory: the repository's own zone files (zones/)
 * plus overlays with the DS records, DoH endpoints and CSIPKEY records a running
 * network writes at start-up, served by real AuthorityEngines (@mimi/authority) with
 * zone keys from fixed seeds, and the seeded mappings in MemoryMappingStores.
 *
 *   root DP  https://127.0.0.1:8443/dns-query  mimi.arpa. + csip.mimi.arpa.
 *   tel DP   https://127.0.0.1:8444/dns-query  4.4.e164 + 1.e164  (host tel.nic.mimi.arpa,
 *            also at 127.0.0.2 for failover tests)
 *   mail DP  https://127.0.0.1:8445/dns-query  example.com.email   (host mail.nic.mimi.arpa)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthorityEngine, MemoryMappingStore, type OnlineSignerOptions } from '@mimi/authority';
import { privateKeyFromSeed, sha256, toHex } from '@mimi/crypto';
import { createZoneKey, dsLine, type ZoneKey } from '@mimi/dnssec';
import {
  type ClientConfig,
  createResolver,
  type Resolver,
  type ResolverComponents,
} from '../../src/index.js';
import { csipKeyRdata, NOW } from './fixtures.js';
import { MemoryTransport, type ServerEntry } from './memory-transport.js';
import { HOSTS, odohConfigRdata, odohKey, odohRecordLine } from './privacy.js';

const ZONES_DIR = fileURLToPath(new URL('../../../../zones/', import.meta.url));

export const ROOT_URL = 'https://127.0.0.1:8443/dns-query';
export const TEL_URLS = ['https://127.0.0.1:8444/dns-query', 'https://127.0.0.2:8444/dns-query'];
export const MAIL_URL = 'https://127.0.0.1:8445/dns-query';

export const ZONES = {
  root: 'mimi.arpa.',
  csip: 'csip.mimi.arpa.',
  uk: '4.4.e164.mimi.arpa.',
  nanp: '1.e164.mimi.arpa.',
  mail: 'example.com.email.mimi.arpa.',
} as const;

const encoder = new TextEncoder();

export function zoneKeyOf(apex: string): ZoneKey {
  return createZoneKey(apex, privateKeyFromSeed(sha256(encoder.encode(`stub test zone ${apex}`))));
}

export interface NetworkOptions {
  /** Signer settings of every engine (e.g. a short validity). */
  readonly signer?: OnlineSignerOptions;
  /** Replace the CSIPKEY RDATA of an id (`[]` removes the record). */
  readonly csipRecords?: Partial<Record<string, Uint8Array[]>>;
  /** Zone files (of zones/) the root DP serves too, beside the apex and the CSIP zone. */
  readonly rootAlsoServes?: readonly string[];
  /** Start time of the shared clock in Unix seconds (default NOW, the vectors' time). */
  readonly startSeconds?: number;
  /** DoH ports of the three DPs (default 8443, 8444, 8445), for tests on real sockets. */
  readonly ports?: { readonly root: number; readonly tel: number; readonly mail: number };
  /** Extra records (master-file lines) for the tel DP's zones, e.g. sub-delegations. */
  readonly telOverlay?: readonly string[];
}

export interface TestNetwork {
  readonly config: ClientConfig;
  readonly transport: MemoryTransport;
  /** The shared clock in milliseconds; tests move it. */
  readonly clock: { ms: number };
  readonly keys: ReadonlyMap<string, ZoneKey>;
  readonly engines: { root: AuthorityEngine; tel: AuthorityEngine; mail: AuthorityEngine };
  readonly stores: { tel: MemoryMappingStore; mail: MemoryMappingStore };
  /** The overlay file holding the `_odoh.<host>` ODOHCFG records (rewrite, then reload the root). */
  readonly odohOverlay: string;
  /** DoH URL of each DP (the tel DP has two addresses). */
  readonly urls: { readonly root: string; readonly tel: readonly string[]; readonly mail: string };
  /** Publish signed MSPMAP RDATA into the DP that serves its CSI. */
  publish(rdata: Uint8Array, csi: string): void;
  /** A resolver on this network's transport and clock. */
  resolver(components?: ResolverComponents): Resolver;
}

function overlay(dir: string, name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export async function buildNetwork(options: NetworkOptions = {}): Promise<TestNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-stub-test-'));
  const keys = new Map<string, ZoneKey>(Object.values(ZONES).map((zone) => [zone, zoneKeyOf(zone)]));
  const clock = { ms: (options.startSeconds ?? NOW) * 1000 };
  const seconds = () => Math.floor(clock.ms / 1000);

  const ports = options.ports ?? { root: 8443, tel: 8444, mail: 8445 };
  const urls = {
    root: `https://127.0.0.1:${ports.root}/dns-query`,
    tel: [`https://127.0.0.1:${ports.tel}/dns-query`, `https://127.0.0.2:${ports.tel}/dns-query`],
    mail: `https://127.0.0.1:${ports.mail}/dns-query`,
  };
  const svcb = (host: string, port: number) =>
    `_dns.${host}.nic.mimi.arpa. 3600 IN SVCB 1 ${host}.nic.mimi.arpa. alpn=h2 port=${port} dohpath=/dns-query{?dns}`;
  const rootOverlay = overlay(dir, 'mimi.arpa.overlay.zone', [
    ...[ZONES.csip, ZONES.uk, ZONES.nanp, ZONES.mail].map((zone) => dsLine(keys.get(zone)!, 3600)),
    svcb('root', ports.root),
    svcb('tel', ports.tel),
    svcb('mail', ports.mail),
    'tel.nic.mimi.arpa. 3600 IN A 127.0.0.1',
    'tel.nic.mimi.arpa. 3600 IN A 127.0.0.2',
  ]);
  const csipLines: string[] = [];
  for (const id of ['uk-carrier', 'us-carrier', 'example-mail'] as const) {
    const rdatas = options.csipRecords?.[id] ?? [csipKeyRdata(id)];
    for (const rdata of rdatas) {
      csipLines.push(`${id}.csip.mimi.arpa. 3600 IN TYPE65281 \\# ${rdata.length} ${toHex(rdata)}`);
    }
  }
  const csipOverlay = overlay(dir, 'csip.mimi.arpa.overlay.zone', csipLines.length > 0 ? csipLines : ['']);
  // DESIGN §4, §7: each server host's ODoH configs at `_odoh.<host>` (private-network.ts rotates them).
  const odohOverlay = overlay(
    dir,
    'odoh.overlay.zone',
    Object.values(HOSTS).map((host) => odohRecordLine(host, odohConfigRdata(odohKey(host)))),
  );

  const common = {
    keyProvider: async (apex: string) => keys.get(apex)!,
    clock: seconds,
    ...(options.signer === undefined ? {} : { signer: options.signer }),
  };
  const zone = (file: string) => join(ZONES_DIR, file);
  const telStore = new MemoryMappingStore();
  const mailStore = new MemoryMappingStore();
  const root = await AuthorityEngine.create({
    ...common,
    zoneFiles: [
      zone('root.zone'),
      zone('csip.zone'),
      ...(options.rootAlsoServes ?? []).map(zone),
      rootOverlay,
      csipOverlay,
      odohOverlay,
    ],
  });
  const telOverlay =
    options.telOverlay === undefined ? [] : [overlay(dir, 'tel.overlay.zone', [...options.telOverlay])];
  const tel = await AuthorityEngine.create({
    ...common,
    zoneFiles: [zone('4.4.e164.zone'), zone('1.e164.zone'), ...telOverlay],
    store: telStore,
  });
  const mail = await AuthorityEngine.create({
    ...common,
    zoneFiles: [zone('example.com.email.zone')],
    store: mailStore,
  });

  const servers = new Map<string, ServerEntry>([
    [urls.root, { engine: root, host: '127.0.0.1' }],
    [urls.tel[0]!, { engine: tel, host: 'tel.nic.mimi.arpa' }],
    [urls.tel[1]!, { engine: tel, host: 'tel.nic.mimi.arpa' }],
    [urls.mail, { engine: mail, host: 'mail.nic.mimi.arpa' }],
  ]);
  const transport = new MemoryTransport(servers, seconds);
  const config: ClientConfig = {
    roots: [urls.root],
    trustAnchors: [dsLine(keys.get(ZONES.root)!, 3600)],
    ca: null,
    relay: null,
    issuer: null,
    issuerAuth: null,
    region: null,
  };
  return {
    config,
    transport,
    clock,
    keys,
    engines: { root, tel, mail },
    stores: { tel: telStore, mail: mailStore },
    odohOverlay,
    urls,
    publish(rdata, csi) {
      (csi.includes('@') ? mailStore : telStore).publish(rdata, seconds());
    },
    resolver(components = {}) {
      return createResolver(config, { transport, clock: () => clock.ms, ...components });
    },
  };
}
