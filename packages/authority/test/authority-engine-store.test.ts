/**
 * An authoritative DP's engine with its mapping store (DESIGN §4, §5): MSPMAP and
 * NAPTR served signed with TTL ≤ 300 s, signed when published (not when asked),
 * change events reaching server-core's listener, removal and expiry turning answers
 * into denials shaped like empty non-terminals.
 */
import { naptrCodec, nsecCodec, RRType } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryMappingStore, Rcode, SqliteMappingStore } from '../src/index.js';
import {
  CHILD_ZONE,
  CHILD_ZONE_TEXT,
  countingEngine,
  expectDenial,
  expectSignedSection,
  trustedKeys,
  writeZones,
} from './engine-helpers.js';
import { mapping, NOW, OWNER, removal } from './fixtures.js';

const CHILD = CHILD_ZONE_TEXT;
const ZONE = CHILD_ZONE;

let paths: string[];
let dir: string;
beforeAll(async () => {
  ({ dir, paths } = await writeZones({ 'child.zone': CHILD }));
});
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['memory', () => new MemoryMappingStore()],
  ['sqlite', () => new SqliteMappingStore(':memory:')],
])('engine with a %s store', (_name, open) => {
  it('signs mapping RRsets when published, then serves them without signing', async () => {
    const store = open();
    const { engine, signatures } = await countingEngine(paths, store);
    const heard: string[][] = [];
    engine.onChange((names) => heard.push(names));
    const before = signatures.length;
    store.publish(mapping({ serial: 1 }), NOW);
    expect(heard).toEqual([[OWNER]]);
    expect(signatures.slice(before)).toEqual([
      { owner: OWNER, type: RRType.MSPMAP },
      { owner: OWNER, type: RRType.NAPTR },
    ]);
    const published = signatures.length;
    const keys = trustedKeys(engine, ZONE);
    for (let i = 0; i < 3; i++) {
      const mspmap = engine.answer({ name: OWNER, type: RRType.MSPMAP }, true, NOW + i);
      expect(mspmap).toMatchObject({ rcode: Rcode.NOERROR, aa: true, invalidationName: OWNER });
      expect(mspmap.answers.every((r) => r.ttl === 300)).toBe(true);
      expectSignedSection(mspmap.answers, keys);
      const naptr = engine.answer({ name: OWNER, type: RRType.NAPTR }, true, NOW + i);
      expectSignedSection(naptr.answers, keys);
      expect(naptrCodec.toText(naptrCodec.decode(naptr.answers[0]!.rdata))).toBe(
        '10 0 "U" "E2U+mimi:Personal" "!^.*$!mimi:whatsapp.example!" .',
      );
    }
    expect(signatures.length).toBe(published);
    store.close();
  });

  it('answers other types at a mapped name with NODATA listing MSPMAP and NAPTR, TTL ≤ 300', async () => {
    const store = open();
    const { engine } = await countingEngine(paths, store);
    store.publish(mapping({ serial: 1 }), NOW);
    const response = engine.answer({ name: OWNER, type: RRType.A }, true, NOW);
    expect(expectDenial(response, OWNER, RRType.A, trustedKeys(engine, ZONE))).toBe('nodata');
    const nsec = response.authorities.find((r) => r.type === RRType.NSEC)!;
    expect(nsecCodec.decode(nsec.rdata).types).toEqual([
      RRType.NAPTR,
      RRType.RRSIG,
      RRType.NSEC,
      RRType.MSPMAP,
    ]);
    expect(Math.max(...response.authorities.map((r) => r.ttl))).toBeLessThanOrEqual(300);
    store.close();
  });

  it('after a removal the name is denied like an empty non-terminal, and listeners hear of it', async () => {
    const store = open();
    const { engine } = await countingEngine(paths, store);
    store.publish(mapping({ serial: 1 }), NOW);
    expect(engine.answer({ name: OWNER, type: RRType.MSPMAP }, true, NOW).answers.length).toBeGreaterThan(0);
    const heard: string[][] = [];
    engine.onChange((names) => heard.push(names));
    store.remove(removal({ serial: 2, all: true }), NOW);
    expect(heard).toEqual([[OWNER]]);
    const response = engine.answer({ name: OWNER, type: RRType.MSPMAP }, true, NOW);
    expect(response.rcode).toBe(Rcode.NOERROR);
    expect(expectDenial(response, OWNER, RRType.MSPMAP, trustedKeys(engine, ZONE))).toBe('nodata');
    const nsec = response.authorities.find((r) => r.type === RRType.NSEC)!;
    expect(nsecCodec.decode(nsec.rdata).types).toEqual([RRType.RRSIG, RRType.NSEC]);
    store.close();
  });

  it('stops serving a mapping when it expires, and caches no longer than that', async () => {
    const store = open();
    const { engine } = await countingEngine(paths, store);
    store.publish(mapping({ serial: 1, exp: NOW + 120 }), NOW);
    const live = engine.answer({ name: OWNER, type: RRType.MSPMAP }, true, NOW + 20);
    expect(live.answers.length).toBeGreaterThan(0);
    expect(live.cacheSeconds).toBe(100);
    expect(live.keepSeconds).toBe(100);
    const expired = engine.answer({ name: OWNER, type: RRType.MSPMAP }, true, NOW + 120);
    expect(expired.answers).toEqual([]);
    expect(expired.authorities.some((r) => r.type === RRType.NSEC)).toBe(true);
    store.close();
  });

  it('a denial for a CSI name caches at most 300 s', async () => {
    const store = open();
    const { engine } = await countingEngine(paths, store);
    const response = engine.answer({ name: `9.${OWNER}`, type: RRType.MSPMAP }, false, NOW);
    expect(response.cacheSeconds).toBeLessThanOrEqual(300);
    expect(response.authorities.map((r) => r.ttl)).toEqual([300]);
    store.close();
  });
});
