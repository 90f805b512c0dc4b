// The servers' ODoH keys as the launcher prepares them (RFC 9230 §5): a ring file made
// mode 0600 on first use and re-used after, rotated when due exactly as the server would at
// its start, and the `odoh configs` log line read back (docs/OPERATIONS.md).
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeConfigs, OdohKeyRing, readKeyRingFile, writeKeyRingFile } from '@mimi/odoh';
import { describe, expect, it } from 'vitest';
import { configsFromLog, ODOH_CONFIGS_MSG, prepareOdohKeys, sameConfigs } from '../src/odoh-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'mimi-odoh-keys-'));
const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const clock = (ms: number) => () => ms;

describe('prepareOdohKeys', () => {
  it('makes the ring file (mode 0600) on first use and re-uses it after', async () => {
    const file = join(dir, 'tel.json');
    const first = await prepareOdohKeys(file, clock(NOW));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.ttl).toBe(10_800);
    expect(decodeConfigs(first.configs)).toHaveLength(1);
    expect(Buffer.from(first.configs)).toEqual(
      Buffer.from((await readKeyRingFile(file, { now: clock(NOW) })).configs()),
    );
    const text = readFileSync(file, 'utf8');
    const again = await prepareOdohKeys(file, clock(NOW + 23 * HOUR));
    expect(Buffer.from(again.configs)).toEqual(Buffer.from(first.configs));
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('rotates a key that came due while the network was down, keeping the previous one', async () => {
    const file = join(dir, 'mail.json');
    const old = OdohKeyRing.generate({ now: clock(NOW - 25 * HOUR) });
    await writeKeyRingFile(file, old);
    const prepared = await prepareOdohKeys(file, clock(NOW));
    expect(Buffer.from(prepared.configs)).not.toEqual(Buffer.from(old.configs()));
    const ring = await readKeyRingFile(file, { now: clock(NOW) });
    expect(Buffer.from(ring.configs())).toEqual(Buffer.from(prepared.configs));
    expect(ring.current.createdAt).toBe(NOW);
    expect(ring.previous?.key.keyId).toEqual(old.current.key.keyId);
  });
});

describe('configsFromLog', () => {
  const configs = new Uint8Array([0, 4, 0, 1, 0, 0]);
  const good = { msg: ODOH_CONFIGS_MSG, configs: 'AAQAAQAA', keyId: 'ab', ttl: 10_800, rotated: false };

  it('reads the configs and the ttl of an `odoh configs` line', () => {
    expect(configsFromLog(good)).toEqual({ configs, ttl: 10_800 });
    expect(configsFromLog({ ...good, rotated: true })).toEqual({ configs, ttl: 10_800 });
  });

  it.each([
    ['another message', { ...good, msg: 'listening' }],
    ['no configs', { ...good, configs: undefined }],
    ['configs not base64url', { ...good, configs: 'AAQ+AQ==' }],
    ['empty configs', { ...good, configs: '' }],
    ['no ttl', { ...good, ttl: undefined }],
    ['a zero ttl', { ...good, ttl: 0 }],
    ['a fractional ttl', { ...good, ttl: 1.5 }],
    ['a ttl in text', { ...good, ttl: '10800' }],
  ])('ignores a line with %s', (_what, line) => {
    expect(configsFromLog(line)).toBeUndefined();
  });

  it('compares configs by bytes and ttl', () => {
    const a = { configs, ttl: 60 };
    expect(sameConfigs(a, { configs: configs.slice(), ttl: 60 })).toBe(true);
    expect(sameConfigs(a, { configs, ttl: 61 })).toBe(false);
    expect(sameConfigs(a, { configs: new Uint8Array([0, 4, 0, 1, 0, 1]), ttl: 60 })).toBe(false);
    expect(sameConfigs(undefined, a)).toBe(false);
  });
});
