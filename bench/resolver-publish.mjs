/**
 * The benchmark's data: N distinct +44 CSIs, each with its own recipient key, an
 * attestation by the CSIP `uk-carrier` and one mapping (DESIGN §4 "Records"), signed
 * for real and published through the authoritative DP's management API (DESIGN §7,
 * `POST /v1/mappings`) — the path a recipient uses, with every check of the API on it.
 * The objects are signed here, in parallel with the DP's work on earlier ones.
 */
import { generateEd25519, publicKeyOf, toBase64Url } from '@mimi/crypto';
import { signAttestation, signMapping } from '@mimi/protocol';
import { Pool } from 'undici';
import { BenchError } from './lib/errors.mjs';

const DAY = 86_400;
/** +44 7700 900000 … : the UK's drama range; N ≤ 1,000,000 stay inside +44 7700 9. */
const FIRST_NUMBER = 447_700_900_000;
export const MAX_CSIS = 1_000_000;
/** Requests in flight: enough to keep the DP busy while this process signs the next ones. */
const IN_FLIGHT = 16;

/** The i-th benchmark CSI, `+447700900000` upwards. */
export function benchCsi(index) {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_CSIS) {
    throw new BenchError('bad-index', `csi index ${index} is outside 0..${MAX_CSIS - 1}`);
  }
  return `+${FIRST_NUMBER + index}`;
}

/** One CSI's mapping bytes: fresh recipient key, attestation by the CSIP, mapping by the recipient. */
export function signedMapping(csi, csip, now) {
  const recipient = generateEd25519();
  const att = signAttestation(
    {
      v: 1,
      csi,
      rk: publicKeyOf(recipient.privateKey),
      csip: csip.id,
      epoch: 1,
      iat: now,
      exp: now + 30 * DAY,
    },
    csip.privateKey,
  ).object;
  return signMapping(
    {
      v: 1,
      csi,
      id: 'main',
      serial: 1,
      iat: now,
      exp: now + 30 * DAY,
      msps: [{ msp: 'signal.example', pri: 10, tags: ['personal'] }],
      att,
    },
    recipient.privateKey,
  ).bytes;
}

/**
 * Publish `csis` through `apiBase` (TLS name `host`, CA PEM `ca`); resolves with
 * `{count, ms}` once every object was accepted. Any refusal is fatal: a benchmark over
 * data that is not there measures nothing.
 */
export async function publishAll({ csis, csip, apiBase, host, ca, now, onProgress }) {
  const pool = new Pool(apiBase, {
    connections: IN_FLIGHT,
    connect: { ca, servername: host.replace(/\.$/, '') },
  });
  const started = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < csis.length) {
      const csi = csis[next++];
      const body = JSON.stringify({ object: toBase64Url(signedMapping(csi, csip, now)) });
      const response = await pool.request({
        method: 'POST',
        path: '/v1/mappings',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) {
        throw new BenchError('publish-refused', `publishing ${csi} failed: ${response.statusCode} ${text}`);
      }
      done++;
      onProgress?.(done, csis.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, csis.length) }, worker));
  } finally {
    await pool.close();
  }
  return { count: done, ms: performance.now() - started };
}
