/**
 * resolveMany with signature checks on worker threads (src/verify/pool.ts): the same
 * results — statuses, mappings, reasons, warnings — as on the calling thread, for good
 * data and for every kind of defect (DESIGN §6); an abort still aborts; close()
 * terminates the workers. The workers run the built files: `npx tsc -b` first.
 */
import { Worker } from 'node:worker_threads';
import { RRType } from '@mimi/protocol';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ResolveResult } from '../src/index.js';
import { mappingPublisher, publishObjectDefects } from './helpers/defects.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { attest, keyFromText, NOW, recipientKey } from './helpers/fixtures.js';
import { buildNetwork, type TestNetwork } from './helpers/network.js';
import { editRecords, flipLast } from './helpers/tamper.js';

const stranger = keyFromText('stub test stranger (workers)');

/** One defect each, all in the +44 zone. */
const DEFECT = {
  attestationByStranger: '+447700900301',
  recipientSigByStranger: '+447700900302',
  expiredMapping: '+447700900303',
  outOfScopeCsip: '+447700900304',
  oneForged: '+447700900305',
  allForged: '+447700900306',
  twoEpochs: '+447700900307',
} as const;

let network: TestNetwork;

beforeAll(async () => {
  network = await buildNetwork();
  seedDemo(network);
  const publish = mappingPublisher(network, ['Personal']);
  publishObjectDefects(publish, DEFECT, stranger);
  const r7 = recipientKey(DEFECT.twoEpochs);
  publish(DEFECT.twoEpochs, 'old', {
    serial: 1,
    att: attest({ csi: DEFECT.twoEpochs, csip: 'uk-carrier', recipient: r7, epoch: 1 }),
  });
  publish(DEFECT.twoEpochs, 'new', {
    serial: 2,
    att: attest({ csi: DEFECT.twoEpochs, csip: 'uk-carrier', recipient: r7, epoch: 2 }),
  });
});

afterEach(() => {
  network.transport.tamper = undefined;
  vi.restoreAllMocks();
});

const CSIS = [
  CSI.ukFound,
  CSI.ukOptedOut,
  CSI.ukSameMsp,
  CSI.ukMissing,
  CSI.usFound,
  CSI.alice,
  CSI.noDp,
  ...Object.values(DEFECT),
];

/**
 * resolveMany over `csis` on a fresh resolver with `verifyWorkers` threads, its clock
 * 20 minutes after the data was signed (past the expiring mapping's `exp`).
 */
async function resolveAll(verifyWorkers: number, csis: readonly string[] = CSIS): Promise<ResolveResult[]> {
  const resolver = network.resolver({ verifyWorkers, clock: () => (NOW + 1200) * 1000 });
  try {
    return await resolver.resolveMany(csis, { concurrency: 8, workers: verifyWorkers > 0 });
  } finally {
    await resolver.close();
  }
}

describe('resolveMany on verification workers', () => {
  it('gives exactly the results of the calling thread, defects and all', async () => {
    const here = await resolveAll(0);
    const workers = await resolveAll(2);
    expect(workers).toEqual(here);
    // The table covers what it claims: every outcome and a reason from each kind of check.
    expect(new Set(here.map((result) => result.status))).toEqual(
      new Set(['found', 'opted-out', 'no-mapping', 'bogus']),
    );
    const byCsi = new Map(workers.map((result) => [result.csi, result]));
    expect(byCsi.get(DEFECT.attestationByStranger)?.reason).toMatch(/^signature: /);
    expect(byCsi.get(DEFECT.recipientSigByStranger)?.reason).toMatch(/^signature: /);
    expect(byCsi.get(DEFECT.expiredMapping)?.reason).toMatch(/^expired: /);
    expect(byCsi.get(DEFECT.outOfScopeCsip)?.reason).toMatch(/^scope: /);
    expect(byCsi.get(DEFECT.oneForged)?.status).toBe('found');
    expect(byCsi.get(DEFECT.oneForged)?.warnings).toEqual([
      expect.stringMatching(/^mapping 'work': signature: /),
    ]);
    expect(byCsi.get(DEFECT.allForged)?.warnings).toHaveLength(2);
    expect(byCsi.get(DEFECT.twoEpochs)?.mappings.map((m) => m.id)).toEqual(['new']);
  });

  it('an MSPMAP RRSIG forged on the wire is bad-signature on the workers too', async () => {
    network.transport.tamper = (response, request) =>
      request.qtype === 'MSPMAP'
        ? editRecords(response, 'answers', request.qname, RRType.RRSIG, (rr) => ({
            ...rr,
            rdata: flipLast(rr.rdata),
          }))
        : response;
    const csis = [CSI.ukFound, CSI.ukOptedOut, DEFECT.oneForged];
    const here = await resolveAll(0, csis);
    const workers = await resolveAll(1, csis);
    expect(workers).toEqual(here);
    expect(workers.map((result) => result.reason)).toEqual(
      csis.map(() => expect.stringMatching(/^bad-signature: /)),
    );
  });

  it('an abort stops the run with `aborted`', async () => {
    const resolver = network.resolver({ verifyWorkers: 1 });
    const controller = new AbortController();
    try {
      const run = resolver.resolveMany(CSIS, {
        concurrency: 2,
        workers: true,
        signal: controller.signal,
        onProgress: (done) => {
          if (done === 2) controller.abort();
        },
      });
      await expect(run).rejects.toMatchObject({ name: 'ResolverError', code: 'aborted' });
    } finally {
      await resolver.close();
    }
  });

  it('close() terminates the workers it started, and only once', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const resolver = network.resolver({ verifyWorkers: 2 });
    await resolver.resolveMany([CSI.ukFound, CSI.ukOptedOut], { workers: true });
    expect(terminate).not.toHaveBeenCalled();
    await resolver.close();
    expect(terminate).toHaveBeenCalledTimes(2);
    await resolver.close();
    expect(terminate).toHaveBeenCalledTimes(2);
    await expect(resolver.resolveMany([CSI.ukFound])).rejects.toMatchObject({ code: 'closed' });
  });

  it('starts no worker for a short list, or with workers: false', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const resolver = network.resolver({ verifyWorkers: 2 });
    await resolver.resolveMany([CSI.ukFound, CSI.alice]);
    await resolver.resolveMany(
      Array.from({ length: 40 }, () => CSI.ukFound),
      { workers: false },
    );
    await resolver.close();
    expect(terminate).not.toHaveBeenCalled();
  });

  it.each([-1, 1.5, 65])('verifyWorkers %s is refused with bad-option', (verifyWorkers) => {
    expect(() => network.resolver({ verifyWorkers })).toThrow(
      expect.objectContaining({
        code: 'bad-option',
        message: `verifyWorkers must be a whole number in 0..64, got ${verifyWorkers}`,
      }),
    );
  });
});
