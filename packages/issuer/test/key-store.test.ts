/** Epoch keys in the state directory: 0600 files, reuse, rotation, pruning, truncated-id spacing. */
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EpochKeyStore } from '../src/key-store.js';
import { FakeClock } from './helpers.js';

const clock = { epochSeconds: 3600, now: new FakeClock().now };
const idHex = (id: Uint8Array) => Buffer.from(id).toString('hex');

describe('EpochKeyStore', () => {
  it('creates the current key (mode 0600) and prepares the next one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimi-keys-'));
    const store = new EpochKeyStore(dir, clock);
    const { current, previous } = await store.keysFor(100);
    await store.settled();
    expect(previous).toBeNull();
    expect(current.notBefore).toBe(100 * 3600);
    expect(statSync(join(dir, 'keys', 'epoch-100.key')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'keys', 'epoch-101.key'))).toBe(true);
  });

  it('re-uses keys from disk after a restart, and rotates to the prepared key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimi-keys-'));
    const first = new EpochKeyStore(dir, clock);
    const e100 = (await first.keysFor(100)).current;
    await first.settled();
    const second = new EpochKeyStore(dir, clock);
    expect(idHex((await second.keysFor(100)).current.id)).toBe(idHex(e100.id));
    const rotated = await second.keysFor(101);
    await second.settled();
    expect(idHex(rotated.previous!.id)).toBe(idHex(e100.id));
    expect(rotated.current.truncatedId).not.toBe(e100.truncatedId);
    expect(rotated.current.notBefore).toBe(101 * 3600);
  });

  it('deletes keys older than the previous epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimi-keys-'));
    const store = new EpochKeyStore(dir, clock);
    await store.keysFor(100);
    await store.settled();
    await store.keysFor(101);
    await store.settled();
    await store.keysFor(102);
    await store.settled();
    expect(readdirSync(join(dir, 'keys')).sort()).toEqual([
      'epoch-101.key',
      'epoch-102.key',
      'epoch-103.key',
    ]);
  });

  it('refuses a key file readable by others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimi-keys-'));
    const store = new EpochKeyStore(dir, clock);
    await store.keysFor(100);
    await store.settled();
    chmodSync(join(dir, 'keys', 'epoch-100.key'), 0o644);
    await expect(new EpochKeyStore(dir, clock).keysFor(100)).rejects.toMatchObject({
      code: 'key-store',
      message: expect.stringMatching(/is accessible by group or others \(mode 0644\)/),
    });
  });
});
