/**
 * DESIGN §5 "RRsets are signed when loaded or changed ... re-signed before expiry":
 * the engine signs the store's MSPMAP and NAPTR RRsets in a background pass at load
 * and reload, in chunks between which answers keep flowing (the test steps the pass by
 * hand), and re-signs them ahead of their refresh points, spread out. Signatures are
 * counted with the signer spy; all times are the injected clock's.
 */
import { RRType } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MappingStore,
  MemoryMappingStore,
  OWNERS_PER_CHUNK,
  Rcode,
  type SigningPassReport,
  SqliteMappingStore,
} from '../src/index.js';
import {
  CHILD_ZONE,
  CHILD_ZONE_TEXT,
  countingEngine,
  expectSignedSection,
  trustedKeys,
  writeZones,
} from './engine-helpers.js';
import { mapping, NOW, removal } from './fixtures.js';

const CHILD = CHILD_ZONE_TEXT;
const ZONE = CHILD_ZONE;
const DAY = 86_400;
/** Enough owners for three chunks. */
const OWNERS = 2 * OWNERS_PER_CHUNK + 8;

let paths: string[];
let dir: string;
beforeAll(async () => {
  ({ dir, paths } = await writeZones({ 'child.zone': CHILD }));
});
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

/** Publish one mapping for each of `count` CSIs; their owner names, in walk order. */
function fill(store: MappingStore, count = OWNERS): string[] {
  const owners: string[] = [];
  for (let i = 0; i < count; i++) {
    const csi = `+4477009${String(i).padStart(5, '0')}`;
    owners.push(store.publish(mapping({ serial: 1, csi }), NOW).result.owner);
  }
  return owners.sort();
}

