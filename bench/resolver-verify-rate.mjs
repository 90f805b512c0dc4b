/**
 * The yardstick of the stub-resolver benchmark: raw Ed25519 verifications per second
 * with node:crypto (OpenSSL) on one thread — RFC 8032 §5.1.7 verification of pure
 * Ed25519 signatures with already-imported public keys, nothing else. This is the
 * ceiling the issue compares bulk resolution against ("Ed25519 verifies/s ÷ 3").
 *
 * Several distinct keys and messages are cycled so that no branch predictor or cache
 * sees one input only; messages are as long as a mapping's signing input.
 */
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { BenchError } from './lib/errors.mjs';

/** Distinct (key, message, signature) triples cycled through. */
const SAMPLES = 64;
/** A mapping's signing input (context, 0x00, CBOR with its attestation) is a few hundred octets. */
const MESSAGE_OCTETS = 300;
/** Verifications between clock reads. */
const BATCH = 256;

/** `count` distinct (KeyObject, message, signature) triples. */
export function yardstickSamples(count = SAMPLES) {
  return Array.from({ length: count }, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const message = randomBytes(MESSAGE_OCTETS);
    return { publicKey, message, signature: sign(null, message, privateKey) };
  });
}

/**
 * Verifications per second over at least `seconds` of wall time on this thread, and the
 * CPU time each took (process CPU time: on a busy machine the wall-clock rate drops but
 * the CPU cost stays). Throws BenchError `yardstick-broken` if a sample fails to verify:
 * a yardstick that measures failing verifications (which may be cheaper) must not pass
 * silently.
 */
export function measureVerifyRate(seconds, set = yardstickSamples()) {
  let count = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < BATCH; i++) {
      const sample = set[(count + i) % set.length];
      if (!verify(null, sample.message, sample.publicKey, sample.signature)) {
        throw new BenchError('yardstick-broken', 'ed25519 yardstick: a sample signature did not verify');
      }
    }
    count += BATCH;
    elapsed = process.hrtime.bigint() - started;
  }
  const used = process.cpuUsage(cpu);
  return {
    perSecond: (count * 1e9) / Number(elapsed),
    cpuMicrosPerVerify: (used.user + used.system) / count,
  };
}

/** `trials` measurements of `seconds` each (after a short warm-up), in order. */
export function verifyRateTrials(trials, seconds) {
  const set = yardstickSamples();
  measureVerifyRate(Math.min(0.3, seconds), set);
  return Array.from({ length: trials }, () => measureVerifyRate(seconds, set));
}
