/**
 * The one data set every server under test serves (the issue: "the same signed data"):
 *
 * - `4.4.e164.zone`: the zone's SOA and NS, copied from zones/ (what our server loads);
 * - `keys/4.4.e164.mimi.arpa.key`: the zone's Ed25519 key (fixed seed, PKCS#8, 0600);
 * - `mappings.db`: N signed mappings published through @mimi/authority's SQLite store,
 *   the authoritative DP's `--db`;
 * - `peers.zone`: the same zone with each CSI's MSPMAP and NAPTR RRsets (taken from the
 *   store's `rrsetsAt`, so both sides serve identical RDATA), signed by @mimi/dnssec
 *   with the same key and a classic NSEC chain (RFC 4035 §2.3), for NSD, BIND and Knot.
 *
 * Building costs about three Ed25519 signatures per CSI, so a finished set is kept with
 * a manifest and re-used while its signatures have `MIN_REMAINING_SECONDS` left.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMappingStore } from '@mimi/authority';
import { createZoneKey, signZone, writeZoneKey } from '@mimi/dnssec';
import { parseZoneFile, RRType, soaCodec } from '@mimi/protocol';
import { BenchError } from '../errors.mjs';
import { benchCsi, benchOwner } from './csi-set.mjs';
import { benchKeys, signedBenchMapping } from './mappings.mjs';
import { peerZoneLine } from './peer-zone.mjs';

export const BENCH_ZONE = '4.4.e164.mimi.arpa.';
/** Bumped whenever the layout or content of a data set changes. */
const FORMAT_VERSION = 1;
/** RRSIG validity of the peers' zone and `exp` of the mappings. */
const SIGNATURE_DAYS = 14;
const MAPPING_DAYS = 30;
/** RFC 4035 §5.3.1 compares inception with the validator's clock: backdate an hour. */
const INCEPTION_BACKDATE_SECONDS = 3600;
/** A cached set is re-used only while at least this much signature validity is left. */
const MIN_REMAINING_SECONDS = 2 * 86_400;

/** Paths of a data set inside `dir`. */
export function datasetPaths(dir) {
  return {
    dir,
    manifest: join(dir, 'manifest.json'),
    baseZone: join(dir, '4.4.e164.zone'),
    keyDir: join(dir, 'keys'),
    db: join(dir, 'mappings.db'),
    peerZone: join(dir, 'peers.zone'),
  };
}

async function readManifest(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when the manifest at `dir` describes the set asked for and is still fresh. */
function reusable(manifest, n, seed, now) {
  return (
    manifest?.formatVersion === FORMAT_VERSION &&
    manifest.n === n &&
    manifest.seed === seed &&
    manifest.signatureExpiration - now >= MIN_REMAINING_SECONDS
  );
}

/**
 * Publish the N mappings into a fresh SQLite store and return the zone's mapping records.
 * The store is written on tmpfs when there is one: it makes each publish durable
 * (synchronous=FULL), and 10^5 fsyncs on a disk would dominate the build.
 */
async function publishMappings(paths, keys, n, now, onProgress) {
  const scratch = await mkdtemp(join(process.platform === 'linux' ? '/dev/shm' : tmpdir(), 'mimi-bench-db-'));
  const scratchDb = join(scratch, 'mappings.db');
  const store = new SqliteMappingStore(scratchDb);
  const records = [];
  try {
    for (let i = 0; i < n; i++) {
      const csi = benchCsi(n, i);
      store.publish(signedBenchMapping(keys, i, csi, now, MAPPING_DAYS), now);
      for (const rrset of store.rrsetsAt(benchOwner(csi), now).rrsets) {
        for (const rdata of rrset.rdatas) {
          records.push({ name: rrset.name, type: rrset.type, class: rrset.class, ttl: rrset.ttl, rdata });
        }
      }
      if ((i + 1) % 10_000 === 0) onProgress?.(`published ${i + 1}/${n} mappings`);
    }
  } finally {
    store.close();
  }
  await copyFile(scratchDb, paths.db);
  await rm(scratch, { recursive: true, force: true });
  return records;
}

/**
 * Build (or re-use) the data set of `n` mappings for `seed` in `dir`. `now` is Unix
 * seconds; `baseZoneFile` the static zone file (zones/4.4.e164.zone).
 */
export async function prepareDataset({ dir, n, seed, now, baseZoneFile, onProgress }) {
  const paths = datasetPaths(dir);
  const existing = await readManifest(paths.manifest);
  if (reusable(existing, n, seed, now)) return { paths, manifest: existing, reused: true };

  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const baseText = await readFile(baseZoneFile, 'utf8');
  const base = parseZoneFile(baseText, { file: baseZoneFile });
  const soa = base.find((rr) => rr.type === RRType.SOA);
  if (!soa) throw new BenchError('no-soa', `${baseZoneFile} has no soa record`);
  await writeFile(paths.baseZone, baseText);

  const keys = benchKeys(seed);
  const zoneKey = createZoneKey(BENCH_ZONE, keys.zone);
  await writeZoneKey(paths.keyDir, BENCH_ZONE, keys.zone);

  const started = Date.now();
  const mappingRecords = await publishMappings(paths, keys, n, now, onProgress);
  onProgress?.('signing the peers’ zone');
  const window = { inception: now - INCEPTION_BACKDATE_SECONDS, expiration: now + SIGNATURE_DAYS * 86_400 };
  // RFC 9077 §3.3: the NSEC TTL is the lesser of the SOA MINIMUM field and the SOA TTL.
  const nsecTtl = Math.min(soaCodec.decode(soa.rdata).minimum, soa.ttl);
  const signed = signZone([...base, ...mappingRecords], zoneKey, { ...window, nsecTtl });
  await writeFile(paths.peerZone, `${signed.map(peerZoneLine).join('\n')}\n`);

  const manifest = {
    formatVersion: FORMAT_VERSION,
    n,
    seed,
    zone: BENCH_ZONE,
    keyTag: zoneKey.keyTag,
    createdAt: now,
    signatureExpiration: window.expiration,
    records: signed.length,
    buildSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  await writeFile(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return { paths, manifest, reused: false };
}