/** A yield the test releases one chunk at a time. */
function stepper() {
  const waiting: (() => void)[] = [];
  return {
    yieldNow: () => new Promise<void>((resolve) => waiting.push(resolve)),
    /** Let the pass run one more chunk (or finish). */
    async step(): Promise<void> {
      waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
    async finish(pass: Promise<SigningPassReport> | undefined): Promise<SigningPassReport> {
      let done = false;
      void pass?.then(() => {
        done = true;
      });
      while (!done) await this.step();
      return pass!;
    },
  };
}

const keyOf = (s: { owner: string; type: number }) => `${s.owner} ${s.type}`;

describe.each([
  ['memory', () => new MemoryMappingStore()],
  ['sqlite', () => new SqliteMappingStore(':memory:')],
])('presigning with a %s store', (_name, open) => {
  it('signs every stored RRset exactly once, chunk by chunk, and answers correctly meanwhile', async () => {
    const store = open();
    const owners = fill(store);
    const steps = stepper();
    const { engine, signatures } = await countingEngine(paths, store, { yieldNow: steps.yieldNow });
    const atLoad = signatures.length; // zone data only: the pass waits for its first step
    expect(signatures.every((s) => s.type !== RRType.MSPMAP && s.type !== RRType.NAPTR)).toBe(true);
    const pass = engine.signingPass()!;

    await steps.step(); // the first chunk
    expect(signatures.length - atLoad).toBe(2 * OWNERS_PER_CHUNK);
    expect(new Set(signatures.slice(atLoad).map((s) => s.owner))).toEqual(
      new Set(owners.slice(0, OWNERS_PER_CHUNK)),
    );
    const keys = trustedKeys(engine, ZONE);
    // Reached by the pass: served from its signatures.
    const early = engine.answer({ name: owners[0]!, type: RRType.MSPMAP }, true, NOW);
    expect(early.rcode).toBe(Rcode.NOERROR);
    expectSignedSection(early.answers, keys);
    expect(signatures.length - atLoad).toBe(2 * OWNERS_PER_CHUNK);
    // Not reached yet: signed on demand, correct all the same.
    const last = owners.at(-1)!;
    const late = engine.answer({ name: last, type: RRType.NAPTR }, true, NOW);
    expectSignedSection(late.answers, keys);
    expect(signatures.at(-1)).toEqual({ owner: last, type: RRType.NAPTR });

    const report = await steps.finish(pass);
    expect(report).toMatchObject({
      reason: 'load',
      outcome: 'complete',
      owners: OWNERS,
      rrsets: 2 * OWNERS,
      signatures: 2 * OWNERS - 1, // the NAPTR asked for above was already signed
    });
    const storeSignatures = signatures.slice(atLoad);
    expect(storeSignatures).toHaveLength(2 * OWNERS);
    expect(new Set(storeSignatures.map(keyOf)).size).toBe(2 * OWNERS);
    // The first pass over the data now costs no signature.
    for (const owner of owners) {
      for (const type of [RRType.MSPMAP, RRType.NAPTR]) {
        expectSignedSection(engine.answer({ name: owner, type }, true, NOW + 60).answers, keys);
      }
    }
    expect(signatures).toHaveLength(atLoad + 2 * OWNERS);
    store.close();
  });

  it('a reload supersedes a running pass; the new one signs only what is left', async () => {
    const store = open();
    fill(store);
    const steps = stepper();
    const { engine, signatures } = await countingEngine(paths, store, { yieldNow: steps.yieldNow });
    const first = engine.signingPass()!;
    await steps.step();
    const reloading = engine.reload();
    await reloading;
    const second = engine.signingPass()!;
    expect(second).not.toBe(first);
    expect(await steps.finish(first)).toMatchObject({ outcome: 'superseded', owners: OWNERS_PER_CHUNK });
    expect(await steps.finish(second)).toMatchObject({
      reason: 'reload',
      outcome: 'complete',
      owners: OWNERS,
      signatures: 2 * (OWNERS - OWNERS_PER_CHUNK),
    });
    const store_ = signatures.filter((s) => s.type === RRType.MSPMAP || s.type === RRType.NAPTR);
    expect(store_).toHaveLength(2 * OWNERS);
    expect(new Set(store_.map(keyOf)).size).toBe(2 * OWNERS);
    store.close();
  });

  it('close() stops the pass at its next chunk', async () => {
    const store = open();
    fill(store);
    const steps = stepper();
    const { engine } = await countingEngine(paths, store, { yieldNow: steps.yieldNow });
    await steps.step();
    engine.close();
    expect(await steps.finish(engine.signingPass())).toMatchObject({
      outcome: 'closed',
      owners: OWNERS_PER_CHUNK,
    });
    expect(engine.refreshSignatures(NOW + 5 * DAY)).toBeUndefined();
    store.close();
  });

  it('can be turned off: then the store is signed on demand only', async () => {
    const store = open();
    const [owner] = fill(store, 3);
    const { engine, signatures } = await countingEngine(paths, store, { presignStore: false });
    expect(engine.signingPass()).toBeUndefined();
    const atLoad = signatures.length;
    engine.answer({ name: owner!, type: RRType.MSPMAP }, true, NOW);
    expect(signatures.slice(atLoad)).toEqual([{ owner, type: RRType.MSPMAP }]);
    store.close();
  });
});

describe('a store failing during the pass', () => {
  it('ends the pass as failed with the reason; the engine keeps answering', async () => {
    class FailingStore extends MemoryMappingStore {
      pages = 0;
      override ownersAfter(after: string, limit: number, now: number): string[] {
        if (++this.pages > 1) throw new TypeError('database connection is not open');
        return super.ownersAfter(after, limit, now);
      }
    }
    const store = new FailingStore();
    const owners = fill(store);
    const { engine } = await countingEngine(paths, store);
    expect(await engine.signingPass()).toMatchObject({
      outcome: 'failed',
      owners: OWNERS_PER_CHUNK,
      error: 'database connection is not open',
    });
    const answer = engine.answer({ name: owners.at(-1)!, type: RRType.MSPMAP }, true, NOW);
    expectSignedSection(answer.answers, trustedKeys(engine, ZONE));
  });
});

describe('re-signing before expiry, spread out', () => {
  it('RRsets signed in one pass come due over a day; the timer re-signs each once, ahead, and queries never sign', async () => {
    const store = new MemoryMappingStore();
    const owners = fill(store);
    const { engine, signatures, windows } = await countingEngine(paths, store, { jitterSeconds: DAY });
    const isStore = (i: number) =>
      signatures[i]!.type === RRType.MSPMAP || signatures[i]!.type === RRType.NAPTR;
    const refreshOf = new Map<string, number>();
    signatures.forEach((s, i) => {
      if (isStore(i)) refreshOf.set(keyOf(s), windows[i]!.expiration - 2 * DAY);
    });
    expect(refreshOf.size).toBe(2 * OWNERS);
    const points = [...refreshOf.values()];
    // All signed at NOW; their refresh points fall in (NOW + 4 d, NOW + 5 d], no two
    // hours holding more than a quarter of them.
    expect(Math.min(...points)).toBeGreaterThan(NOW + 4 * DAY);
    expect(Math.max(...points)).toBeLessThanOrEqual(NOW + 5 * DAY);
    const perHour = new Map<number, number>();
    for (const at of points)
      perHour.set(Math.floor(at / 3600), (perHour.get(Math.floor(at / 3600)) ?? 0) + 1);
    expect(Math.max(...perHour.values())).toBeLessThanOrEqual(points.length / 8);

    // Nothing is due in the first four days.
    const before = signatures.length;
    expect(engine.refreshSignatures(NOW + 4 * DAY - 3600)).toBeUndefined();
    expect(signatures).toHaveLength(before);

    // The maintenance timer, every 10 minutes through the fifth day: each RRset is
    // re-signed once, before its refresh point, and no answer in between signs.
    for (let t = NOW + 4 * DAY - 3600; t <= NOW + 5 * DAY + 3600; t += 600) {
      await engine.refreshSignatures(t);
      const signed = signatures.length;
      for (const owner of owners) {
        engine.answer({ name: owner, type: RRType.MSPMAP }, true, t);
        engine.answer({ name: owner, type: RRType.NAPTR }, true, t);
      }
      expect(signatures.length).toBe(signed);
    }
    // (The zone's own RRsets are re-signed by the same timer; they are not counted here.)
    const resigned = signatures.map((s, i) => ({ s, i })).filter(({ i }) => i >= before && isStore(i));
    expect(resigned).toHaveLength(2 * OWNERS);
    expect(new Set(resigned.map(({ s }) => keyOf(s))).size).toBe(2 * OWNERS);
    for (const { s, i } of resigned) {
      const signedAt = windows[i]!.inception + 3600;
      const due = refreshOf.get(keyOf(s))!;
      expect(signedAt).toBeLessThanOrEqual(due);
      expect(signedAt).toBeGreaterThan(due - 3600 - 600);
    }
  });

  it('a store change files the owner for refresh; a removal takes it out', async () => {
    const store = new MemoryMappingStore();
    const { engine, signatures } = await countingEngine(paths, store);
    const [kept, removed] = fill(store, 2);
    const removedCsi = store.ownersAfter('', 10, NOW).includes(removed!) ? csiOf(removed!) : '';
    store.remove(removal({ csi: removedCsi, serial: 2, all: true }), NOW);
    const published = signatures.length;
    // Published at NOW without jitter: due at NOW + 5 d, re-signed by the timer an hour ahead.
    await engine.refreshSignatures(NOW + 5 * DAY - 3600);
    expect(signatures.slice(published)).toEqual([
      { owner: kept, type: RRType.MSPMAP },
      { owner: kept, type: RRType.NAPTR },
    ]);
    expect(engine.refreshSignatures(NOW + 5 * DAY - 3600)).toBeUndefined();
  });
});

/** The E.164 CSI of an owner name under 4.4.e164.mimi.arpa. (digits reversed, DESIGN §3). */
function csiOf(owner: string): string {
  return `+${owner.split('.e164.')[0]!.split('.').reverse().join('')}`;
}
