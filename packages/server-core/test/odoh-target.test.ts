/**
 * The server's ODoH keys (RFC 9230 §5) with an injected clock: the `--odoh-keys` file is
 * created mode 0600 and re-read as the same ring, refused when group or others may read
 * it (exit-2 configuration error), rotated on time (written first, then announced), a
 * key that came due while the server was down rotated at start, and the `odoh configs`
 * line the demo turns into an ODOHCFG record.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_OVERLAP_MS, DEFAULT_ROTATION_INTERVAL_MS, decodeConfigs, keyIdOf } from '@mimi/odoh';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ServerConfigError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { OdohTarget } from '../src/odoh-target.js';

const dir = mkdtempSync(join(tmpdir(), 'mimi-odoh-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_767_225_600_000;
let clock: number;
let logged: { msg: string; fields: Record<string, unknown> }[];
let counter = 0;

/** A logger that keeps what `info` and `error` were given. */
function recordingLogger(): Logger {
  const record = (fields: unknown, msg?: string) =>
    logged.push({
      msg: msg ?? String(fields),
      fields: typeof fields === 'object' ? (fields as Record<string, unknown>) : {},
    });
  return {
    info: record,
    error: record,
    warn: record,
    debug: () => undefined,
    isLevelEnabled: () => true,
  } as unknown as Logger;
}

function open(file = join(dir, `ring-${++counter}.json`)) {
  return OdohTarget.open({ file, logger: recordingLogger(), now: () => clock });
}

beforeEach(() => {
  clock = T0;
  logged = [];
});

describe('the key ring file', () => {
  it('is created mode 0600 on first start and read back as the same key', async () => {
    const file = join(dir, 'created.json');
    const first = await open(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await open(file);
    expect(second.configs()).toEqual(first.configs());
    expect(JSON.parse(readFileSync(file, 'utf8')).keys).toHaveLength(1);
  });

  it.each([0o640, 0o604, 0o644])(
    'is refused at mode %s as a configuration error naming the file',
    async (mode) => {
      const file = join(dir, `open-${mode}.json`);
      await open(file);
      chmodSync(file, mode);
      const attempt = open(file);
      await expect(attempt).rejects.toBeInstanceOf(ServerConfigError);
      await expect(attempt).rejects.toMatchObject({ code: 'odoh-key-file-permissions' });
      await expect(attempt).rejects.toThrow(`odoh key file ${file} is accessible by group or others`);
    },
  );

  it('is refused when it is not a key ring (configuration error)', async () => {
    const file = join(dir, 'garbage.json');
    writeFileSync(file, '{"version": 2}', { mode: 0o600 });
    await expect(open(file)).rejects.toMatchObject({ code: 'odoh-key-file-format' });
  });

  it('is refused when its directory does not exist', async () => {
    await expect(open(join(dir, 'missing-dir', 'ring.json'))).rejects.toBeInstanceOf(ServerConfigError);
  });
});

describe('rotation', () => {
  it('rotates once the interval has passed: file first, then a new configs line', async () => {
    const file = join(dir, 'rotating.json');
    const target = await open(file);
    const before = target.configs();
    clock = T0 + DEFAULT_ROTATION_INTERVAL_MS - 1;
    expect(await target.rotateIfDue()).toBe(false);
    clock = T0 + DEFAULT_ROTATION_INTERVAL_MS;
    expect(await target.rotateIfDue()).toBe(true);
    expect(target.configs()).not.toEqual(before);
    // On disk: the new current key and the previous one with its retirement time.
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.keys).toHaveLength(2);
    expect(stored.keys[1].retiredAt).toBe(clock);
    expect((await open(file)).configs()).toEqual(target.configs());
    const line = logged.find((entry) => entry.msg === 'odoh configs')!;
    expect(line.fields).toMatchObject({
      configs: Buffer.from(target.configs()).toString('base64url'),
      rotated: true,
    });
  });

  it('keeps opening queries for the previous key during the overlap, not after', async () => {
    const target = await open();
    const oldKeyId = keyIdOf(decodeConfigs(target.configs())[0]!);
    clock += DEFAULT_ROTATION_INTERVAL_MS;
    await target.rotateIfDue();
    expect(target.ring.findKey(oldKeyId)).toBeDefined();
    clock += DEFAULT_OVERLAP_MS;
    expect(target.ring.findKey(oldKeyId)).toBeUndefined();
  });

  it('start() arms a timer that rotates when due; stop() disarms it', async () => {
    const target = await open();
    clock = T0 + DEFAULT_ROTATION_INTERVAL_MS;
    target.start();
    // The timer waits at least a second, even when the rotation is already due.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    target.stop();
    expect(logged.filter((entry) => entry.msg === 'odoh configs' && entry.fields.rotated)).toHaveLength(1);
  });

  it('rotates at start a key that came due while the server was down', async () => {
    const file = join(dir, 'stale.json');
    const first = await open(file);
    clock = T0 + 3 * DEFAULT_ROTATION_INTERVAL_MS;
    const second = await open(file);
    expect(second.configs()).not.toEqual(first.configs());
    expect(JSON.parse(readFileSync(file, 'utf8')).keys).toHaveLength(2);
  });
});

describe('the odoh configs line', () => {
  it('carries the configs (base64url), key id, the TTL to publish with and the next rotation', async () => {
    const target = await open();
    target.announce(false);
    const line = logged.find((entry) => entry.msg === 'odoh configs')!;
    const configs = Buffer.from(line.fields.configs as string, 'base64url');
    expect(new Uint8Array(configs)).toEqual(target.configs());
    expect(line.fields).toEqual({
      configs: line.fields.configs,
      keyId: Buffer.from(keyIdOf(decodeConfigs(configs)[0]!)).toString('hex'),
      // Half the 6-hour overlap: every cached copy expires while its key still works.
      ttl: 10_800,
      rotatesAt: new Date(T0 + DEFAULT_ROTATION_INTERVAL_MS).toISOString(),
      rotated: false,
    });
  });
});
