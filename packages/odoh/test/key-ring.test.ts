/**
 * The target key ring: rotation on an injected clock (RFC 9230 §5: rotate daily), the
 * previous key honoured for the overlap window and refused after it, the configs to
 * publish, and the key file (mode 0600, refused when readable by others, strict format).
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptQuery } from '../src/client.js';
import { decodeConfigs, selectConfig } from '../src/config.js';
import { OdohError } from '../src/errors.js';
import { OdohKeyRing } from '../src/key-ring.js';
import {
  loadOrCreateKeyRing,
  parseKeyRing,
  readKeyRingFile,
  serializeKeyRing,
  writeKeyRingFile,
} from '../src/key-ring-file.js';
import { openQuery } from '../src/target.js';
import { targetKeyFromSeed } from '../src/target-key.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2030, 0, 1);
const query = Uint8Array.of(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1);

/** A ring on a hand-moved clock with deterministic keys (seed 1, 2, 3, ...). */
function fixture() {
  const clock = { now: T0 };
  let seed = 0;
  const generate = () => targetKeyFromSeed(new Uint8Array(32).fill(++seed));
  const options = { now: () => clock.now, generate, rotationIntervalMs: 24 * HOUR, overlapMs: 6 * HOUR };
  return { clock, options, ring: OdohKeyRing.generate(options) };
}

function queryFor(ring: OdohKeyRing): Uint8Array {
  return encryptQuery(selectConfig(decodeConfigs(ring.configs())), query).request;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof OdohError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('rotation and overlap', () => {
  it('publishes only the current key, and opens queries made with it', () => {
    const { ring } = fixture();
    expect(decodeConfigs(ring.configs())).toEqual([ring.current.key.config]);
    expect(openQuery(ring, queryFor(ring)).query).toEqual(query);
  });

  it('rotates only when the interval has passed', () => {
    const { clock, ring } = fixture();
    const first = ring.current.key;
    clock.now = T0 + 24 * HOUR - 1;
    expect(ring.rotateIfDue()).toBe(false);
    expect(ring.current.key).toBe(first);
    clock.now = T0 + 24 * HOUR;
    expect(ring.rotateIfDue()).toBe(true);
    expect(ring.current.key).not.toBe(first);
    expect(ring.current.createdAt).toBe(T0 + 24 * HOUR);
    expect(ring.nextRotationAt).toBe(T0 + 48 * HOUR);
  });

  it('keeps accepting the previous key until the overlap ends, then answers unknown key', () => {
    const { clock, ring } = fixture();
    const oldQuery = queryFor(ring);
    clock.now = T0 + 24 * HOUR;
    ring.rotate();
    expect(decodeConfigs(ring.configs())).toEqual([ring.current.key.config]);
    clock.now = T0 + 30 * HOUR - 1;
    expect(openQuery(ring, oldQuery).query).toEqual(query);
    expect(ring.entries()).toHaveLength(2);
    clock.now = T0 + 30 * HOUR;
    expect(codeOf(() => openQuery(ring, oldQuery))).toBe('odoh-unknown-key');
    expect(ring.previous).toBeUndefined();
    expect(ring.entries()).toHaveLength(1);
    expect(openQuery(ring, queryFor(ring)).query).toEqual(query);
  });

  it('forgets the key two rotations back at once', () => {
    const { clock, ring } = fixture();
    const oldest = queryFor(ring);
    ring.rotate();
    clock.now += HOUR;
    ring.rotate();
    expect(codeOf(() => openQuery(ring, oldest))).toBe('odoh-unknown-key');
  });

  it('tells how long a published config may be cached: half the overlap', () => {
    expect(fixture().ring.maxConfigAgeSeconds).toBe(3 * 3600);
  });

  it('refuses inconsistent construction', () => {
    const key = targetKeyFromSeed(new Uint8Array(32));
    expect(codeOf(() => new OdohKeyRing({ key, createdAt: 1, retiredAt: 2 }, undefined))).toBe(
      'odoh-key-ring',
    );
    expect(codeOf(() => new OdohKeyRing({ key, createdAt: 1 }, { key, createdAt: 0 }))).toBe('odoh-key-ring');
    expect(codeOf(() => new OdohKeyRing({ key, createdAt: 1 }, undefined, { rotationIntervalMs: 0 }))).toBe(
      'odoh-key-ring',
    );
  });
});

describe('key ring file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'odoh-ring-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('round-trips both keys and their times through a mode 0600 file', async () => {
    const { clock, options, ring } = fixture();
    clock.now = T0 + 24 * HOUR;
    ring.rotate();
    const path = join(dir, 'odoh.json');
    await writeKeyRingFile(path, ring);
    expect((await fs.stat(path)).mode & 0o777).toBe(0o600);
    const loaded = await readKeyRingFile(path, options);
    expect(loaded.current.key.keyId).toEqual(ring.current.key.keyId);
    expect(loaded.previous?.key.keyId).toEqual(ring.previous?.key.keyId);
    expect(loaded.previous?.retiredAt).toBe(T0 + 24 * HOUR);
    expect(loaded.configs()).toEqual(ring.configs());
    expect(serializeKeyRing(loaded)).toBe(serializeKeyRing(ring));
  });

  it('refuses a key file that group or others may read', async () => {
    const path = join(dir, 'odoh.json');
    await writeKeyRingFile(path, fixture().ring);
    await fs.chmod(path, 0o644);
    await expect(readKeyRingFile(path)).rejects.toMatchObject({
      code: 'odoh-key-file-permissions',
      message: `odoh key file ${path} is accessible by group or others (mode 0644); run chmod 600 ${path}`,
    });
  });

  it('creates a ring on first use and loads the same one after', async () => {
    const path = join(dir, 'sub-odoh.json');
    const created = await loadOrCreateKeyRing(path);
    const again = await loadOrCreateKeyRing(path);
    expect(again.current.key.keyId).toEqual(created.current.key.keyId);
  });

  it('does not replace a file it cannot read', async () => {
    const path = join(dir, 'odoh.json');
    await fs.writeFile(path, 'not json', { mode: 0o600 });
    await expect(loadOrCreateKeyRing(path)).rejects.toMatchObject({ code: 'odoh-key-file-format' });
    expect(await fs.readFile(path, 'utf8')).toBe('not json');
  });

  const key = 'A'.repeat(43);
  it.each([
    ['not json', 'not json'],
    ['not an object', '[]'],
    ['version 2 is not 1', '{"version":2,"keys":[]}'],
    ['keys must hold one or two entries', '{"version":1,"keys":[]}'],
    [
      'key 0 privateKey is not 32 bytes of base64url',
      '{"version":1,"keys":[{"privateKey":"AAAA","createdAt":1}]}',
    ],
    ['key 0 createdAt is not a time in ms', `{"version":1,"keys":[{"privateKey":"${key}","createdAt":-1}]}`],
    [
      'the first key (current) has retiredAt',
      `{"version":1,"keys":[{"privateKey":"${key}","createdAt":1,"retiredAt":2}]}`,
    ],
    [
      'the second key (previous) lacks retiredAt',
      `{"version":1,"keys":[{"privateKey":"${key}","createdAt":1},{"privateKey":"${key}","createdAt":0}]}`,
    ],
  ])('refuses a file where %s', (why, text) => {
    let error: unknown;
    try {
      parseKeyRing(text, '/k.json');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'odoh-key-file-format', message: `odoh key file /k.json: ${why}` });
  });
});
