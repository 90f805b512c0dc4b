/** Digests used by DNSSEC (DS, RFC 4509) and by the CSI names (RFC 7929 §3). */
import { createHash } from 'node:crypto';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}
