/**
 * Durability of the authoritative DP (DESIGN §10: "a publish is acknowledged only once
 * durable"; §4 state rules): a batch of concurrent publishes — each a distinct CSI with
 * its own recipient key and CSIP attestation — is in flight when the DP process is
 * killed with SIGKILL. Started again with the same flags on the same database, it must
 * serve every publish it acknowledged with 200, and every CSI must be wholly there
 * (mapping row, key replay guard, CSI guard; served over DNS) or wholly absent. The
 * database must pass `PRAGMA integrity_check`. Every unacknowledged object can then be
 * sent again and gets 200 (a retry of a committed one is idempotent).
 *
 * SIGKILL tests the ordering "commit, then answer" and the atomicity of a change; it
 * cannot test fsync against power loss (the page cache survives a killed process).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519, readPrivateKeyFile, sha256, toBase64Url } from '@mimi/crypto';
import { type RunningNetwork, startNetwork } from '@mimi/demo';
import { signAttestation, signMapping } from '@mimi/protocol';
import { HttpsPools } from '@mimi/stub-resolver';
import { postObject, ServerProcess } from '@mimi/test-support';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postObject as postToDp } from '../../resolver-cli/src/objects/dp-api.js';
import { assertBuilt, REPO_ROOT, resolveJson } from './helpers/cli.js';

const TIMEOUT_MS = 300_000;
const BATCH = 50;
/** Publishes outstanding at any time. */
const WORKERS = 10;
/** The kill goes out when this many publishes have been acknowledged. */
const KILL_AFTER_ACKS = 20;
const DAY = 86_400;

interface Publish {
  readonly csi: string;
  readonly rk: Uint8Array;
  readonly serial: number;
  readonly msp: string;
  readonly bytes: Uint8Array;
}

interface Outcome {
  /** HTTP status; `failed`: sent, but the connection broke; `not-sent`: the DP was dead by then. */
  readonly status: number | 'failed' | 'not-sent';
  readonly code?: string;
}

let network: RunningNetwork;
let dir: string;
let ca: string;
let api: string;
let dbPath: string;
let dp: ServerProcess | undefined;

/** Each publish: a new recipient key, an attestation by the demo CSIP, a mapping naming one MSP. */
async function makePublishes(): Promise<Publish[]> {
  const csipKey = await readPrivateKeyFile(network.paths.csipKey('uk-carrier'));
  const now = Math.floor(Date.now() / 1000);
  const serial = Date.now();
  return Array.from({ length: BATCH + 1 }, (_, i) => {
    // +4477009010NN: in 4.4.e164, served by the `tel` DP; index BATCH is the warm-up.
    const csi = `+4477009010${String(i).padStart(2, '0')}`;
    const { privateKey: key, publicKey: rk } = generateEd25519();
    const att = signAttestation(
      { v: 1, csi, rk, csip: 'uk-carrier', epoch: 1, iat: now, exp: now + 30 * DAY },
      csipKey,
    ).object;
    const msp = `msp${i}.example`;
    const mapping = signMapping(
      {
        v: 1,
        csi,
        id: 'personal',
        serial,
        iat: now,
        exp: now + 30 * DAY,
        msps: [{ msp, pri: 10, tags: [`T${i}`] }],
        att,
      },
      key,
    );
    return { csi, rk, serial, msp, bytes: mapping.bytes };
  });
}

/** Start `mimi-authoritative` with `args` and wait until it listens. */
async function startDp(args: readonly string[]): Promise<ServerProcess> {
  const [script, ...rest] = args;
  const server = ServerProcess.spawn('tel', script!, rest);
  await server.started(60_000);
  return server;
}

beforeAll(async () => {
  assertBuilt(join(REPO_ROOT, 'root-dp/dist/main.js'), join(REPO_ROOT, 'authoritative-dp/dist/main.js'));
  dir = mkdtempSync(join(tmpdir(), 'mimi-durability-'));
  network = await startNetwork({ stateDir: join(dir, '.mimi'), repoRoot: REPO_ROOT, seed: false });
  ca = readFileSync(network.network.ca, 'utf8');
  api = network.network.servers.find((s) => s.name === 'tel')!.api!;
  dbPath = network.paths.database('tel');
}, TIMEOUT_MS);

afterAll(async () => {
  await dp?.stop();
  await network?.stop();
}, TIMEOUT_MS);

