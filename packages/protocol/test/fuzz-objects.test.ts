/**
 * Fuzz-style robustness of the object decoders and verifiers (DESIGN §4: "A decoder
 * rejects anything else ... as malformed"). Thousands of inputs from a fixed-seed PRNG —
 * bit flips, truncations, insertions, deletions, splices and random bytes, starting from
 * every vector — must only ever be accepted or refused with ObjectError; anything
 * accepted must be canonical (re-encodes to the very same bytes).
 */
import { readFileSync } from 'node:fs';
import { fromHex } from '@mimi/crypto';
import { describe, expect, it } from 'vitest';
import { ObjectError } from '../src/errors.js';
import { decodeObject, encodeObject, type ObjectKind, verifyMapping } from '../src/objects/index.js';

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/vectors/mimi-objects.json', import.meta.url), 'utf8'),
) as { positive: { kind: ObjectKind; cbor: string }[]; negative: { cbor: string }[] };

const SEEDS: Uint8Array[] = [...vectors.positive, ...vectors.negative].map((v) => fromHex(v.cbor));
const CSIP_KEYS = vectors.positive.filter((v) => v.kind === 'csipkey').map((v) => fromHex(v.cbor));
const KINDS: ObjectKind[] = ['csipkey', 'attestation', 'mapping', 'removal', 'unassignment'];
const NOW = 1767315600;
/** Bytes that start CBOR heads of interest: indefinite forms, breaks, floats, tags, wide lengths. */
const INTERESTING = [
  0x00, 0x17, 0x18, 0x1b, 0x1f, 0x20, 0x40, 0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc1, 0xf4, 0xf5, 0xf6,
  0xf9, 0xfb, 0xff,
];

/** mulberry32: a small deterministic PRNG, so every run sees the same inputs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(random: () => number, input: Uint8Array): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const bytes = Uint8Array.from(input);
  switch (int(7)) {
    case 0: {
      for (let flips = 1 + int(4); flips > 0 && bytes.length > 0; flips--)
        bytes[int(bytes.length)]! ^= 1 << int(8);
      return bytes;
    }
    case 1:
      return bytes.subarray(0, int(bytes.length + 1));
    case 2: {
      const at = int(bytes.length + 1);
      return Uint8Array.from([...bytes.subarray(0, at), int(256), ...bytes.subarray(at)]);
    }
    case 3: {
      const at = int(bytes.length + 1);
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1 + int(8))]);
    }
    case 4: {
      if (bytes.length > 0) bytes[int(bytes.length)] = INTERESTING[int(INTERESTING.length)]!;
      return bytes;
    }
    case 5: {
      const from = int(bytes.length + 1);
      const slice = bytes.subarray(from, from + int(40));
      const at = int(bytes.length + 1);
      return Uint8Array.from([...bytes.subarray(0, at), ...slice, ...bytes.subarray(at)]);
    }
    default:
      return Uint8Array.from({ length: int(64) }, () => int(256));
  }
}

/** Runs `fn`; returns 'ok' or the ObjectError code; anything else fails the test. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof ObjectError) return err.code;
    throw new Error(`non-ObjectError escaped: ${String(err)}`, { cause: err });
  }
}

describe('decoder fuzzing', () => {
  it('only ever accepts canonical objects or throws ObjectError', { timeout: 60_000 }, () => {
    const random = prng(0x5eed_0001);
    const codes = new Map<string, number>();
    let accepted = 0;
    const ROUNDS = 6000;
    for (let round = 0; round < ROUNDS; round++) {
      let input = SEEDS[Math.floor(random() * SEEDS.length)]!;
      for (let steps = 1 + Math.floor(random() * 3); steps > 0; steps--) input = mutate(random, input);
      for (const kind of KINDS) {
        let decoded: unknown;
        const code = outcome(() => {
          decoded = decodeObject(kind, input);
        });
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code !== 'ok') continue;
        accepted++;
        expect(encodeObject(kind, decoded as never)).toEqual(input);
        if (kind === 'mapping') outcome(() => verifyMapping(input, { now: NOW, csipKeys: CSIP_KEYS }));
      }
    }
    // The run exercised both sides and a spread of reasons, not one early exit.
    expect(accepted).toBeGreaterThan(100);
    for (const code of [
      'cbor-truncated',
      'cbor-trailing',
      'cbor-unsorted',
      'cbor-type',
      'schema-type',
      'schema-unknown-key',
    ]) {
      expect(codes.get(code) ?? 0).toBeGreaterThan(0);
    }
  });

  it('refuses hostile lengths and nesting without allocating or recursing', () => {
    const hostile = [
      fromHex('9bffffffffffffffff'),
      fromHex('bbffffffffffffffff'),
      fromHex('5bffffffffffffffff'),
      Uint8Array.from({ length: 4000 }, () => 0x81),
      Uint8Array.from({ length: 4000 }, (_, i) => (i % 2 === 0 ? 0xa1 : 0x60)),
      Uint8Array.from({ length: 5000 }, () => 0xa0),
    ];
    for (const input of hostile) {
      for (const kind of KINDS) expect(outcome(() => decodeObject(kind, input))).not.toBe('ok');
    }
  });
});
