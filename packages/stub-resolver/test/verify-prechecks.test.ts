/**
 * The per-resolution `mspmap` task (src/verify/tasks.ts, src/verify/prechecks.ts): the
 * RRset's validation and each record's object checks in one task, decoded in the worker.
 * checkMappings must give exactly what it gives without the prechecks — for good
 * records and every kind of defect — and must check a record itself whenever the
 * precheck's CSIP keys or second are not its own. The pool runs the built worker
 * (`npx tsc -b` first).
 */
import { signRrset } from '@mimi/dnssec';
import { csiOwnerName, normalizeCsi, type ResourceRecord, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { TimedCache } from '../src/cache/timed-cache.js';
import { createLruCacheStore } from '../src/index.js';
import { checkMappings, type MappingCheckOutput } from '../src/mappings.js';
import { type Verifier, VerifyPool } from '../src/verify/pool.js';
import { CsipKeyMemo, PrecheckingVerifier, type Prechecks, sameKeys } from '../src/verify/prechecks.js';
import { type MspmapOutput, type MspmapTask, type RrsetTask, runTask } from '../src/verify/tasks.js';
import { attest, csipKeyRdata, keyFromText, mapping, msp, NOW, recipientKey } from './helpers/fixtures.js';
import { ZONES, zoneKeyOf } from './helpers/network.js';

const APEX = 'mimi.arpa.';
const CSI = '+447700900501';
const QNAME = csiOwnerName(normalizeCsi(CSI), APEX);
const zoneKey = zoneKeyOf(ZONES.uk);
const keys = { zone: ZONES.uk, keys: [{ keyTag: zoneKey.keyTag, dnskey: zoneKey.dnskey }] };
const recipient = recipientKey(CSI);
const UK_KEYS: readonly Uint8Array[] = [csipKeyRdata('uk-carrier')];
const US_KEYS: readonly Uint8Array[] = [csipKeyRdata('us-carrier')];

const record = (id: string, options: { csip?: string; signer?: string; epoch?: number } = {}) =>
  mapping({
    csi: CSI,
    id,
    recipient,
    att: attest({ csi: CSI, csip: options.csip ?? 'uk-carrier', recipient, epoch: options.epoch ?? 2 }),
    msps: [msp(`${id}.example`, 10, ['Personal'])],
    ...(options.signer === undefined ? {} : { signer: keyFromText(options.signer) }),
  });

/** Every kind of record: good, forged, undecodable, another CSIP (out of scope), older epoch. */
const RDATAS = [
  record('personal'),
  record('work', { signer: 'a stranger' }),
  Uint8Array.of(0xa1, 0x61),
  record('abroad', { csip: 'us-carrier' }),
  record('old', { epoch: 1 }),
];

const rrsetOf = (rdatas: readonly Uint8Array[]) => {
  const records: ResourceRecord[] = rdatas.map((rdata) => ({
    name: QNAME,
    type: RRType.MSPMAP,
    class: 1,
    ttl: 300,
    rdata,
  }));
  const rrsig = signRrset(records, zoneKey, { inception: NOW - 3600, expiration: NOW + 86_400 });
  return { records, rrsigs: [rrsig], keys, now: NOW };
};

const ALL_KEYS = new Map([
  ['uk-carrier', UK_KEYS],
  ['us-carrier', US_KEYS],
]);

function mspmapTask(
  rdatas: readonly Uint8Array[],
  csipKeys: ReadonlyMap<string, readonly Uint8Array[]> = ALL_KEYS,
  now = NOW,
): MspmapTask {
  return {
    kind: 'mspmap',
    rrset: rrsetOf(rdatas),
    checks: { now, expectCsi: CSI, ownerName: QNAME, apex: APEX, csipKeys },
  };
}

/** A verifier on this thread that runs each task as a worker would, and counts them. */
function countingVerifier(): Verifier & { runs: string[] } {
  const runs: string[] = [];
  return {
    runs,
    run: (task) => {
      runs.push(task.kind);
      return Promise.resolve().then(() => runTask(task));
    },
  };
}

async function check(
  prechecks: Prechecks | undefined,
  verifier?: Verifier,
  nowSeconds = NOW,
): Promise<MappingCheckOutput> {
  return checkMappings(
    {
      csi: CSI,
      qname: QNAME,
      apex: APEX,
      rdatas: RDATAS,
      now: nowSeconds * 1000,
      csipKeys: async (id) => ALL_KEYS.get(id) ?? [],
      verifier,
      prechecks,
    },
    new TimedCache(createLruCacheStore(), () => nowSeconds * 1000),
  );
}

const prechecksOf = (task: MspmapTask): Prechecks => {
  const output = runTask(task);
  expect(output.records).toBeDefined();
  return { records: output.records!, now: task.checks.now, csipKeys: task.checks.csipKeys };
};

describe('the mspmap task', () => {
  it('reports each record: decoded or not, and its verdict under the keys given', () => {
    const output = runTask(mspmapTask(RDATAS));
    expect(output.rrset.status).toBe('secure');
    expect(
      output.records!.map((r) =>
        r.decoded
          ? [r.id, r.csip, r.outcome && ('checked' in r.outcome ? 'ok' : r.outcome.failure.code)]
          : [r.failure.code],
      ),
    ).toEqual([
      ['personal', 'uk-carrier', 'ok'],
      ['work', 'uk-carrier', 'signature'],
      [expect.stringMatching(/^cbor-/)],
      ['abroad', 'us-carrier', 'scope'],
      ['old', 'uk-carrier', 'ok'],
    ]);
  });

  it('a record of a CSIP whose keys were not given is decoded but not checked', () => {
    const output = runTask(mspmapTask(RDATAS, new Map([['uk-carrier', UK_KEYS]])));
    const abroad = output.records![3]!;
    expect(abroad).toMatchObject({ decoded: true, id: 'abroad', csip: 'us-carrier' });
    expect(abroad.decoded && abroad.outcome).toBeUndefined();
  });

  it('an RRset that is not secure has none of its records looked at', () => {
    const task = mspmapTask(RDATAS);
    const forged = { ...task, rrset: { ...task.rrset, rrsigs: [] } };
    const output: MspmapOutput = runTask(forged);
    expect(output.rrset).toMatchObject({ status: 'bogus', reason: { code: 'no-rrsig' } });
    expect(output.records).toBeUndefined();
  });

  it('gives the same output from a worker, in one batch with other tasks', async () => {
    const pool = new VerifyPool({ size: 1, steal: false });
    try {
      const tasks = [mspmapTask(RDATAS), mspmapTask([RDATAS[0]!]), mspmapTask(RDATAS, new Map())];
      const there = await Promise.all(tasks.map((task) => pool.run(task)));
      expect(there).toEqual(tasks.map((task) => runTask(task)));
      expect(pool.counts).toEqual({ posted: 3, inline: 0, batches: 1, stolen: 0 });
    } finally {
      await pool.close();
    }
  });
});

describe('checkMappings with prechecks', () => {
  it('gives exactly the result without them, and checks nothing again', async () => {
    const slow = await check(undefined);
    const verifier = countingVerifier();
    const fast = await check(prechecksOf(mspmapTask(RDATAS)), verifier);
    expect(fast).toEqual(slow);
    expect(verifier.runs).toEqual([]);
    // The table covers what it claims: a pass, each failure, an undecodable record, an older epoch.
    expect(slow.mappings.map((m) => m.id)).toEqual(['personal']);
    expect(slow.warnings).toEqual([
      expect.stringMatching(/^record 3: cbor-/),
      expect.stringMatching(/^mapping 'work': signature: /),
      expect.stringMatching(/^mapping 'abroad': scope: /),
      "mapping 'old': superseded: attestation epoch 1 is below 2",
    ]);
  });

  it.each([
    ['the keys of a CSIP were not given', new Map([['uk-carrier', UK_KEYS]]), NOW, ['mapping']],
    [
      'the keys given are other records',
      new Map([...ALL_KEYS, ['uk-carrier', [csipKeyRdata('uk-carrier')]]]),
      NOW,
      ['mapping', 'mapping', 'mapping'],
    ],
    ['the precheck was another second', ALL_KEYS, NOW - 1, ['mapping', 'mapping', 'mapping', 'mapping']],
  ])('checks again what the worker did not check on its keys (%s)', async (_what, given, now, runs) => {
    const slow = await check(undefined);
    const verifier = countingVerifier();
    expect(await check(prechecksOf(mspmapTask(RDATAS, given, now)), verifier)).toEqual(slow);
    expect(verifier.runs).toEqual(runs);
  });

  it('ignores prechecks of another number of records', async () => {
    const verifier = countingVerifier();
    const prechecks = prechecksOf(mspmapTask([RDATAS[0]!]));
    expect(await check(prechecks, verifier)).toEqual(await check(undefined));
    expect(verifier.runs).toHaveLength(4);
  });
});

describe('PrecheckingVerifier', () => {
  const subject = {
    csi: CSI,
    qname: QNAME,
    apex: APEX,
    nowSeconds: () => NOW,
    csipKeys: () => ALL_KEYS,
  };
  const rrsetTask = (rdatas: readonly Uint8Array[], name = QNAME): RrsetTask => {
    const rrset = rrsetOf(rdatas);
    return { kind: 'rrset', ...rrset, records: rrset.records.map((r) => ({ ...r, name })) };
  };

  it('sends its own MSPMAP RRset as one mspmap task and hands back the validation', async () => {
    const pool = countingVerifier();
    const verifier = new PrecheckingVerifier(pool, subject);
    const task = rrsetTask(RDATAS);
    expect(await verifier.run(task)).toEqual(runTask(task));
    expect(pool.runs).toEqual(['mspmap']);
    const prechecks = verifier.take(task.records);
    expect(prechecks?.records).toEqual(runTask(mspmapTask(RDATAS)).records);
    // Taken once, and only for the same records.
    expect(verifier.take(task.records)).toBeUndefined();
  });

  it('passes any other RRset through unchanged', async () => {
    const pool = countingVerifier();
    const verifier = new PrecheckingVerifier(pool, subject);
    const other = rrsetTask(RDATAS, `x.${QNAME}`);
    await verifier.run(other);
    expect(pool.runs).toEqual(['rrset']);
    expect(verifier.take(other.records)).toBeUndefined();
  });

  it('validates only the RRset when the pool runs the task on the calling thread', async () => {
    const full: Verifier = { run: (_task, here) => Promise.resolve().then(here) };
    const verifier = new PrecheckingVerifier(full, subject);
    const task = rrsetTask(RDATAS);
    expect(await verifier.run(task)).toEqual(runTask(task));
    expect(verifier.take(task.records)).toBeUndefined();
  });

  it('holds nothing for an RRset that is not secure', async () => {
    const verifier = new PrecheckingVerifier(countingVerifier(), subject);
    const task = { ...rrsetTask(RDATAS), rrsigs: [] };
    expect(await verifier.run(task)).toMatchObject({ status: 'bogus' });
    expect(verifier.take(task.records)).toBeUndefined();
  });
});

describe('CsipKeyMemo', () => {
  it('replaces its map only when an entry changes, and starts over when full', () => {
    const memo = new CsipKeyMemo();
    memo.remember('uk-carrier', UK_KEYS);
    const first = memo.current;
    memo.remember('uk-carrier', [...UK_KEYS]);
    expect(memo.current).toBe(first);
    memo.remember('uk-carrier', US_KEYS);
    expect(memo.current).not.toBe(first);
    expect(memo.current.get('uk-carrier')).toBe(US_KEYS);
    expect(first.get('uk-carrier')).toBe(UK_KEYS);
    for (let i = 0; i < CsipKeyMemo.MAX_IDS; i++) memo.remember(`csip-${i}`, []);
    expect(memo.current.size).toBeLessThanOrEqual(CsipKeyMemo.MAX_IDS);
    expect(memo.current.has(`csip-${CsipKeyMemo.MAX_IDS - 1}`)).toBe(true);
  });

  it.each([
    [undefined, [], false],
    [[], [], true],
    [UK_KEYS, [...UK_KEYS], true],
    [UK_KEYS, [csipKeyRdata('uk-carrier')], false],
    [UK_KEYS, [...UK_KEYS, ...US_KEYS], false],
  ])('sameKeys compares records by identity (%#)', (a, b, same) => {
    expect(sameKeys(a, b)).toBe(same);
  });
});
