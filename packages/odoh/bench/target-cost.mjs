/**
 * Target-side cost of one ODoH query (open + seal), two ways:
 *   1. HPKE through @hpke/core (WebCrypto): SetupBaseR + Open + Export, then the response
 *      keys by HKDF and AES-128-GCM on node:crypto, as an @hpke/core-based target would;
 *   2. our node:crypto path (openQuery + sealResponse).
 * Run after `npx tsc -b`: node packages/odoh/bench/target-cost.mjs [queries]
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { encryptQuery, generateTargetKey, openQuery, sealResponse, singleKey } from '../dist/index.js';

const N = Number(process.argv[2] ?? 2000);
const key = generateTargetKey();
const keys = singleKey(key);
const dnsQuery = new Uint8Array(45).fill(7);
const dnsAnswer = new Uint8Array(300).fill(9);
const requests = Array.from({ length: N }, () => encryptQuery(key.config, dnsQuery).request);

const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});
const recipientKey = await suite.kem.deserializePrivateKey(
  Buffer.from(key.privateKey.export({ format: 'der', type: 'pkcs8' })).subarray(16),
);
const info = new TextEncoder().encode('odoh query');
const exportLabel = new TextEncoder().encode('odoh response');

async function viaHpkeCore(request) {
  const keyId = request.subarray(3, 35);
  const encrypted = request.subarray(37);
  const aad = new Uint8Array([1, 0, 32, ...keyId]);
  const context = await suite.createRecipientContext({ recipientKey, enc: encrypted.subarray(0, 32), info });
  const plain = new Uint8Array(await context.open(encrypted.subarray(32), aad));
  const secret = new Uint8Array(await context.export(exportLabel, 16));
  const nonce = randomBytes(16);
  const salt = Buffer.concat([plain, Buffer.from([0, 16]), nonce]);
  const aeadKey = Buffer.from(hkdfSync('sha256', secret, salt, 'odoh key', 16));
  const aeadNonce = Buffer.from(hkdfSync('sha256', secret, salt, 'odoh nonce', 12));
  const cipher = createCipheriv('aes-128-gcm', aeadKey, aeadNonce);
  cipher.setAAD(Buffer.concat([Buffer.from([2, 0, 16]), nonce]));
  const body = Buffer.concat([
    Buffer.from([0, dnsAnswer.length]),
    dnsAnswer,
    Buffer.from([0, 168]),
    Buffer.alloc(168),
  ]);
  return Buffer.concat([cipher.update(body), cipher.final(), cipher.getAuthTag()]);
}

function viaNodeCrypto(request) {
  const opened = openQuery(keys, request);
  return sealResponse(opened.context, dnsAnswer);
}

async function measure(name, run) {
  for (const request of requests.slice(0, 200)) await run(request); // warm up
  const start = process.hrtime.bigint();
  for (const request of requests) await run(request);
  const micros = Number(process.hrtime.bigint() - start) / 1000 / N;
  console.log(
    `${name.padEnd(34)} ${micros.toFixed(1).padStart(8)} µs/query  ${Math.round(1e6 / micros)} queries/s on one core`,
  );
  return micros;
}

console.log(`node ${process.version}, ${N} queries, open + seal per query`);
await measure('@hpke/core (WebCrypto) + node hkdf', viaHpkeCore);
await measure('node:crypto (src/hpke.ts)', viaNodeCrypto);
