/**
 * Our own vectors (docs/vectors/mimi-objects-ours.json, same JSON shape as the shared
 * test/vectors/mimi-objects.json): objects made by this code from fixed seeds. The test
 * rebuilds the file and requires it byte for byte, then checks the file the way the
 * shared vectors are checked. Regenerate after an intended change with
 *   MIMI_WRITE_VECTORS=1 npx vitest run packages/protocol/test/vectors-ours.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { privateKeyFromSeed, publicKeyOf, sha256, toHex } from '@mimi/crypto';
import { describe, expect, it } from 'vitest';
import { csiOwnerName, normalizeCsi } from '../src/csi/index.js';
import { CsiError } from '../src/errors.js';
import {
  type CsipKeyRecord,
  encodeCsipKeyRecord,
  type ObjectKind,
  type SignedKind,
  signObject,
  type UnsignedObjects,
  unassignmentRemoves,
} from '../src/objects/index.js';

const FILE = new URL('../../../docs/vectors/mimi-objects-ours.json', import.meta.url);
const APEX = 'mimi.arpa.';
const TIMES = { iat: 1767225600, exp: 1798761600, later: 1767312000, now: 1767315600 };

const KEY_NAMES = ['us-carrier', 'example-mail', 'rcpt-14155550100', 'rcpt-elodie', 'stranger'] as const;
type KeyName = (typeof KEY_NAMES)[number];
const keys = KEY_NAMES.map((name, i) => {
  const seedText = `mimi ours key ${i + 1}`;
  const seed = sha256(new TextEncoder().encode(seedText));
  return {
    name,
    seedText,
    seed,
    privateKey: privateKeyFromSeed(seed),
    publicKey: publicKeyOf(privateKeyFromSeed(seed)),
  };
});
const keyOf = (name: KeyName) => keys.find((k) => k.name === name)!;

/** Typed value → the README's JSON form: `rk`, `pk`, `sig` as hex, the rest as is. */
function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

const csipRecords: CsipKeyRecord[] = [
  { v: 1, id: 'us-carrier', pk: keyOf('us-carrier').publicKey, scope: ['+1'], exp: TIMES.exp },
  {
    v: 1,
    id: 'example-mail',
    pk: keyOf('example-mail').publicKey,
    scope: ['example.com', 'xn--bcher-kva.example'],
    exp: TIMES.exp,
  },
];
const csipKeyHex = csipRecords.map((r) => toHex(encodeCsipKeyRecord(r)));
const verifyBlock = { now: TIMES.now, csipKeys: csipKeyHex };

function ownerOf(csi: string): string {
  return csiOwnerName(normalizeCsi(csi), APEX);
}

