/**
 * Zone files and overlays → zones (zones/README.md; RFC 1035 §5, RFC 1034 §4.2.1):
 * what loads, how overlays replace, where DS goes, and every refusal with its code,
 * file and owner.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aCodec, nsCodec, RRType, svcbCodec, ZoneParseError } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleZones, loadZones, ZoneLoadError } from '../src/index.js';
import { source } from './fixtures.js';

const APEX = 'mimi.arpa.';

const ROOT = `$ORIGIN mimi.arpa.
$TTL 3600
@        IN SOA root.nic hostmaster 1 7200 3600 1209600 300
         IN NS  root.nic
root.nic IN A   127.0.0.1
tel.nic  IN A   127.0.0.1
_dns.tel.nic IN SVCB 1 tel.nic alpn=h2 port=443 dohpath=/dns-query{?dns}
4.4.e164 IN NS  tel.nic
example.com.email IN NS ns1.example.com.email
ns1.example.com.email IN A 192.0.2.1
`;

const CSIP = `$ORIGIN csip.mimi.arpa.
$TTL 3600
@ IN SOA root.nic.mimi.arpa. hostmaster.mimi.arpa. 1 7200 3600 1209600 300
  IN NS  root.nic.mimi.arpa.
`;

const DS_LINE =
  '4.4.e164.mimi.arpa. 3600 IN DS 12345 15 2 0000000000000000000000000000000000000000000000000000000000000000';

describe('zone files', () => {
  it('loads a zone: canonical names, delegations, empty non-terminals', () => {
    const zones = assembleZones([source('root.zone', ROOT.replace('root.nic IN A', 'ROOT.Nic IN A'))], APEX);
    expect(zones.apexes()).toEqual(['mimi.arpa.']);
    const zone = zones.get('mimi.arpa.')!;
    expect(zone.rrset('root.nic.mimi.arpa.', RRType.A)).toBeDefined();
    expect(zone.delegations().sort()).toEqual(['4.4.e164.mimi.arpa.', 'example.com.email.mimi.arpa.']);
    expect(zone.exists('nic.mimi.arpa.')).toBe(true); // empty non-terminal
    expect(zone.exists('e164.mimi.arpa.')).toBe(true);
    expect(zone.exists('x.nic.mimi.arpa.')).toBe(false);
    expect(zone.negativeTtl).toBe(300);
  });

  it('finds the closest delegation at or above a name, never the apex', () => {
    const zone = assembleZones([source('root.zone', ROOT)], APEX).get('mimi.arpa.')!;
    expect(zone.cutAtOrAbove('4.4.e164.mimi.arpa.')).toBe('4.4.e164.mimi.arpa.');
    expect(zone.cutAtOrAbove('1.2.3.4.4.e164.mimi.arpa.')).toBe('4.4.e164.mimi.arpa.');
    expect(zone.cutAtOrAbove('e164.mimi.arpa.')).toBeUndefined();
    expect(zone.cutAtOrAbove('mimi.arpa.')).toBeUndefined();
  });

  it('knows the CSI subtrees of the network apex (DESIGN §5)', () => {
    const zone = assembleZones([source('root.zone', ROOT)], APEX).get('mimi.arpa.')!;
    expect(zone.isInCsiSubtree('3.e164.mimi.arpa.')).toBe(true);
    expect(zone.isInCsiSubtree('e164.mimi.arpa.')).toBe(true);
    expect(zone.isInCsiSubtree('x.example.org.email.mimi.arpa.')).toBe(true);
    expect(zone.isInCsiSubtree('nic.mimi.arpa.')).toBe(false);
    expect(zone.isInCsiSubtree('mimi.arpa.')).toBe(false);
  });

  it('does not sign NS at cuts or glue; signs DS at cuts', () => {
    const zones = assembleZones([source('root.zone', ROOT), source('o.zone', DS_LINE)], APEX);
    const signed = [...zones.get('mimi.arpa.')!.authoritativeRRsets()].map((r) => `${r.name} ${r.type}`);
    expect(signed).toContain('4.4.e164.mimi.arpa. 43');
    expect(signed).not.toContain('4.4.e164.mimi.arpa. 2');
    expect(signed).not.toContain('ns1.example.com.email.mimi.arpa. 1');
    expect(signed).toContain('mimi.arpa. 6');
  });

  it('picks the deepest served zone and the parent of a zone', () => {
    const zones = assembleZones([source('root.zone', ROOT), source('csip.zone', CSIP)], APEX);
    expect(zones.find('a.csip.mimi.arpa.')?.apex).toBe('csip.mimi.arpa.');
    expect(zones.find('csip.mimi.arpa.')?.apex).toBe('csip.mimi.arpa.');
    expect(zones.find('nic.mimi.arpa.')?.apex).toBe('mimi.arpa.');
    expect(zones.find('example.org.')).toBeUndefined();
    expect(zones.parentOf(zones.get('csip.mimi.arpa.')!)?.apex).toBe('mimi.arpa.');
    expect(zones.parentOf(zones.get('mimi.arpa.')!)).toBeUndefined();
  });
});

describe('overlays (zones/README.md)', () => {
  it('replaces the RRset of the same owner and type, adds the rest', () => {
    const overlay = `$ORIGIN mimi.arpa.
_dns.tel.nic 60 IN SVCB 1 tel.nic alpn=h2 port=8443 dohpath=/dns-query{?dns}
mail.nic 60 IN A 127.0.0.2
`;
    const zone = assembleZones([source('root.zone', ROOT), source('o.zone', overlay)], APEX).get(APEX)!;
    const svcb = zone.rrset('_dns.tel.nic.mimi.arpa.', RRType.SVCB)!;
    expect(svcb.rdatas).toHaveLength(1);
    expect(svcb.ttl).toBe(60);
    expect(svcbCodec.toText(svcbCodec.decode(svcb.rdatas[0]!))).toContain('port=8443');
    expect(aCodec.decode(zone.rrset('mail.nic.mimi.arpa.', RRType.A)!.rdatas[0]!)).toBe('127.0.0.2');
  });

  it('later overlays win over earlier ones', () => {
    const first = 'root.nic.mimi.arpa. 60 IN A 10.0.0.1\nroot.nic.mimi.arpa. 60 IN A 10.0.0.2';
    const second = 'root.nic.mimi.arpa. 60 IN A 10.0.0.3';
    const zone = assembleZones(
      [source('root.zone', ROOT), source('a', first), source('b', second)],
      APEX,
    ).get(APEX)!;
    expect(zone.rrset('root.nic.mimi.arpa.', RRType.A)!.rdatas.map((r) => aCodec.decode(r))).toEqual([
      '10.0.0.3',
    ]);
  });

  it('an overlay before its zone file is added to by the zone file', () => {
    const overlay = 'root.nic.mimi.arpa. 3600 IN A 10.0.0.9';
    const zone = assembleZones([source('o', overlay), source('root.zone', ROOT)], APEX).get(APEX)!;
    const addresses = zone.rrset('root.nic.mimi.arpa.', RRType.A)!.rdatas.map((r) => aCodec.decode(r));
    expect(addresses.sort()).toEqual(['10.0.0.9', '127.0.0.1']);
  });

  it('puts a DS in the parent even when the child zone is served too', () => {
    const csipDs =
      'csip.mimi.arpa. 3600 IN DS 1 15 2 0000000000000000000000000000000000000000000000000000000000000000';
    const root = `${ROOT}csip IN NS root.nic\n`;
    const zones = assembleZones(
      [source('root.zone', root), source('csip.zone', CSIP), source('o', csipDs)],
      APEX,
    );
    expect(zones.get('mimi.arpa.')!.rrset('csip.mimi.arpa.', RRType.DS)).toBeDefined();
    expect(zones.get('csip.mimi.arpa.')!.rrset('csip.mimi.arpa.', RRType.DS)).toBeUndefined();
  });

  it('merges duplicate records (RFC 2181 §5)', () => {
    const text = `${ROOT}root.nic IN A 127.0.0.1\n`;
    const zone = assembleZones([source('root.zone', text)], APEX).get(APEX)!;
    expect(zone.rrset('root.nic.mimi.arpa.', RRType.A)!.rdatas).toHaveLength(1);
  });
});

/** [name, files, code, file, owner] */
const REFUSALS: [string, [string, string][], string, string, string | undefined][] = [
  ['no zone file at all', [['o', 'a.mimi.arpa. 60 IN A 127.0.0.1']], 'zone-none', 'o', undefined],
  [
    'two files define one zone',
    [
      ['a', ROOT],
      ['b', ROOT],
    ],
    'zone-duplicate',
    'b',
    'mimi.arpa.',
  ],
  [
    'record outside its zone file',
    [['a', `${ROOT}example.org. IN A 127.0.0.1\n`]],
    'zone-record-outside',
    'a',
    'example.org.',
  ],
  [
    'overlay record outside every zone',
    [
      ['a', ROOT],
      ['o', 'example.org. 60 IN A 127.0.0.1'],
    ],
    'zone-overlay-outside',
    'o',
    'example.org.',
  ],
  [
    'no NS at the apex',
    [['a', ROOT.replace('         IN NS  root.nic\n', '')]],
    'zone-no-ns',
    'a',
    'mimi.arpa.',
  ],
  ['two SOA records', [['a', `${ROOT}@ IN SOA x y 2 1 1 1 1\n`]], 'zone-soa-count', 'a', 'mimi.arpa.'],
  [
    'SOA below the apex',
    [['a', `${ROOT}sub IN SOA x y 2 1 1 1 1\n`]],
    'zone-soa-not-apex',
    'a',
    'sub.mimi.arpa.',
  ],
  ['CNAME', [['a', `${ROOT}www.nic IN CNAME root.nic\n`]], 'zone-alias', 'a', 'www.nic.mimi.arpa.'],
  ['wildcard', [['a', `${ROOT}*.nic IN A 127.0.0.1\n`]], 'zone-wildcard', 'a', '*.nic.mimi.arpa.'],
  [
    'data below a delegation',
    [['a', `${ROOT}x.4.4.e164 IN TXT "hidden"\n`]],
    'zone-data-below-delegation',
    'a',
    'x.4.4.e164.mimi.arpa.',
  ],
  [
    'address below a delegation that is no NS target',
    [['a', `${ROOT}ns9.example.com.email IN A 192.0.2.9\n`]],
    'zone-data-below-delegation',
    'a',
    'ns9.example.com.email.mimi.arpa.',
  ],
  [
    'NS below a delegation',
    [['a', `${ROOT}sub.4.4.e164 IN NS tel.nic\n`]],
    'zone-data-below-delegation',
    'a',
    'sub.4.4.e164.mimi.arpa.',
  ],
  [
    'data at a delegation',
    [['a', `${ROOT}4.4.e164 IN TXT "occluded"\n`]],
    'zone-data-at-delegation',
    'a',
    '4.4.e164.mimi.arpa.',
  ],
  [
    'DS without a delegation',
    [
      ['a', ROOT],
      ['o', DS_LINE.replace('4.4.e164', '5.5.e164')],
    ],
    'zone-ds-not-at-cut',
    'o',
    '5.5.e164.mimi.arpa.',
  ],
  [
    'DNSKEY in a zone file',
    [['a', `${ROOT}@ IN DNSKEY 257 3 15 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`]],
    'zone-dnssec-record',
    'a',
    'mimi.arpa.',
  ],
  [
    'MSPMAP in a zone file',
    [['a', `${ROOT}1.1.e164 IN TYPE65280 \\# 1 00\n`]],
    'zone-mapping-record',
    'a',
    '1.1.e164.mimi.arpa.',
  ],
  [
    'NAPTR in a CSI subtree',
    [['a', `${ROOT}1.1.e164 IN NAPTR 10 0 "U" "E2U+sip" "!^.*$!sip:a@b!" .\n`]],
    'zone-mapping-record',
    'a',
    '1.1.e164.mimi.arpa.',
  ],
  ['class other than IN', [['a', `${ROOT}ch.nic CH TXT "x"\n`]], 'zone-class', 'a', 'ch.nic.mimi.arpa.'],
  [
    'TTLs differing within an RRset',
    [['a', `${ROOT}tel.nic 60 IN A 127.0.0.2\n`]],
    'zone-ttl-mismatch',
    'a',
    'tel.nic.mimi.arpa.',
  ],
];

