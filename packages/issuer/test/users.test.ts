/** The users file and Bearer authentication (RFC 6750 §2.1). */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IssuerError } from '../src/errors.js';
import { generateApiKey, type UserEntry, UserRegistry, writeUsersFile } from '../src/users.js';

const dir = mkdtempSync(join(tmpdir(), 'mimi-users-'));
const KEY = 'k'.repeat(20);

describe('UserRegistry.authenticate', () => {
  const registry = UserRegistry.fromEntries([
    { id: 'demo', apiKey: KEY },
    { id: 'hashed', apiKeySha256: createHash('sha256').update('h'.repeat(20)).digest('hex') },
  ]);
  it.each([
    [`Bearer ${KEY}`, 'demo'],
    [`bearer ${KEY}`, 'demo'],
    [`Bearer  ${KEY} `, 'demo'],
    [`Bearer ${'h'.repeat(20)}`, 'hashed'],
    [`Bearer ${KEY}x`, null],
    [`Basic ${KEY}`, null],
    [KEY, null],
    ['Bearer', null],
    [undefined, null],
  ])('%j → %j', (header, user) => {
    expect(registry.authenticate(header)).toBe(user);
  });
});

describe('users file refusals', () => {
  const cases: [string, unknown[], RegExp][] = [
    ['bad id', [{ id: 'a b', apiKey: KEY }], /users\[0\]\.id must be 1-64/],
    [
      'duplicate id',
      [
        { id: 'a', apiKey: KEY },
        { id: 'a', apiKey: `${KEY}2` },
      ],
      /users\[1\]: user 'a' appears twice/,
    ],
    ['short key', [{ id: 'a', apiKey: 'short' }], /users\[0\]\.apiKey must be 16-256 printable/],
    ['key with space', [{ id: 'a', apiKey: `${KEY} x` }], /users\[0\]\.apiKey must be/],
    ['bad digest', [{ id: 'a', apiKeySha256: 'XYZ' }], /users\[0\]\.apiKeySha256 must be 64 lowercase hex/],
    [
      'both',
      [{ id: 'a', apiKey: KEY, apiKeySha256: '0'.repeat(64) }],
      /needs exactly one of apiKey and apiKeySha256/,
    ],
    ['neither', [{ id: 'a' }], /needs exactly one of apiKey and apiKeySha256/],
    [
      'shared key',
      [
        { id: 'a', apiKey: KEY },
        { id: 'b', apiKey: KEY },
      ],
      /user 'b' shares an api key/,
    ],
  ];
  it.each(cases)('%s', (_name, entries, message) => {
    expect(() => UserRegistry.fromEntries(entries as UserEntry[])).toThrow(message);
  });

  it('refuses a file readable by others, naming the mode', async () => {
    const path = join(dir, 'open.json');
    writeFileSync(path, JSON.stringify({ users: [{ id: 'a', apiKey: KEY }] }));
    chmodSync(path, 0o644);
    await expect(UserRegistry.load(path)).rejects.toMatchObject({
      code: 'file-permissions',
      message: `users file ${path} is accessible by group or others (mode 0644); run chmod 600 ${path}`,
    });
  });

  it('refuses a file that is not {"users": [...]}', async () => {
    const path = join(dir, 'shape.json');
    writeFileSync(path, '[]', { mode: 0o600 });
    await expect(UserRegistry.load(path)).rejects.toThrow(IssuerError);
    await expect(UserRegistry.load(path)).rejects.toThrow(/must be \{"users": \[\.\.\.\]\}/);
  });
});

describe('writeUsersFile', () => {
  it('writes mode 0600 and loads back', async () => {
    const apiKey = generateApiKey();
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const path = join(dir, 'users.json');
    await writeUsersFile(path, [{ id: 'demo', apiKey }]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const registry = await UserRegistry.load(path);
    expect(registry.size).toBe(1);
    expect(registry.authenticate(`Bearer ${apiKey}`)).toBe('demo');
  });
});