function buildVectors(): unknown {
  const signed = new Map<string, { kind: SignedKind; cbor: Uint8Array; object: unknown }>();
  const positive: unknown[] = csipRecords.map((record) => ({
    name: `csipkey-${record.id}`,
    kind: 'csipkey',
    input: toJson(record),
    cbor: toHex(encodeCsipKeyRecord(record)),
    owner: `${record.id}.csip.${APEX}`,
  }));
  function add<K extends SignedKind>(name: string, kind: K, signer: KeyName, input: UnsignedObjects[K]) {
    const result = signObject(kind, input, keyOf(signer).privateKey);
    signed.set(name, { kind, cbor: result.bytes, object: result.object });
    positive.push({
      name,
      kind,
      signer,
      input: toJson(input),
      unsignedCbor: toHex(result.unsignedBytes),
      signingInput: toHex(result.signingInput),
      sig: toHex(result.object.sig),
      cbor: toHex(result.bytes),
      owner: ownerOf(input.csi),
      verify: verifyBlock,
    });
    return result.object;
  }
  const { iat, exp, later } = TIMES;
  const rk = keyOf('rcpt-14155550100').publicKey;
  const att = add('att-14155550100', 'attestation', 'us-carrier', {
    v: 1,
    csi: '+14155550100',
    rk,
    csip: 'us-carrier',
    epoch: 1,
    iat,
    exp,
  });
  add('map-14155550100-personal', 'mapping', 'rcpt-14155550100', {
    v: 1,
    csi: '+14155550100',
    id: 'personal',
    serial: 1,
    iat,
    exp,
    msps: [{ msp: 'signal.example', pri: 10, tags: ['Personal'] }],
    att,
  });
  add('map-14155550100-work', 'mapping', 'rcpt-14155550100', {
    v: 1,
    csi: '+14155550100',
    id: 'work',
    serial: 2,
    iat,
    exp,
    msps: [
      { msp: 'wire.example', pri: 10, tags: ['Business'] },
      { msp: 'teams.example', pri: 20, tags: ['Business', 'Work'] },
    ],
    att,
  });
  const elodie = 'élodie@xn--bcher-kva.example';
  const attElodie = add('att-elodie', 'attestation', 'example-mail', {
    v: 1,
    csi: elodie,
    rk: keyOf('rcpt-elodie').publicKey,
    csip: 'example-mail',
    epoch: 3,
    iat,
    exp,
  });
  add('map-elodie-opted-out-new', 'mapping', 'rcpt-elodie', {
    v: 1,
    csi: elodie,
    id: 'everything',
    serial: 65536,
    new: true,
    iat,
    exp,
    msps: [],
    policy: { sameMspOnly: true },
    att: attElodie,
  });
  add('removal-14155550100-ids', 'removal', 'rcpt-14155550100', {
    v: 1,
    csi: '+14155550100',
    rk,
    ids: ['personal', 'work'],
    serial: 3,
    iat: later,
  });
  add('removal-elodie-all', 'removal', 'rcpt-elodie', {
    v: 1,
    csi: elodie,
    rk: keyOf('rcpt-elodie').publicKey,
    all: true,
    serial: 65537,
    iat: later,
  });
  add('unassignment-14155550100', 'unassignment', 'us-carrier', {
    v: 1,
    csi: '+14155550100',
    csip: 'us-carrier',
    epoch: 2,
    iat: later,
  });

  const mapping = signed.get('map-14155550100-personal')!.object as UnsignedObjects['mapping'];
  const { sig: _sig, ...unsignedMapping } = mapping as UnsignedObjects['mapping'] & { sig: Uint8Array };
  const negative = [
    {
      name: 'mapping-signed-by-stranger',
      kind: 'mapping',
      cbor: toHex(signObject('mapping', unsignedMapping, keyOf('stranger').privateKey).bytes),
      verify: verifyBlock,
      error: 'signature',
      reason: 'a valid mapping re-signed by a key other than att.rk',
      basis: 'design',
    },
    {
      name: 'mapping-after-expiry',
      kind: 'mapping',
      cbor: toHex(signed.get('map-14155550100-personal')!.cbor),
      verify: { ...verifyBlock, now: exp },
      error: 'expired',
      reason: 'verified at now = exp (now < exp must hold)',
      basis: 'design',
    },
    {
      name: 'mapping-for-other-csi',
      kind: 'mapping',
      cbor: toHex(signed.get('map-14155550100-work')!.cbor),
      verify: { ...verifyBlock, expectCsi: '+14155550101' },
      error: 'csi-mismatch',
      reason: 'a valid mapping of +14155550100 served for +14155550101',
      basis: 'design',
    },
    {
      name: 'att-unknown-csip',
      kind: 'attestation',
      cbor: toHex(signed.get('att-elodie')!.cbor),
      verify: { ...verifyBlock, csipKeys: [csipKeyHex[0]] },
      error: 'csip-key-unknown',
      reason: 'no CSIPKEY record for example-mail is known',
      basis: 'design',
    },
  ];

  const csiInputs = ['+1 (415) 555-0100', 'tel:+800-1234-5678', 'Élodie@BÜCHER.example', 'Bob@例え。テスト'];
  const csiInvalid = ['+1', '+4', 'alice@xn--zca.example', 'alice@127.0.0.1'];
  const csiError = (input: string) => {
    try {
      normalizeCsi(input);
    } catch (err) {
      if (err instanceof CsiError) return { input, error: err.code, reason: err.message, basis: 'design' };
      throw err;
    }
    throw new Error(`${input} was accepted`);
  };
  return {
    version: 1,
    generator: '@mimi/protocol of this repository (packages/protocol/test/vectors-ours.test.ts)',
    apex: APEX,
    times: TIMES,
    keys: keys.map((k) => ({
      name: k.name,
      seedText: k.seedText,
      seed: toHex(k.seed),
      publicKey: toHex(k.publicKey),
    })),
    positive,
    semantics: ['map-14155550100-personal', 'map-14155550100-work', 'map-elodie-opted-out-new'].map(
      (name) => ({
        unassignment: 'unassignment-14155550100',
        mapping: name,
        removes: unassignmentRemoves(
          signed.get('unassignment-14155550100')!.object as never,
          signed.get(name)!.object as never,
        ),
      }),
    ),
    negative,
    csi: {
      valid: csiInputs.map((input) => ({
        input,
        csi: normalizeCsi(input).csi,
        owner: ownerOf(input),
        basis: 'design',
      })),
      invalid: csiInvalid.map(csiError),
      unsettled: [],
    },
  };
}

const built = `${JSON.stringify(buildVectors(), null, 2)}\n`;
if (process.env.MIMI_WRITE_VECTORS === '1') writeFileSync(FILE, built);
const file = readFileSync(FILE, 'utf8');
const vectors = JSON.parse(file) as { positive: { kind: ObjectKind }[]; semantics: { removes: boolean }[] };

// The file's objects are verified and its negatives rejected by vectors-objects.test.ts,
// which runs both vector files through the same checks.
describe('our vectors (docs/vectors/mimi-objects-ours.json)', () => {
  it('are reproduced byte for byte by the current code', () => {
    expect(file).toBe(built);
  });

  it('cover every kind, and the unassignment removes only the epoch-1 mappings of its CSI', () => {
    expect(new Set(vectors.positive.map((p) => p.kind))).toEqual(
      new Set(['csipkey', 'attestation', 'mapping', 'removal', 'unassignment']),
    );
    expect(vectors.semantics.map((s) => s.removes)).toEqual([true, true, false]);
  });
});
