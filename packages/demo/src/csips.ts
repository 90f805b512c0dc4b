/**
 * The network's CSIPs (DESIGN §4 "CSIP key record"): each one's Ed25519 key, made on first
 * start and re-used after (`keys/csip/<id>.key`, mode 0600, where `mimi attest --csip-key`
 * reads it), and the CSIPKEY record that the CSIP zone publishes for it.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyOf } from '@mimi/crypto';
import type { CsipKeyRecord } from '@mimi/protocol';
import { loadOrCreateKey } from './keys.js';
import type { CsipSpec } from './layout.js';
import type { DemoPaths } from './state.js';

const DAY = 86_400;
/** Lifetime of a CSIPKEY record when the layout names none. */
const DEFAULT_CSIP_KEY_DAYS = 730;

export interface NetworkCsip {
  readonly id: string;
  readonly scope: readonly string[];
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
  /** PKCS#8 PEM file of the private key. */
  readonly keyFile: string;
  /** `exp` of its CSIPKEY record, Unix seconds. */
  readonly exp: number;
}

/** Every CSIP of `specs` with its key (loaded or made), the record's expiry counted from `now`. */
export async function loadCsips(
  paths: DemoPaths,
  specs: readonly CsipSpec[],
  now: number,
): Promise<NetworkCsip[]> {
  const csips: NetworkCsip[] = [];
  for (const spec of specs) {
    const keyFile = paths.csipKey(spec.id);
    const privateKey = await loadOrCreateKey(keyFile);
    const exp = now + (spec.days ?? DEFAULT_CSIP_KEY_DAYS) * DAY;
    csips.push({
      id: spec.id,
      scope: spec.scope,
      privateKey,
      publicKey: publicKeyOf(privateKey),
      keyFile,
      exp,
    });
  }
  return csips;
}

/** The CSIPKEY record of `csip` (its RDATA; the owner is `<id>.csip.<apex>`). */
export function csipKeyRecord(csip: NetworkCsip): CsipKeyRecord {
  return { v: 1, id: csip.id, pk: csip.publicKey, scope: [...csip.scope], exp: csip.exp };
}
