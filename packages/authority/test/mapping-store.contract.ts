/**
 * The MappingStore contract: every DP state rule of DESIGN §4, run against each
 * implementation (SQLite and in-memory). A factory gives a fresh, empty store.
 */
import { decodeMapping, type MspEntry, naptrCodec, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { type MappingStore, MappingStoreError } from '../src/index.js';
import {
  BOB,
  CSI,
  EXP,
  mapping,
  NOW,
  OTHER_CSI,
  OTHER_OWNER,
  OWNER,
  removal,
  STRANGER,
  unassignment,
} from './fixtures.js';

/** The store's refusal code for `run`, checking class and message shape. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(MappingStoreError);
    const error = err as MappingStoreError;
    expect(error.message).toBe(error.message.toLowerCase());
    return error.code;
  }
  throw new Error('expected a refusal');
}

/** MSP lists that make a mapping of about 3,500 octets (16 MSPs × 8 tags). */
function bulkyMsps(seed: string): MspEntry[] {
  return Array.from({ length: 16 }, (_, i) => ({
    msp: `msp${i}.${seed}.example`,
    pri: i,
    tags: Array.from({ length: 8 }, (_, t) => `tag-${seed}-${i}-${t}`.padEnd(20, 'x')),
  }));
}

export function mappingStoreContract(name: string, open: () => MappingStore): void {
  describe(`${name}: publish`, () => {
    it('stores a mapping and serves it as MSPMAP + NAPTR at the owner name, TTL 300', () => {
      const store = open();
      const events: string[][] = [];
      store.onChange((owners) => events.push(owners));
      const bytes = mapping({ serial: 1 });
      const accepted = store.publish(bytes, NOW);
      expect(accepted).toEqual({
        retry: false,
        result: { kind: 'mapping', csi: CSI, owner: OWNER, serial: 1, removedIds: [] },
      });
      expect(events).toEqual([[OWNER]]);
      const { rrsets, changesAt } = store.rrsetsAt(OWNER, NOW);
      expect(rrsets.map((r) => [r.name, r.type, r.ttl])).toEqual([
        [OWNER, RRType.MSPMAP, 300],
        [OWNER, RRType.NAPTR, 300],
      ]);
      expect(rrsets[0]!.rdatas).toEqual([bytes]);
      expect(naptrCodec.decode(rrsets[1]!.rdatas[0]!).regexp).toBe('!^.*$!mimi:whatsapp.example!');
      expect(changesAt).toBe(EXP);
      expect(store.rrsetsAt(OTHER_OWNER, NOW)).toEqual({ rrsets: [], changesAt: undefined });
      store.close();
    });

    it('replaces the mapping with the same id; keeps others', () => {
      const store = open();
      store.publish(mapping({ serial: 1, id: 'personal' }), NOW);
      store.publish(mapping({ serial: 2, id: 'work', msps: [] }), NOW);
      const replacement = mapping({
        serial: 3,
        id: 'personal',
        msps: [{ msp: 'signal.example', pri: 5, tags: [] }],
      });
      expect(store.publish(replacement, NOW).result.removedIds).toEqual([]);
      const stored = store.mappings(CSI, NOW);
      expect(stored.map((m) => [m.id, m.serial])).toEqual([
        ['personal', 3],
        ['work', 2],
      ]);
      expect(stored[0]!.cbor).toEqual(replacement);
      store.close();
    });

    it('refuses a serial that is not strictly higher (409 stale-serial)', () => {
      const store = open();
      store.publish(mapping({ serial: 5 }), NOW);
      expect(refusal(() => store.publish(mapping({ serial: 5, id: 'work' }), NOW))).toBe('stale-serial');
      expect(refusal(() => store.publish(mapping({ serial: 4 }), NOW))).toBe('stale-serial');
      // The guard is per recipient key: another key of the same epoch has its own serials.
      expect(store.publish(mapping({ serial: 1, id: 'bob', signer: BOB }), NOW).retry).toBe(false);
      store.close();
    });

    it('answers a byte-identical retry of the last accepted object with the same success, changing nothing', () => {
      const store = open();
      const events: string[][] = [];
      store.onChange((owners) => events.push(owners));
      const bytes = mapping({ serial: 1 });
      const first = store.publish(bytes, NOW);
      const again = store.publish(bytes, NOW + 5);
      expect(again).toEqual({ retry: true, result: first.result });
      expect(events).toHaveLength(1);
      // Once something else was accepted, the old object is a stale replay.
      store.publish(mapping({ serial: 2, id: 'work' }), NOW);
      expect(refusal(() => store.publish(bytes, NOW))).toBe('stale-serial');
      store.close();
    });

    it('`new` removes every earlier mapping of the CSI', () => {
      const store = open();
      store.publish(mapping({ serial: 1, id: 'personal' }), NOW);
      store.publish(mapping({ serial: 1, id: 'bob', signer: BOB }), NOW);
      store.publish(mapping({ serial: 2, id: 'work' }), NOW);
      const accepted = store.publish(mapping({ serial: 3, id: 'home', new: true }), NOW);
      expect(accepted.result.removedIds).toEqual(['bob', 'personal', 'work']);
      expect(store.mappings(CSI, NOW).map((m) => m.id)).toEqual(['home']);
      store.close();
    });

    it('a higher attestation epoch evicts every mapping of lower epoch', () => {
      const store = open();
      store.publish(mapping({ serial: 1, id: 'personal' }), NOW);
      store.publish(mapping({ serial: 2, id: 'work' }), NOW);
      const accepted = store.publish(mapping({ serial: 1, id: 'bob', signer: BOB, epoch: 2 }), NOW);
      expect(accepted.result.removedIds).toEqual(['personal', 'work']);
      expect(store.mappings(CSI, NOW).map((m) => [m.id, m.epoch])).toEqual([['bob', 2]]);
      // The previous holder can neither come back nor remove anything (403 stale-epoch).
      expect(refusal(() => store.publish(mapping({ serial: 9, id: 'personal' }), NOW))).toBe('stale-epoch');
      expect(refusal(() => store.remove(removal({ serial: 10, all: true }), NOW))).toBe('stale-epoch');
      store.close();
    });

    it('allows 16 mappings per CSI, refuses a 17th (409 too-many-mappings), still allows a replacement', () => {
      const store = open();
      for (let i = 0; i < 16; i++) store.publish(mapping({ serial: i + 1, id: `m${i}`, msps: [] }), NOW);
      expect(refusal(() => store.publish(mapping({ serial: 100, id: 'm16', msps: [] }), NOW))).toBe(
        'too-many-mappings',
      );
      expect(store.publish(mapping({ serial: 101, id: 'm3' }), NOW).retry).toBe(false);
      expect(store.mappings(CSI, NOW)).toHaveLength(16);
      store.close();
    });

    it('refuses a publish that takes the CSI over 16,384 octets of MSPMAP RDATA (409 csi-budget)', () => {
      const store = open();
      const sizes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const bytes = mapping({ serial: i + 1, id: `b${i}`, msps: bulkyMsps(`s${i}`) });
        sizes.push(bytes.length);
        store.publish(bytes, NOW);
      }
      const fifth = mapping({ serial: 9, id: 'b4', msps: bulkyMsps('s4') });
      expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(16_384);
      expect(sizes.reduce((a, b) => a + b, fifth.length)).toBeGreaterThan(16_384);
      expect(refusal(() => store.publish(fifth, NOW))).toBe('csi-budget');
      expect(store.mappings(CSI, NOW)).toHaveLength(4);
      store.close();
    });

    it('refuses bytes that do not decode (400 malformed)', () => {
      const store = open();
      expect(refusal(() => store.publish(Uint8Array.of(0xa0), NOW))).toBe('malformed');
      expect(refusal(() => store.remove(mapping({ serial: 1 }), NOW))).toBe('malformed');
      store.close();
    });
  });

  describe(`${name}: removal and unassignment`, () => {
    it('removes by ids, and the serial must rise across publishes and removals', () => {
      const store = open();
      store.publish(mapping({ serial: 1, id: 'personal' }), NOW);
      store.publish(mapping({ serial: 2, id: 'work' }), NOW);
      expect(refusal(() => store.remove(removal({ serial: 2, ids: ['work'] }), NOW))).toBe('stale-serial');
      const accepted = store.remove(removal({ serial: 3, ids: ['work', 'unknown'] }), NOW);
      expect(accepted.result).toEqual({
        kind: 'removal',
        csi: CSI,
        owner: OWNER,
        serial: 3,
        removedIds: ['work'],
      });
      expect(store.mappings(CSI, NOW).map((m) => m.id)).toEqual(['personal']);
      store.close();
    });

    it('removes all; the replay guard survives, so a removed mapping cannot be replayed back', () => {
      const store = open();
      const old = mapping({ serial: 1 });
      store.publish(old, NOW);
      store.remove(removal({ serial: 2, all: true }), NOW);
      expect(store.rrsetsAt(OWNER, NOW).rrsets).toEqual([]);
      expect(refusal(() => store.publish(old, NOW))).toBe('stale-serial');
      // A key with only a stored serial may still remove (nothing left, serial moves on).
      expect(store.remove(removal({ serial: 3, all: true }), NOW).result.removedIds).toEqual([]);
      store.close();
    });

    it('refuses a removal by a key that signed nothing here (403 not-authorized)', () => {
      const store = open();
      store.publish(mapping({ serial: 1 }), NOW);
      expect(refusal(() => store.remove(removal({ serial: 5, all: true, signer: STRANGER }), NOW))).toBe(
        'not-authorized',
      );
      expect(refusal(() => store.remove(removal({ csi: OTHER_CSI, serial: 5, all: true }), NOW))).toBe(
        'not-authorized',
      );
      store.close();
    });

    it('an unassignment removes the lower epochs, raises the CSI epoch, and stale keys stay out', () => {
      const store = open();
      const events: string[][] = [];
      store.onChange((owners) => events.push(owners));
      const old = mapping({ serial: 1 });
      store.publish(old, NOW);
      store.publish(mapping({ serial: 1, csi: OTHER_CSI, signer: BOB }), NOW);
      const accepted = store.unassign(unassignment(2), NOW);
      expect(accepted.result).toEqual({
        kind: 'unassignment',
        csi: CSI,
        owner: OWNER,
        epoch: 2,
        removedIds: ['personal'],
      });
      expect(events.at(-1)).toEqual([OWNER]);
      expect(store.mappings(CSI, NOW)).toEqual([]);
      expect(store.mappings(OTHER_CSI, NOW)).toHaveLength(1);
      expect(refusal(() => store.publish(old, NOW))).toBe('stale-epoch');
      expect(refusal(() => store.publish(mapping({ serial: 7 }), NOW))).toBe('stale-epoch');
      expect(refusal(() => store.remove(removal({ serial: 8, all: true }), NOW))).toBe('stale-epoch');
      // The new holder (epoch 2) publishes; an equal-epoch unassignment removes nothing.
      store.publish(mapping({ serial: 1, signer: BOB, epoch: 2 }), NOW);
      expect(store.unassign(unassignment(2), NOW).result.removedIds).toEqual([]);
      expect(store.mappings(CSI, NOW)).toHaveLength(1);
      store.close();
    });

    it('byte-identical retries of removals and unassignments are idempotent too', () => {
      const store = open();
      store.publish(mapping({ serial: 1 }), NOW);
      const bytes = removal({ serial: 2, all: true });
      const first = store.remove(bytes, NOW);
      expect(store.remove(bytes, NOW)).toEqual({ retry: true, result: first.result });
      const notice = unassignment(3);
      const done = store.unassign(notice, NOW);
      expect(store.unassign(notice, NOW)).toEqual({ retry: true, result: done.result });
      store.close();
    });
  });

  describe(`${name}: expiry`, () => {
    it('does not serve expired mappings; a mapping dies with its attestation', () => {
      const store = open();
      store.publish(mapping({ serial: 1, id: 'short', exp: NOW + 100 }), NOW);
      store.publish(mapping({ serial: 2, id: 'att', attExp: NOW + 200 }), NOW);
      store.publish(mapping({ serial: 3, id: 'long' }), NOW);
      expect(store.rrsetsAt(OWNER, NOW).changesAt).toBe(NOW + 100);
      expect(store.mappings(CSI, NOW + 100).map((m) => m.id)).toEqual(['att', 'long']);
      expect(store.rrsetsAt(OWNER, NOW + 150).changesAt).toBe(NOW + 200);
      expect(store.rrsetsAt(OWNER, NOW + 200).rrsets[0]!.rdatas).toHaveLength(1);
      store.close();
    });

    it('expired mappings do not count toward the limit and can be purged; guards stay', () => {
      const store = open();
      const events: string[][] = [];
      for (let i = 0; i < 16; i++)
        store.publish(mapping({ serial: i + 1, id: `m${i}`, msps: [], exp: NOW + 10 }), NOW);
      expect(store.publish(mapping({ serial: 50, id: 'fresh' }), NOW + 10).retry).toBe(false);
      store.onChange((owners) => events.push(owners));
      store.publish(mapping({ serial: 60, csi: OTHER_CSI, signer: BOB, exp: NOW + 20 }), NOW);
      expect(store.purgeExpired(NOW + 20)).toBe(1);
      expect(events.at(-1)).toEqual([OTHER_OWNER]);
      expect(refusal(() => store.publish(mapping({ serial: 60, csi: OTHER_CSI, signer: BOB }), NOW))).toBe(
        'stale-serial',
      );
      expect(store.mappings(CSI, NOW + 20).map((m) => m.id)).toEqual(['fresh']);
      store.close();
    });
  });

  describe(`${name}: walking the owners (presigning)`, () => {
    it('pages through every owner with live mappings, in order, each once', () => {
      const store = open();
      const owners: string[] = [];
      for (let i = 0; i < 5; i++) {
        const csi = `+44770090013${i}`;
        owners.push(store.publish(mapping({ serial: 1, csi, id: 'a' }), NOW).result.owner);
        store.publish(mapping({ serial: 2, csi, id: 'b', exp: i === 3 ? NOW + 10 : EXP }), NOW);
      }
      store.publish(mapping({ serial: 1, csi: OTHER_CSI, exp: NOW + 10 }), NOW);
      const sorted = [...owners, OTHER_OWNER].sort();
      const walk = (now: number, limit: number) => {
        const seen: string[] = [];
        for (let page = store.ownersAfter('', limit, now); page.length > 0; ) {
          expect(page.length).toBeLessThanOrEqual(limit);
          seen.push(...page);
          page = store.ownersAfter(page.at(-1)!, limit, now);
        }
        return seen;
      };
      expect(store.ownersAfter(sorted[1]!, 2, NOW)).toEqual(sorted.slice(2, 4));
      expect(walk(NOW, 2)).toEqual(sorted);
      expect(walk(NOW, 100)).toEqual(sorted);
      // At NOW + 10 the other CSI's only mapping is gone; owner 3 keeps mapping 'a'.
      expect(walk(NOW + 10, 4)).toEqual(owners.slice().sort());
      expect(store.ownersAfter(sorted.at(-1)!, 10, NOW)).toEqual([]);
      store.close();
    });
  });

  describe(`${name}: the ENUM view`, () => {
    it('derives NAPTR from every live mapping, merged and sorted', () => {
      const store = open();
      store.publish(
        mapping({ serial: 1, id: 'a', msps: [{ msp: 'wire.example', pri: 20, tags: ['Business'] }] }),
        NOW,
      );
      store.publish(
        mapping({
          serial: 2,
          id: 'b',
          msps: [
            { msp: 'wire.example', pri: 20, tags: ['Business'] },
            { msp: 'signal.example', pri: 10, tags: [] },
          ],
        }),
        NOW,
      );
      const naptr = store.rrsetsAt(OWNER, NOW).rrsets[1]!;
      const texts = naptr.rdatas.map((r) => naptrCodec.toText(naptrCodec.decode(r)));
      expect(texts).toEqual([
        '10 0 "U" "E2U+mimi" "!^.*$!mimi:signal.example!" .',
        '20 0 "U" "E2U+mimi:Business" "!^.*$!mimi:wire.example!" .',
      ]);
      expect(decodeMapping(store.rrsetsAt(OWNER, NOW).rrsets[0]!.rdatas[0]!).id).toBe('a');
      store.close();
    });
  });
}
