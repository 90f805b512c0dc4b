/**
 * The in-memory network seen through an oblivious relay (DESIGN §7): a MemoryRelay in
 * front of the same engines, reached by host name, each target holding the key its
 * `_odoh.<host>` record names; the direct transport stays for the root bootstrap only.
 * Tests rotate keys (the target forgets the old one, the zone publishes the new) and
 * replace records.
 */
import { writeFileSync } from 'node:fs';
import { createResolver, type Resolver, type ResolverComponents } from '../../src/index.js';
import { MemoryTransport } from './memory-transport.js';
import type { TestNetwork } from './network.js';
import {
  HOSTS,
  type HostId,
  MemoryRelay,
  odohConfigRdata,
  odohKey,
  odohRecordLine,
  RELAY_URL,
} from './privacy.js';

export interface PrivateNetwork {
  readonly network: TestNetwork;
  /** Straight to the servers: the root bootstrap's path (network.transport). */
  readonly direct: MemoryTransport;
  /** What the servers behind the relay were asked, by host-name URL. */
  readonly behind: MemoryTransport;
  readonly relay: MemoryRelay;
  /** New key at `host`'s target; `publish` false leaves the old config in the zone. */
  rotate(host: HostId, publish?: boolean): Promise<void>;
  /** Replace the ODOHCFG RDATA published for `host` ([] removes the record). */
  setRecords(host: HostId, rdatas: readonly Uint8Array[]): Promise<void>;
  /** A resolver whose `relay` is set: every query but the bootstrap goes through the relay. */
  resolver(components?: ResolverComponents): Resolver;
}

export function privateNetwork(network: TestNetwork): PrivateNetwork {
  const engines = network.engines;
  const behind = new MemoryTransport(
    new Map([
      [`https://${HOSTS.root}/dns-query`, { engine: engines.root, host: HOSTS.root }],
      [`https://${HOSTS.tel}/dns-query`, { engine: engines.tel, host: HOSTS.tel }],
      [`https://${HOSTS.mail}/dns-query`, { engine: engines.mail, host: HOSTS.mail }],
    ]),
    () => Math.floor(network.clock.ms / 1000),
  );
  behind.encrypted = true;
  const relay = new MemoryRelay(behind);
  const generation = new Map<HostId, number>();
  const records = new Map<HostId, readonly Uint8Array[]>();
  for (const id of Object.keys(HOSTS) as HostId[]) {
    relay.keys.set(HOSTS[id], odohKey(HOSTS[id]));
    records.set(id, [odohConfigRdata(odohKey(HOSTS[id]))]);
  }
  const republish = async () => {
    const lines = [...records].flatMap(([id, rdatas]) =>
      rdatas.map((rdata) => odohRecordLine(HOSTS[id], rdata)),
    );
    writeFileSync(network.odohOverlay, `${lines.join('\n')}\n`);
    await engines.root.reload();
  };
  return {
    network,
    direct: network.transport,
    behind,
    relay,
    async rotate(id, publish = true) {
      const next = (generation.get(id) ?? 0) + 1;
      generation.set(id, next);
      const key = odohKey(HOSTS[id], next);
      relay.keys.set(HOSTS[id], key);
      if (publish) {
        records.set(id, [odohConfigRdata(key)]);
        await republish();
      }
    },
    async setRecords(id, rdatas) {
      records.set(id, rdatas);
      await republish();
    },
    resolver(components = {}) {
      return createResolver(
        { ...network.config, relay: RELAY_URL },
        { transport: network.transport, relay, clock: () => network.clock.ms, tokens: null, ...components },
      );
    },
  };
}
