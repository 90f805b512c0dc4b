/**
 * Helpers for engine tests: zone files on disk, a signature-counting engine with the
 * deterministic test keys, and DNSSEC checks of responses with @mimi/dnssec — each
 * check also proves that flipping one byte makes the response bogus.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type SignatureWindow,
  signRrset,
  testZoneKey,
  validateDenial,
  validateDnskeyRrset,
  validateRrset,
  type ZoneKey,
  type ZoneKeys,
} from '@mimi/dnssec';
import { type ResourceRecord, RRType } from '@mimi/protocol';
import { expect } from 'vitest';
import {
  AuthorityEngine,
  type AuthorityEngineOptions,
  type MappingStore,
  type ResponseSections,
} from '../src/index.js';
import { NOW } from './fixtures.js';

/** The +44 child zone (SOA and NS only): the store's mappings are what it serves. */
export const CHILD_ZONE = '4.4.e164.mimi.arpa.';
export const CHILD_ZONE_TEXT = `$ORIGIN 4.4.e164.mimi.arpa.
$TTL 3600
@ IN SOA tel.nic.mimi.arpa. hostmaster.mimi.arpa. 1 7200 3600 1209600 300
  IN NS  tel.nic.mimi.arpa.
`;

export async function writeZones(files: Record<string, string>): Promise<{ dir: string; paths: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'authority-engine-'));
  const paths: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, text);
    paths.push(path);
  }
  return { dir, paths };
}

export interface CountingEngine {
  engine: AuthorityEngine;
  signatures: { owner: string; type: number }[];
  /** The window of each signature, in the order of `signatures`. */
  windows: SignatureWindow[];
  clock: { now: number };
}

/**
 * An engine with the test keys, a settable clock and a signature spy. Signatures get the
 * full validity (no jitter) unless `jitterSeconds` says otherwise, and the background
 * pass over `store` has finished when this resolves (unless the test steps it itself
 * with `yieldNow`).
 */
export async function countingEngine(
  zoneFiles: string[],
  store?: MappingStore,
  options: Partial<AuthorityEngineOptions> & { jitterSeconds?: number } = {},
): Promise<CountingEngine> {
  const signatures: { owner: string; type: number }[] = [];
  const windows: SignatureWindow[] = [];
  const clock = { now: NOW };
  const sign = (records: readonly ResourceRecord[], key: ZoneKey, window: SignatureWindow) => {
    signatures.push({ owner: records[0]!.name, type: records[0]!.type });
    windows.push(window);
    return signRrset(records, key, window);
  };
  const { jitterSeconds = 0, ...engineOptions } = options;
  const engine = await AuthorityEngine.create({
    zoneFiles,
    keyProvider: async (apex) => testZoneKey(apex),
    clock: () => clock.now,
    signer: { sign, jitterSeconds },
    ...(store === undefined ? {} : { store }),
    ...engineOptions,
  });
  if (options.yieldNow === undefined) await engine.signingPass();
  return { engine, signatures, windows, clock };
}

/** The zone's DNSKEY RRset as served, validated against the DS of its test key. */
export function trustedKeys(engine: AuthorityEngine, apex: string, now = NOW): ZoneKeys {
  const response = engine.answer({ name: apex, type: RRType.DNSKEY }, true, now);
  const records = response.answers.filter((r) => r.type === RRType.DNSKEY);
  const rrsigs = response.answers.filter((r) => r.type === RRType.RRSIG);
  const result = validateDnskeyRrset(apex, { ds: [testZoneKey(apex).ds] }, records, rrsigs, now);
  if (result.status !== 'secure') throw new Error(`dnskey of ${apex}: ${JSON.stringify(result)}`);
  return result.keys;
}

/** Flip the lowest bit of one RDATA octet (by default the last one). */
function flipByte(record: ResourceRecord, index = record.rdata.length - 1): ResourceRecord {
  const rdata = Uint8Array.from(record.rdata);
  rdata[index] = rdata[index]! ^ 0x01;
  return { ...record, rdata };
}

/** Split a section into RRsets (by owner and type) and RRSIGs. */
function rrsets(section: readonly ResourceRecord[]): { sets: ResourceRecord[][]; rrsigs: ResourceRecord[] } {
  const byKey = new Map<string, ResourceRecord[]>();
  for (const record of section) {
    if (record.type === RRType.RRSIG) continue;
    const key = `${record.name} ${record.type}`;
    byKey.set(key, [...(byKey.get(key) ?? []), record]);
  }
  return { sets: [...byKey.values()], rrsigs: section.filter((r) => r.type === RRType.RRSIG) };
}

/** Every RRset of `section` verifies; a flipped byte in data or signature does not. */
export function expectSignedSection(section: readonly ResourceRecord[], keys: ZoneKeys, now = NOW): void {
  const { sets, rrsigs } = rrsets(section);
  expect(sets.length).toBeGreaterThan(0);
  for (const set of sets) {
    expect(validateRrset(set, rrsigs, keys, now)).toMatchObject({ status: 'secure' });
    // Octet 1 keeps names well-formed (it is inside the first label, or a number).
    const tampered = [flipByte(set[0]!, 1), ...set.slice(1)];
    expect(validateRrset(tampered, rrsigs, keys, now).status).toBe('bogus');
    const brokenSigs = rrsigs.map((r) => flipByte(r));
    expect(validateRrset(set, brokenSigs, keys, now).status).toBe('bogus');
  }
}

/** The negative response is a valid compact denial; a changed bitmap byte makes it bogus. */
export function expectDenial(
  response: ResponseSections,
  qname: string,
  qtype: number,
  keys: ZoneKeys,
  now = NOW,
): 'nodata' | 'nxname' {
  const rrsigs = response.authorities.filter((r) => r.type === RRType.RRSIG);
  const result = validateDenial({ qname, qtype, records: response.authorities, rrsigs, keys, now });
  if (result.status !== 'secure') throw new Error(`denial of ${qname}: ${JSON.stringify(result)}`);
  const tampered = response.authorities.map((r) => (r.type === RRType.NSEC ? flipByte(r) : r));
  expect(validateDenial({ qname, qtype, records: tampered, rrsigs, keys, now }).status).toBe('bogus');
  return result.denial;
}