describe('load errors name the file and the owner', () => {
  it.each(REFUSALS)('%s', (_name, files, code, file, owner) => {
    let caught: unknown;
    try {
      assembleZones(
        files.map(([f, t]) => source(f, t)),
        APEX,
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ZoneLoadError);
    const error = caught as ZoneLoadError;
    expect(error.code).toBe(code);
    expect(error.details.file).toBe(file);
    expect(error.details.owner).toBe(owner);
    expect(error.message).toContain(file);
    if (owner !== undefined) expect(error.message).toContain(owner);
    expect(error.message).toBe(error.message.toLowerCase());
  });

  // The parser already refuses these types by name; hand-made records reach our checks.
  it.each([
    ['DNAME', 39, 'zone-alias'],
    ['NXNAME', 128, 'zone-meta-type'],
    ['OPT', 41, 'zone-meta-type'],
    ['RRSIG', 46, 'zone-dnssec-record'],
    ['NSEC3', 50, 'zone-dnssec-record'],
  ])('refuses %s records given directly', (_name, type, code) => {
    const record = { name: 'x.nic.mimi.arpa.', type, class: 1, ttl: 60, rdata: new Uint8Array(2) };
    expect(() => assembleZones([source('a', ROOT), { file: 'o', records: [record] }], APEX)).toThrow(
      expect.objectContaining({ code, details: { file: 'o', owner: 'x.nic.mimi.arpa.' } }),
    );
  });

  it('allows glue of an NS target, sibling glue included', () => {
    const text = `${ROOT}1.e164 IN NS ns1.example.com.email\n`;
    const zone = assembleZones([source('a', text)], APEX).get(APEX)!;
    expect(nsCodec.decode(zone.rrset('1.e164.mimi.arpa.', RRType.NS)!.rdatas[0]!)).toBe(
      'ns1.example.com.email.mimi.arpa.',
    );
  });
});

describe('loadZones from disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'authority-zones-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the repository zones with an overlay', async () => {
    const overlay = join(dir, 'mimi.arpa.overlay.zone');
    await writeFile(overlay, `${DS_LINE}\n`);
    const repo = new URL('../../../zones/', import.meta.url).pathname;
    const zones = await loadZones([`${repo}root.zone`, `${repo}csip.zone`, `${repo}4.4.e164.zone`, overlay]);
    expect(zones.apexes().sort()).toEqual(['4.4.e164.mimi.arpa.', 'csip.mimi.arpa.', 'mimi.arpa.']);
    expect(zones.get('mimi.arpa.')!.rrset('4.4.e164.mimi.arpa.', RRType.DS)).toBeDefined();
  });

  it('keeps the parser error (file and line) for a bad file', async () => {
    const bad = join(dir, 'bad.zone');
    await writeFile(bad, '$ORIGIN mimi.arpa.\n@ 60 IN SOA a b 1 2 3 4\n');
    await expect(loadZones([bad])).rejects.toBeInstanceOf(ZoneParseError);
  });

  it('reports a missing file', async () => {
    await expect(loadZones([join(dir, 'absent.zone')])).rejects.toMatchObject({ code: 'zone-unreadable' });
  });
});
