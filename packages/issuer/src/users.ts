/**
 * The issuer's users and their API keys (`--users FILE`, written by the demo):
 *
 *   {"users": [{"id": "demo", "apiKey": "<secret>"},
 *              {"id": "bob",  "apiKeySha256": "<64 hex: SHA-256 of the secret>"}]}
 *
 * A user proves who it is with `Authorization: Bearer <secret>` (RFC 6750 §2.1). Keys
 * are compared by their SHA-256, so the look-up time says nothing about the secret,
 * and an operator may keep only digests in the file. The file must be mode 0600.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { IssuerError } from './errors.js';
import { readProtectedFile } from './protected-file.js';

const USER_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Printable ASCII without spaces, long enough not to be guessed (RFC 6750 b64token is a subset). */
const API_KEY = /^[\x21-\x7e]{16,256}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface UserEntry {
  readonly id: string;
  readonly apiKey?: string;
  readonly apiKeySha256?: string;
}

function digestOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export class UserRegistry {
  private constructor(private readonly byDigest: ReadonlyMap<string, string>) {}

  static fromEntries(entries: readonly UserEntry[], source = 'users'): UserRegistry {
    const byDigest = new Map<string, string>();
    const ids = new Set<string>();
    entries.forEach((entry, index) => {
      const where = `${source}: users[${index}]`;
      if (typeof entry !== 'object' || entry === null) throw bad(`${where} is not an object`);
      if (typeof entry.id !== 'string' || !USER_ID.test(entry.id)) {
        throw bad(`${where}.id must be 1-64 of letters, digits, '.', '_', '-'`);
      }
      if (ids.has(entry.id)) throw bad(`${where}: user '${entry.id}' appears twice`);
      ids.add(entry.id);
      let digest: string;
      if (entry.apiKey !== undefined && entry.apiKeySha256 === undefined) {
        if (typeof entry.apiKey !== 'string' || !API_KEY.test(entry.apiKey)) {
          throw bad(`${where}.apiKey must be 16-256 printable ascii characters without spaces`);
        }
        digest = digestOf(entry.apiKey);
      } else if (entry.apiKeySha256 !== undefined && entry.apiKey === undefined) {
        if (typeof entry.apiKeySha256 !== 'string' || !SHA256_HEX.test(entry.apiKeySha256)) {
          throw bad(`${where}.apiKeySha256 must be 64 lowercase hex digits`);
        }
        digest = entry.apiKeySha256;
      } else {
        throw bad(`${where} needs exactly one of apiKey and apiKeySha256`);
      }
      if (byDigest.has(digest)) throw bad(`${where}: user '${entry.id}' shares an api key with another user`);
      byDigest.set(digest, entry.id);
    });
    return new UserRegistry(byDigest);
  }

  static async load(path: string): Promise<UserRegistry> {
    const text = (await readProtectedFile(path, 'users file')).toString('utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (cause) {
      throw new IssuerError('users-file', `users file ${path} is not json`, { cause });
    }
    const users = (raw as { users?: unknown } | null)?.users;
    if (!Array.isArray(users)) throw bad(`users file ${path} must be {"users": [...]}`);
    return UserRegistry.fromEntries(users as UserEntry[], `users file ${path}`);
  }

  get size(): number {
    return this.byDigest.size;
  }

  /** The user an `Authorization` header value names, or null. */
  authenticate(authorization: string | undefined): string | null {
    const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(authorization ?? '');
    if (match === null) return null;
    return this.byDigest.get(digestOf(match[1]!)) ?? null;
  }
}

function bad(message: string): IssuerError {
  return new IssuerError('users-file', message);
}

/** A fresh API key: 32 random octets, unpadded base64url (43 characters). */
export function generateApiKey(): string {
  return randomBytes(32).toString('base64url');
}

/** Write a users file (mode 0600) — what the demo does on first start. */
export async function writeUsersFile(path: string, users: readonly UserEntry[]): Promise<void> {
  UserRegistry.fromEntries(users, path);
  await fs.writeFile(path, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(path, 0o600);
}
