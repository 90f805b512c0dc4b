/**
 * The demo's seed mappings (DESIGN §9), signed with real recipient and CSIP keys and
 * published through the authoritative DPs' management API — the same path a recipient
 * uses, so every check of the API also guards the demo's data. Signed objects are kept
 * under `seed/` and re-sent on later starts: the DP answers a byte-identical retry of its
 * last accepted object with 200 and an older one with `stale-serial` — both mean the
 * mapping is there. Objects close to expiry are made anew.
 */
import { promises as fs, readFileSync } from 'node:fs';
import { fromBase64Url, publicKeyOf, readPrivateKeyFile, toBase64Url } from '@mimi/crypto';
import { decodeMapping, normalizeCsi, signAttestation, signMapping } from '@mimi/protocol';
import { Agent, request } from 'undici';
import { SEEDS, type SeedCsi } from './demo-layout.js';
import { DemoError } from './errors.js';
import { loadOrCreateKey } from './keys.js';
import type { DemoPaths } from './state.js';

const DAY = 86_400;
const ATTESTATION_DAYS = 365;
const MAPPING_DAYS = 90;
/** Make objects anew when less than this is left of their life. */
const RENEW_BEFORE_SECONDS = 7 * DAY;

export interface SeedTarget {
  /** `https://127.0.0.1:PORT` of the DP serving the CSI, and its host name (TLS). */
  readonly apiBase: string;
  readonly host: string;
}

async function signSeed(seed: SeedCsi, paths: DemoPaths, now: number): Promise<Uint8Array[]> {
  const csipKey = await readPrivateKeyFile(paths.csipKey(seed.csip));
  const recipientKey = await loadOrCreateKey(paths.recipientKey(seed.recipient));
  const csi = normalizeCsi(seed.csi).csi;
  const att = signAttestation(
    {
      v: 1,
      csi,
      rk: publicKeyOf(recipientKey),
      csip: seed.csip,
      epoch: 1,
      iat: now,
      exp: now + ATTESTATION_DAYS * DAY,
    },
    csipKey,
  ).object;
  let serial = Date.now();
  return seed.mappings.map(
    (mapping) =>
      signMapping(
        {
          v: 1,
          csi,
          id: mapping.id,
          serial: serial++,
          iat: now,
          exp: now + MAPPING_DAYS * DAY,
          msps: mapping.msps.map((m) => ({ msp: m.msp, pri: m.pri, tags: [...m.tags] })),
          att,
        },
        recipientKey,
      ).bytes,
  );
}

async function savedObjects(seed: SeedCsi, paths: DemoPaths, now: number): Promise<Uint8Array[] | undefined> {
  try {
    const objects = seed.mappings.map((m) =>
      fromBase64Url(readFileSync(paths.seedObject(`${seed.recipient}-${m.id}`), 'utf8').trim()),
    );
    const fresh = objects.every((bytes) => {
      const mapping = decodeMapping(bytes);
      return Math.min(mapping.exp, mapping.att.exp) - now > RENEW_BEFORE_SECONDS;
    });
    return fresh ? objects : undefined;
  } catch {
    return undefined;
  }
}

async function post(
  target: SeedTarget,
  agent: Agent,
  bytes: Uint8Array,
): Promise<{ status: number; body: string }> {
  const response = await request(`${target.apiBase}/v1/mappings`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ object: toBase64Url(bytes) }),
  });
  return { status: response.statusCode, body: await response.body.text() };
}

/** Publish every seed mapping; resolves once each is accepted (or already there). */
export async function publishSeeds(
  paths: DemoPaths,
  caFile: string,
  targetFor: (csi: string) => SeedTarget,
  now = Math.floor(Date.now() / 1000),
): Promise<number> {
  let published = 0;
  const ca = readFileSync(caFile);
  for (const seed of SEEDS) {
    if (seed.mappings.length === 0) continue;
    let objects = await savedObjects(seed, paths, now);
    if (!objects) {
      objects = await signSeed(seed, paths, now);
      for (const [i, mapping] of seed.mappings.entries()) {
        await fs.writeFile(
          paths.seedObject(`${seed.recipient}-${mapping.id}`),
          `${toBase64Url(objects[i]!)}\n`,
        );
      }
    }
    const target = targetFor(seed.csi);
    const agent = new Agent({ connect: { ca, servername: target.host.replace(/\.$/, '') } });
    try {
      for (const bytes of objects) {
        const { status, body } = await post(target, agent, bytes);
        const alreadyThere = status === 409 && body.includes('"stale-serial"');
        if (status !== 200 && !alreadyThere) {
          throw new DemoError(
            'seed-refused',
            `publishing the seed for ${seed.csi} failed: ${status} ${body}`,
          );
        }
        published++;
      }
    } finally {
      await agent.close();
    }
  }
  return published;
}
