/**
 * The issuer's keys, one RSA-2048 key per epoch (DESIGN §7: rotated each epoch), kept
 * in `<state-dir>/keys/epoch-<N>.key` as PKCS#8 PEM, mode 0600 (refused on load when
 * group- or world-accessible). The current epoch's key signs; the previous one's stays
 * listed in the directory so DPs accept its tokens until it ends; older keys are
 * deleted. The next epoch's key is made ahead of time, so rotation never waits for
 * RSA key generation.
 *
 * RFC 9578 §6.5: "Since Clients truncate token_key_id in each TokenRequest, Issuers
 * SHOULD ensure that the truncated form of new key IDs do not collide with other
 * truncated key IDs in rotation": a new key whose last id octet equals its
 * predecessor's is thrown away and made again.
 */
import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readPrivateKeyFile, writePrivateKeyFile } from '@mimi/crypto';
import { isMimiError } from '@mimi/errors';
import { encodeTokenKey, NK, tokenKeyId, truncatedKeyId } from '@mimi/tokens';
import { type EpochClock, epochStart } from './epoch.js';
import { IssuerError } from './errors.js';

const generateRsa = promisify(generateKeyPair);
/** RFC 8017 / FIPS 186-5 usual public exponent F4. */
const PUBLIC_EXPONENT = 0x10001;
const KEY_FILE = /^epoch-(\d+)\.key$/;

export interface EpochKey {
  readonly epoch: number;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** RFC 9578 §6.5 encoding (the directory's token-key). */
  readonly encoded: Uint8Array;
  readonly id: Uint8Array;
  readonly truncatedId: number;
  /** Unix seconds: the epoch's start. */
  readonly notBefore: number;
}

export interface EpochKeys {
  readonly current: EpochKey;
  readonly previous: EpochKey | null;
}

export class EpochKeyStore {
  private readonly dir: string;
  private readonly loaded = new Map<number, EpochKey>();
  /** Serializes key work: loading, generating and pruning never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Promise<unknown> | null = null;
  /** The answer for the epoch we last served, so a request costs no disk access. */
  private active: { readonly epoch: number; readonly keys: EpochKeys } | null = null;

  constructor(
    stateDir: string,
    private readonly clock: EpochClock,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.dir = join(stateDir, 'keys');
  }

  /** The keys of `epoch` and the one before it, making the current one if needed. */
  keysFor(epoch: number): Promise<EpochKeys> {
    if (this.active?.epoch === epoch) return Promise.resolve(this.active.keys);
    return this.serialized(async () => {
      if (this.active?.epoch === epoch) return this.active.keys;
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      const previous = await this.load(epoch - 1);
      const current = (await this.load(epoch)) ?? (await this.create(epoch, previous));
      await this.prune(epoch);
      this.pending = this.serialized(() => this.prepareNext(current)).catch((err: unknown) =>
        this.log(`could not prepare the key of epoch ${epoch + 1}: ${(err as Error).message}`),
      );
      const keys = { current, previous };
      this.active = { epoch, keys };
      return keys;
    });
  }

  /** Wait for background key generation (tests, shutdown). */
  async settled(): Promise<void> {
    await this.pending;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private path(epoch: number): string {
    return join(this.dir, `epoch-${epoch}.key`);
  }

  private async load(epoch: number): Promise<EpochKey | null> {
    const known = this.loaded.get(epoch);
    if (known !== undefined) return known;
    let privateKey: KeyObject;
    try {
      privateKey = await readPrivateKeyFile(this.path(epoch));
    } catch (err) {
      if (isMimiError(err) && err.code === 'key-file-missing') return null;
      throw new IssuerError(
        'key-store',
        `cannot load issuer key ${this.path(epoch)}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    const key = this.describe(epoch, privateKey);
    this.loaded.set(epoch, key);
    return key;
  }

  private describe(epoch: number, privateKey: KeyObject): EpochKey {
    const publicKey = createPublicKey(privateKey);
    if (privateKey.asymmetricKeyType !== 'rsa' || privateKey.asymmetricKeyDetails?.modulusLength !== NK * 8) {
      throw new IssuerError('key-store', `issuer key of epoch ${epoch} is not an rsa-${NK * 8} key`);
    }
    const encoded = encodeTokenKey(publicKey);
    const id = tokenKeyId(encoded);
    return {
      epoch,
      privateKey,
      publicKey,
      encoded,
      id,
      truncatedId: truncatedKeyId(id),
      notBefore: epochStart(this.clock, epoch),
    };
  }

  /** A new key for `epoch` whose truncated id differs from its predecessor's. */
  private async create(epoch: number, predecessor: EpochKey | null): Promise<EpochKey> {
    for (;;) {
      const { privateKey } = await generateRsa('rsa', {
        modulusLength: NK * 8,
        publicExponent: PUBLIC_EXPONENT,
      });
      const key = this.describe(epoch, privateKey);
      if (predecessor !== null && key.truncatedId === predecessor.truncatedId) continue;
      await writePrivateKeyFile(this.path(epoch), privateKey);
      this.loaded.set(epoch, key);
      this.log(
        `issuer key for epoch ${epoch} created (key id ${Buffer.from(key.id).toString('hex').slice(0, 16)})`,
      );
      return key;
    }
  }

  private async prepareNext(current: EpochKey): Promise<void> {
    const next = current.epoch + 1;
    if ((await this.load(next)) !== null) return;
    await this.create(next, current);
  }

  /** Delete keys of epochs before the previous one (and forget them). */
  private async prune(epoch: number): Promise<void> {
    for (const name of await fs.readdir(this.dir)) {
      const match = KEY_FILE.exec(name);
      if (match === null) continue;
      const fileEpoch = Number(match[1]);
      if (fileEpoch >= epoch - 1) continue;
      await fs.rm(join(this.dir, name), { force: true });
      this.loaded.delete(fileEpoch);
      this.log(`issuer key of epoch ${fileEpoch} deleted`);
    }
  }
}
