// The overlay records (zones/README.md): what each zone's overlay holds for a layout, as
// records and as master-file text, and the layouts it refuses.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyFromSeed, publicKeyOf } from '@mimi/crypto';
import { createZoneKey, dsLine, type ZoneKey } from '@mimi/dnssec';
import { decodeCsipKeyRecord, formatRecord, formatZone, parseZoneFile, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import type { NetworkCsip } from '../src/csips.js';
import { DEMO_LAYOUT } from '../src/demo-layout.js';
import { DemoError } from '../src/errors.js';
import type { NetworkLayout } from '../src/layout.js';
import { overlayRecords, writeOverlays } from '../src/overlays.js';

const ZONES = [
  'mimi.arpa.',
  'csip.mimi.arpa.',
  '4.4.e164.mimi.arpa.',
  '1.e164.mimi.arpa.',
  'example.com.email.mimi.arpa.',
];
const keyOf = (i: number) => privateKeyFromSeed(new Uint8Array(32).fill(i + 1));
const zoneKeys = new Map<string, ZoneKey>(ZONES.map((zone, i) => [zone, createZoneKey(zone, keyOf(i))]));
const EXP = 1_800_000_000;
const csips: NetworkCsip[] = [
  ['uk-carrier', ['+44']],
  ['example-mail', ['example.com']],
].map(([id, scope], i) => {
  const privateKey = keyOf(10 + i);
  return {
    id: id as string,
    scope: scope as string[],
    privateKey,
    publicKey: publicKeyOf(privateKey),
    keyFile: `/k/${id}.key`,
    exp: EXP,
  };
});
const dohPorts = new Map([
  ['root', 40001],
  ['tel', 40002],
  ['mail', 40003],
]);

const svcb = (host: string, port: number) =>
  `_dns.${host} 3600 IN SVCB 1 ${host} alpn=h2 port=${port} dohpath=/dns-query{?dns}`;

describe('overlayRecords for the demo layout', () => {
  const overlays = overlayRecords(DEMO_LAYOUT, { zoneKeys, dohPorts, csips });

  it('writes overlays for the apex and the csip zone only', () => {
    expect([...overlays.keys()]).toEqual(['mimi.arpa.', 'csip.mimi.arpa.']);
  });

  it('puts DS for every child, NS for those other servers serve, and each host with its DoH port in the apex', () => {
    const lines = overlays.get('mimi.arpa.')!.map((record) => formatRecord(record));
    expect(lines).toEqual([
      dsLine(zoneKeys.get('csip.mimi.arpa.')!, 3600),
      '4.4.e164.mimi.arpa. 3600 IN NS tel.nic.mimi.arpa.',
      dsLine(zoneKeys.get('4.4.e164.mimi.arpa.')!, 3600),
      '1.e164.mimi.arpa. 3600 IN NS tel.nic.mimi.arpa.',
      dsLine(zoneKeys.get('1.e164.mimi.arpa.')!, 3600),
      'example.com.email.mimi.arpa. 3600 IN NS mail.nic.mimi.arpa.',
      dsLine(zoneKeys.get('example.com.email.mimi.arpa.')!, 3600),
      'root.nic.mimi.arpa. 3600 IN A 127.0.0.1',
      svcb('root.nic.mimi.arpa.', 40001),
      'tel.nic.mimi.arpa. 3600 IN A 127.0.0.1',
      svcb('tel.nic.mimi.arpa.', 40002),
      'mail.nic.mimi.arpa. 3600 IN A 127.0.0.1',
      svcb('mail.nic.mimi.arpa.', 40003),
    ]);
  });

  it('puts one CSIPKEY record per CSIP in the csip zone, decoding to the CSIP key record', () => {
    const records = overlays.get('csip.mimi.arpa.')!;
    expect(records.map((record) => [record.name, record.type, record.ttl])).toEqual([
      ['uk-carrier.csip.mimi.arpa.', RRType.CSIPKEY, 3600],
      ['example-mail.csip.mimi.arpa.', RRType.CSIPKEY, 3600],
    ]);
    expect(records.map((record) => decodeCsipKeyRecord(record.rdata))).toEqual(
      csips.map((csip) => ({ v: 1, id: csip.id, pk: csip.publicKey, scope: csip.scope, exp: EXP })),
    );
  });

  it('publishes the configs of each ODoH target as ODOHCFG at _odoh.<host>, TTL at most the key overlap allows', () => {
    const odohConfigs = new Map([
      ['root', { configs: new Uint8Array([0x00, 0x01, 0xab]), ttl: 10_800 }],
      ['mail', { configs: new Uint8Array([0xcd]), ttl: 600 }],
    ]);
    const records = overlayRecords(DEMO_LAYOUT, { zoneKeys, dohPorts, csips, odohConfigs }).get(
      'mimi.arpa.',
    )!;
    const hosts = records.slice(-8).map((record) => formatRecord(record));
    expect(hosts).toEqual([
      'root.nic.mimi.arpa. 3600 IN A 127.0.0.1',
      svcb('root.nic.mimi.arpa.', 40001),
      '_odoh.root.nic.mimi.arpa. 3600 IN ODOHCFG \\# 3 0001ab',
      'tel.nic.mimi.arpa. 3600 IN A 127.0.0.1',
      svcb('tel.nic.mimi.arpa.', 40002),
      'mail.nic.mimi.arpa. 3600 IN A 127.0.0.1',
      svcb('mail.nic.mimi.arpa.', 40003),
      '_odoh.mail.nic.mimi.arpa. 600 IN ODOHCFG \\# 1 cd',
    ]);
    const odoh = records.filter((record) => record.type === RRType.ODOHCFG);
    expect(odoh.map((record) => [...record.rdata])).toEqual([[0x00, 0x01, 0xab], [0xcd]]);
    // The servers read the generic form (RFC 3597 §5) back to the same RDATA.
    const text = formatZone(records);
    expect(parseZoneFile(text, { file: 'overlay', origin: 'mimi.arpa.' })).toEqual(records);
  });

  it('leaves out the endpoint of a server whose port is not known', () => {
    const partial = overlayRecords(DEMO_LAYOUT, { zoneKeys, dohPorts: new Map(), csips });
    expect(partial.get('mimi.arpa.')!.some((record) => record.type === RRType.SVCB)).toBe(false);
  });

  it('writes master files that parse back to the same records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimi-overlays-'));
    const files = await writeOverlays(overlays, (zone) => join(dir, `${zone}overlay.zone`));
    expect([...files]).toEqual([
      ['mimi.arpa.', join(dir, 'mimi.arpa.overlay.zone')],
      ['csip.mimi.arpa.', join(dir, 'csip.mimi.arpa.overlay.zone')],
    ]);
    for (const [zone, file] of files) {
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0]).toBe(`; generated at start-up: overlay for ${zone} (zones/README.md)`);
      expect(parseZoneFile(text, { file, origin: zone })).toEqual(overlays.get(zone));
    }
  });
});