describe('SIGKILL during a batch of concurrent publishes', () => {
  let publishes: Publish[];
  let outcomes: Outcome[];
  let args: string[];

  it(
    'kills the DP while publishes are in flight',
    async () => {
      // The demo's `tel` DP, started again by us with the same flags plus no API rate limit,
      // so that the whole batch reaches the store instead of being turned away with 429.
      const demoTel = network.processes.find((p) => p.name === 'tel')!;
      args = [...demoTel.child.spawnargs.slice(1), '--api-rate-limit', '0'];
      await demoTel.stop();
      dp = await startDp(args);

      publishes = await makePublishes();
      const warmUp = publishes.pop()!;
      // The first publish makes the DP fetch and validate the CSIP key; the batch then runs hot.
      expect((await postObject(api, 'mappings', warmUp.bytes, ca)).status).toBe(200);

      // A steady stream through the CLI's own client (one HTTP/2 connection, TLS checked
      // against the host name): WORKERS publishes always outstanding, each worker sending
      // its next as soon as one is answered, so that whenever the kill lands some are in flight.
      const pools = new HttpsPools({ ca });
      const target = { api, host: 'tel.nic.mimi.arpa' };
      let acks = 0;
      let killed = false;
      const running = dp;
      outcomes = publishes.map((): Outcome => ({ status: 'not-sent' }));
      let next = 0;
      const worker = async () => {
        while (!killed && next < publishes.length) {
          const index = next++;
          try {
            const answer = await postToDp(pools, [target], 'mappings', publishes[index]!.bytes);
            outcomes[index] = answer.ok ? { status: 200 } : { status: answer.status, code: answer.code };
            if (answer.ok && ++acks === KILL_AFTER_ACKS) {
              killed = true;
              running.signal('SIGKILL');
            }
          } catch {
            outcomes[index] = { status: 'failed' };
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: WORKERS }, worker));
      } finally {
        await pools.close().catch(() => undefined);
      }
      expect(await running.exit()).not.toBe(0);
      writeFileSync(join(dir, 'outcomes.json'), JSON.stringify(outcomes));
      // Acceptance, a cut connection, or not sent: never a refusal of a valid object.
      expect(outcomes.filter((o) => typeof o.status === 'number' && o.status !== 200)).toEqual([]);
      const acked = outcomes.filter((o) => o.status === 200).length;
      expect(acked).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      // The kill landed mid-batch: after it, at most the outstanding ones were answered.
      expect(acked).toBeLessThan(KILL_AFTER_ACKS + WORKERS);
    },
    TIMEOUT_MS,
  );

  it(
    'restarted with the same flags, it serves every acknowledged publish',
    async () => {
      dp = await startDp(args);
      const listFile = join(dir, 'csis.txt');
      writeFileSync(listFile, `${publishes.map((p) => p.csi).join('\n')}\n`);
      const results = await resolveJson(['--file', listFile], dir);
      expect(results.map((r) => r.csi)).toEqual(publishes.map((p) => p.csi));
      publishes.forEach((publish, i) => {
        const result = results[i]!;
        if (outcomes[i]!.status === 200) expect(result.status, publish.csi).toBe('found');
        // Wholly there (exactly the published MSP) or wholly absent: nothing in between.
        if (result.status === 'found') {
          expect(result.mappings.map((m) => [m.id, m.serial, m.msps])).toEqual([
            ['personal', publish.serial, [{ msp: publish.msp, pri: 10, tags: [`T${i}`] }]],
          ]);
        } else {
          expect(result.status, publish.csi).toBe('no-mapping');
        }
      });
    },
    TIMEOUT_MS,
  );

  it(
    'the database passes integrity_check and its replay guards match its mappings, CSI by CSI',
    async () => {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const mappingRows = db.prepare('SELECT id, rk, serial, epoch, cbor FROM mappings WHERE csi = ?');
        const keyGuards = db.prepare('SELECT rk, serial, epoch FROM key_guards WHERE csi = ?');
        const csiGuard = db.prepare('SELECT highest_epoch, last_digest FROM csi_guards WHERE csi = ?');
        let present = 0;
        const served = new Map(
          (
            await resolveJson(
              publishes.map((p) => p.csi),
              dir,
            )
          ).map((r) => [r.csi, r.status]),
        );
        publishes.forEach((publish, i) => {
          const rows = mappingRows.all(publish.csi) as {
            id: string;
            rk: Buffer;
            serial: number;
            epoch: number;
            cbor: Buffer;
          }[];
          const guards = keyGuards.all(publish.csi) as { rk: Buffer; serial: number; epoch: number }[];
          const guard = csiGuard.get(publish.csi) as
            | { highest_epoch: number; last_digest: Buffer }
            | undefined;
          if (rows.length === 0) {
            expect(outcomes[i]!.status, `${publish.csi} was acknowledged but is not stored`).not.toBe(200);
            expect(guards, publish.csi).toEqual([]);
            expect(guard, publish.csi).toBeUndefined();
            expect(served.get(publish.csi)).toBe('no-mapping');
            return;
          }
          present++;
          expect(rows).toHaveLength(1);
          expect(Buffer.compare(rows[0]!.cbor, Buffer.from(publish.bytes)), publish.csi).toBe(0);
          expect(rows[0]).toMatchObject({ id: 'personal', serial: publish.serial, epoch: 1 });
          expect(guards.map((g) => [toBase64Url(g.rk), g.serial, g.epoch])).toEqual([
            [toBase64Url(publish.rk), publish.serial, 1],
          ]);
          expect(guard?.highest_epoch).toBe(1);
          expect(toBase64Url(guard!.last_digest)).toBe(toBase64Url(sha256(publish.bytes)));
          expect(served.get(publish.csi)).toBe('found');
        });
        // No other mapping in the batch's range but the warm-up's.
        const stored = db
          .prepare("SELECT count(*) AS n FROM mappings WHERE csi LIKE '+4477009010%'")
          .get() as {
          n: number;
        };
        expect(stored.n).toBe(present + 1);
      } finally {
        db.close();
      }
    },
    TIMEOUT_MS,
  );

  it(
    'every unacknowledged publish can be sent again: 200 each, then all are served',
    async () => {
      const pending = publishes.filter((_, i) => outcomes[i]!.status !== 200);
      for (const publish of pending) {
        const again = await postObject(api, 'mappings', publish.bytes, ca);
        expect(again.status, publish.csi).toBe(200);
        expect(again.json).toMatchObject({ ok: true, csi: publish.csi, serial: publish.serial });
      }
      const results = await resolveJson(
        publishes.map((p) => p.csi),
        dir,
      );
      expect(results.map((r) => r.status)).toEqual(publishes.map(() => 'found'));
    },
    TIMEOUT_MS,
  );
});
