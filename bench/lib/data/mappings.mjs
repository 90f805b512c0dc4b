/**
 * Fixed-seed keys and the signed objects of the benchmark (DESIGN §4 "Attestation",
 * "Mapping", "Signing input"): one CSIP (`uk-carrier`) attests one recipient key per
 * CSI, and each CSI gets one mapping shaped like the demo's +447700900123 (two MSPs,
 * two tags), so the MSPMAP RDATA has a realistic size.
 */
import { privateKeyFromSeed, publicKeyOf, sha256 } from '@mimi/crypto';
import { signAttestation, signMapping } from '@mimi/protocol';

const utf8 = new TextEncoder();

/** The CSIP id of DESIGN §9 for +44. */
export const BENCH_CSIP_ID = 'uk-carrier';

/** MSP set of every benchmark mapping (DESIGN §9's first seeded CSI). */
export const BENCH_MSPS = Object.freeze([
  { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
  { msp: 'wire.example', pri: 20, tags: ['Business'] },
]);

/**
 * A private key derived from the run's seed and a purpose label: SHA-256 of
 * `mimi-bench/<seed>/<label>` is the RFC 8032 seed. Not secret; only repeatable.
 */
export function benchKey(seed, label) {
  return privateKeyFromSeed(sha256(utf8.encode(`mimi-bench/${seed}/${label}`)));
}

/**
 * Recipient keys are drawn from a pool: importing a key costs ≈ 0.8 ms (as much as
 * sixteen signatures), and the servers neither see nor care which key signed.
 */
export const RECIPIENT_KEY_POOL = 64;

/** The keys of a data set: zone signing key, CSIP key, and recipient key `i mod pool`. */
export function benchKeys(seed) {
  const pool = Array.from({ length: RECIPIENT_KEY_POOL }, (_, i) => {
    const privateKey = benchKey(seed, `recipient ${i}`);
    return { privateKey, publicKey: publicKeyOf(privateKey) };
  });
  return {
    zone: benchKey(seed, 'zone'),
    csip: benchKey(seed, 'csip'),
    recipient: (i) => pool[i % RECIPIENT_KEY_POOL],
  };
}

/**
 * The signed mapping of one CSI (the MSPMAP RDATA bytes): attested by the CSIP, epoch 1,
 * valid from `now - 60` to `now + days`, signed by recipient key `i`.
 */
export function signedBenchMapping(keys, i, csi, now, days) {
  const iat = now - 60;
  const exp = now + days * 86_400;
  const recipient = keys.recipient(i);
  const att = signAttestation(
    { v: 1, csi, rk: recipient.publicKey, csip: BENCH_CSIP_ID, epoch: 1, iat, exp },
    keys.csip,
  ).object;
  return signMapping(
    { v: 1, csi, id: 'personal', serial: 1, iat, exp, msps: BENCH_MSPS, att },
    recipient.privateKey,
  ).bytes;
}
