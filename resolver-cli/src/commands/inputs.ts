/**
 * Inputs the key and object commands share: private key files named on the command
 * line (PKCS#8 PEM, refused when group- or world-accessible — @mimi/crypto) and a single
 * CSI, normalized with the same message `resolve` gives.
 */
import type { KeyObject } from 'node:crypto';
import { readPrivateKeyFile } from '@mimi/crypto';
import { normalizeAll } from '../csi-input.js';
import { type CliIo, pathFrom } from '../io.js';

export function readKey(io: CliIo, path: string): Promise<KeyObject> {
  return readPrivateKeyFile(pathFrom(io, path));
}

/** One CSI (DESIGN §3); CliError `invalid-csi` naming it. */
export function normalizeOne(text: string): string {
  return normalizeAll([{ text }], {})[0]!;
}
