// Integration: a tiny data set built for real (signatures around the real time, as
// ldns-verify-zone checks them against the clock).
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMappingStore } from '@mimi/authority';
import { checkObjectSignature, decodeMapping, parseZoneFile, RRType } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchCsi, benchOwner } from '../lib/data/csi-set.mjs';
import { BENCH_ZONE, prepareDataset } from '../lib/data/dataset.mjs';
import { BENCH_CSIP_ID, BENCH_MSPS } from '../lib/data/mappings.mjs';
import { runCollect } from '../lib/process.mjs';

const N = 4;
const baseZoneFile = new URL('../../zones/4.4.e164.zone', import.meta.url).pathname;
const hex = (bytes) => Buffer.from(bytes).toString('hex');

describe('benchmark data set', () => {
  let root;
  let built;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bench-dataset-'));
    built = await prepareDataset({ dir: join(root, 'set'), n: N, seed: 'test', now, baseZoneFile });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('serves the same mapping RDATA to ours (store) and the peers (zone file)', async () => {
    const zone = parseZoneFile(await readFile(built.paths.peerZone, 'utf8'), { file: 'peers.zone' });
    const store = new SqliteMappingStore(built.paths.db);
    try {
      for (let i = 0; i < N; i++) {
        const owner = benchOwner(benchCsi(N, i));
        for (const rrset of store.rrsetsAt(owner, now).rrsets) {
          const inZone = zone
            .filter((rr) => rr.name === owner && rr.type === rrset.type)
            .map((rr) => hex(rr.rdata));
          expect(inZone.sort()).toEqual(rrset.rdatas.map(hex).sort());
        }
        expect(store.rrsetsAt(owner, now).rrsets.map((r) => r.type)).toEqual([RRType.MSPMAP, RRType.NAPTR]);
      }
    } finally {
      store.close();
    }
  });

  it('holds real signed mappings: attested by the CSIP, signed by the attested key', async () => {
    const store = new SqliteMappingStore(built.paths.db);
    try {
      const [stored] = store.mappings(benchCsi(N, 2), now);
      const mapping = decodeMapping(stored.cbor);
      expect(mapping).toMatchObject({ csi: benchCsi(N, 2), id: 'personal', msps: BENCH_MSPS });
      expect(mapping.att).toMatchObject({ csi: benchCsi(N, 2), csip: BENCH_CSIP_ID, epoch: 1 });
      expect(() => checkObjectSignature('mapping', mapping, mapping.att.rk, 'recipient')).not.toThrow();
      const forged = { ...mapping, serial: 2 };
      expect(() => checkObjectSignature('mapping', forged, mapping.att.rk, 'recipient')).toThrow(
        expect.objectContaining({ code: 'signature' }),
      );
    } finally {
      store.close();
    }
  });

  it('has no mapping at the unmapped CSIs', async () => {
    const zone = await readFile(built.paths.peerZone, 'utf8');
    expect(zone).not.toContain(benchOwner(benchCsi(N, 0, true)));
  });

  it('keeps the zone key as a 0600 PKCS#8 file', async () => {
    const info = await stat(join(built.paths.keyDir, '4.4.e164.mimi.arpa.key'));
    expect(info.mode & 0o777).toBe(0o600);
    expect(built.manifest).toMatchObject({ n: N, seed: 'test', zone: BENCH_ZONE, createdAt: now });
  });

  it('passes ldns-verify-zone (signatures and the whole NSEC chain)', async () => {
    const result = await runCollect('ldns-verify-zone', [built.paths.peerZone]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('is re-used while fresh and rebuilt for other parameters', async () => {
    const again = await prepareDataset({
      dir: join(root, 'set'),
      n: N,
      seed: 'test',
      now: now + 60,
      baseZoneFile,
    });
    expect(again.reused).toBe(true);
    const later = await prepareDataset({
      dir: join(root, 'set'),
      n: N,
      seed: 'test',
      now: now + 13 * 86_400,
      baseZoneFile,
    });
    expect(later.reused).toBe(false);
    const other = await prepareDataset({ dir: join(root, 'set'), n: N + 1, seed: 'test', now, baseZoneFile });
    expect(other).toMatchObject({ reused: false, manifest: { n: N + 1 } });
  });
});