describe('overlayRecords for other layouts', () => {
  it('names every server of a zone served twice in one NS RRset, in order', () => {
    const layout: NetworkLayout = {
      ...DEMO_LAYOUT,
      servers: [
        ...DEMO_LAYOUT.servers,
        {
          name: 'tel2',
          role: 'authoritative',
          host: 'a-tel.nic.mimi.arpa.',
          zones: [{ apex: '1.e164.mimi.arpa.', file: 'zones/1.e164.zone' }],
        },
      ],
    };
    const ns = overlayRecords(layout, { zoneKeys, dohPorts, csips })
      .get('mimi.arpa.')!
      .filter((record) => record.type === RRType.NS && record.name === '1.e164.mimi.arpa.')
      .map((record) => formatRecord(record));
    expect(ns).toEqual([
      '1.e164.mimi.arpa. 3600 IN NS a-tel.nic.mimi.arpa.',
      '1.e164.mimi.arpa. 3600 IN NS tel.nic.mimi.arpa.',
    ]);
  });

  it('refuses a zone without a key (no-zone-key)', () => {
    const keys = new Map(zoneKeys);
    keys.delete('1.e164.mimi.arpa.');
    const run = () => overlayRecords(DEMO_LAYOUT, { zoneKeys: keys, dohPorts, csips });
    expect(run).toThrow(DemoError);
    expect(run).toThrow(
      expect.objectContaining({ code: 'no-zone-key', message: 'no zone key for 1.e164.mimi.arpa.' }),
    );
  });

  it('refuses CSIPs when no server serves the csip zone (bad-layout)', () => {
    const root = DEMO_LAYOUT.servers[0]!;
    const layout: NetworkLayout = {
      ...DEMO_LAYOUT,
      servers: [{ ...root, zones: root.zones.slice(0, 1) }, ...DEMO_LAYOUT.servers.slice(1)],
    };
    const run = () => overlayRecords(layout, { zoneKeys, dohPorts, csips });
    expect(run).toThrow(
      expect.objectContaining({
        code: 'bad-layout',
        message: 'no server serves the csip zone csip.mimi.arpa.',
      }),
    );
    expect(overlayRecords(layout, { zoneKeys, dohPorts, csips: [] }).has('csip.mimi.arpa.')).toBe(false);
  });
});
