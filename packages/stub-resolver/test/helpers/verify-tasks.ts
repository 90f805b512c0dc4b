/**
 * Verification tasks for the pool's tests (verify-pool*.test.ts): an RRset task over a
 * small TXT RRset of the +44 zone, a mapping task with a good or forged record, and the
 * outcome of running either (output, or a MimiError's code and message).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signRrset } from '@mimi/dnssec';
import { isMimiError } from '@mimi/errors';
import { csiOwnerName, normalizeCsi, type ResourceRecord, RRType } from '@mimi/protocol';
import { TimedCache } from '../../src/cache/timed-cache.js';
import { createLruCacheStore } from '../../src/index.js';
import { checkMappings, type MappingCheckOutput } from '../../src/mappings.js';
import type { Verifier } from '../../src/verify/pool.js';
import type { MappingTask, RrsetTask } from '../../src/verify/tasks.js';
import { attest, csipKeyRdata, type keyFromText, mapping, msp, NOW, recipientKey } from './fixtures.js';
import { ZONES, zoneKeyOf } from './network.js';

export const CSI = '+447700900401';
export const QNAME = csiOwnerName(normalizeCsi(CSI), 'mimi.arpa.');
const key = zoneKeyOf(ZONES.uk);
const record: ResourceRecord = {
  name: QNAME,
  type: RRType.TXT,
  class: 1,
  ttl: 300,
  rdata: Uint8Array.of(2, 104, 105),
};
export const rrsig = signRrset([record], key, { inception: NOW - 3600, expiration: NOW + 86_400 });
const keys = { zone: ZONES.uk, keys: [{ keyTag: key.keyTag, dnskey: key.dnskey }] };

export const rrsetTask = (rrsigs: readonly ResourceRecord[] = [rrsig]): RrsetTask => ({
  kind: 'rrset',
  records: [record],
  rrsigs,
  keys,
  now: NOW,
});

export function mappingTask(signer?: ReturnType<typeof keyFromText>): MappingTask {
  const recipient = recipientKey(CSI);
  return {
    kind: 'mapping',
    rdata: mapping({
      csi: CSI,
      id: 'personal',
      recipient,
      att: attest({ csi: CSI, csip: 'uk-carrier', recipient }),
      msps: [msp('signal.example', 10, ['Personal'])],
      ...(signer === undefined ? {} : { signer }),
    }),
    now: NOW,
    expectCsi: CSI,
    ownerName: QNAME,
    apex: 'mimi.arpa.',
    csipKeys: [csipKeyRdata('uk-carrier')],
  };
}

/** checkMappings over the one good record of CSI, its checks on `verifier`, and a fresh cache. */
export function checkOneRecord(verifier: Verifier, signal?: AbortSignal): Promise<MappingCheckOutput> {
  return checkMappings(
    {
      csi: CSI,
      qname: QNAME,
      apex: 'mimi.arpa.',
      rdatas: [mappingTask().rdata],
      now: NOW * 1000,
      csipKeys: async () => [csipKeyRdata('uk-carrier')],
      verifier,
      signal,
    },
    new TimedCache(createLruCacheStore(), () => NOW * 1000),
  );
}

/** The failure of `work` as {code, message}, or the output. */
export async function outcome<T>(work: () => Promise<T>): Promise<T | { code: string; message: string }> {
  try {
    return await work();
  } catch (err) {
    if (!isMimiError(err)) throw err;
    return { code: err.code, message: err.message };
  }
}

/** A stand-in verification worker whose message handler is `onMessage` (JS source). */
export function fakeWorker(dir: string, name: string, onMessage: string): URL {
  const file = join(dir, name);
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', ${onMessage});\n`,
  );
  return pathToFileURL(file);
}
