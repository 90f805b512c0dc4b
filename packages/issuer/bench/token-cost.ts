/**
 * What a token costs (docs/tokens.md): issuer signing (OpenSSL raw RSA vs the Privacy
 * Pass library's pure-JS BlindSign), client blinding and finalization, whole issuance
 * over loopback HTTPS (single and batched), and DP verification (node:crypto vs the
 * library's WebCrypto path). Run after `npx tsc -b`:
 *
 *   npx tsx packages/issuer/bench/token-cost.ts
 */
import { execFileSync } from 'node:child_process';
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicVerif, TOKEN_TYPES, Token } from '@cloudflare/privacypass-ts';
import {
  encodeTokenKey,
  fetchDirectory,
  IssuerHttp,
  networkChallenge,
  TokenClient,
  TokenVerifier,
} from '@mimi/tokens';
import { startIssuer, UserRegistry } from 'mimi-issuer';
import { blindSign } from '../src/signer.js';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function report(label: string, total: number, count: number): void {
  console.log(`${label.padEnd(58)} ${(total / count).toFixed(3).padStart(9)} ms/token  (n=${count})`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-token-bench-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  const apiKey = 'bench-api-key-0123456789abcdef';
  const issuer = await startIssuer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: readFileSync(cert), key: readFileSync(key) },
    stateDir: dir,
    users: UserRegistry.fromEntries([{ id: 'bench', apiKey }]),
    quota: 1_000_000,
    epochSeconds: 3600,
  });
  const ca = readFileSync(cert, 'utf8');

  // 1. Issuer signing alone.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const client = new publicVerif.Client(publicVerif.BlindRSAMode.PSS);
  const encoded = encodeTokenKey(publicKey);
  const request = await client.createTokenRequest(networkChallenge('bench').challenge, encoded);
  let start = process.hrtime.bigint();
  const N = 1000;
  for (let i = 0; i < N; i++) blindSign(privateKey, publicKey, request.blindedMsg);
  report('issuer BlindSign, OpenSSL raw RSA + check', ms(start), N);

  const pair = await publicVerif.Issuer.generateKey(publicVerif.BlindRSAMode.PSS, {
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  });
  const libIssuer = new publicVerif.Issuer(
    publicVerif.BlindRSAMode.PSS,
    'bench',
    pair.privateKey,
    pair.publicKey,
  );
  const libClient = new publicVerif.Client(publicVerif.BlindRSAMode.PSS);
  const libRequest = await libClient.createTokenRequest(
    networkChallenge('bench').challenge,
    await publicVerif.getPublicKeyBytes(pair.publicKey),
  );
  start = process.hrtime.bigint();
  for (let i = 0; i < 3; i++) await libIssuer.issue(libRequest);
  report('issuer BlindSign, privacypass-ts pure JS (for comparison)', ms(start), 3);

  // 2. Client blinding and finalization (library).
  start = process.hrtime.bigint();
  const blinded = [];
  for (let i = 0; i < 20; i++) {
    const c = new publicVerif.Client(publicVerif.BlindRSAMode.PSS);
    blinded.push({ c, r: await c.createTokenRequest(networkChallenge('bench').challenge, encoded) });
  }
  report('client blind (privacypass-ts)', ms(start), 20);
  start = process.hrtime.bigint();
  for (const { c, r } of blinded) {
    const sig = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, r.blindedMsg);
    await c.finalize(new publicVerif.TokenResponse(new Uint8Array(sig)));
  }
  report('client finalize incl. unblinded-signature check (+1 sign)', ms(start), 20);

  // 3. Whole issuance over loopback HTTPS/2.
  for (const [label, pool, count] of [
    ['single requests', 0, 20],
    ['generic batches of 64', 64, 128],
  ] as const) {
    const tokenClient = new TokenClient({ issuerUrl: issuer.url, issuerAuth: apiKey, ca, poolSize: pool });
    await tokenClient.prefetch(0);
    start = process.hrtime.bigint();
    if (pool === 0) for (let i = 0; i < count; i++) await tokenClient.token();
    else for (let done = 0; done < count; done += 64) await tokenClient.prefetch(done + 64);
    report(`issuance over HTTPS, ${label} (client CPU included)`, ms(start), count);
    await tokenClient.close();
  }

  // 4. DP verification.
  const tokenClient = new TokenClient({ issuerUrl: issuer.url, issuerAuth: apiKey, ca, poolSize: 0 });
  await tokenClient.prefetch(200);
  const tokens: Uint8Array[] = [];
  for (let i = 0; i < 200; i++) tokens.push(await tokenClient.token());
  const verifier = await TokenVerifier.create({ issuerUrl: issuer.url, ca });
  start = process.hrtime.bigint();
  for (const token of tokens) if (!verifier.verify(token).ok) throw new Error('verification failed');
  report('DP verify (node:crypto RSASSA-PSS + spent-store insert)', ms(start), tokens.length);
  const origin = new publicVerif.Origin(publicVerif.BlindRSAMode.PSS);
  const http = new IssuerHttp({ ca });
  const issuerKey = (await fetchDirectory(http, issuer.url, Date.now())).directory.keys[0]!.encoded;
  await http.close();
  const cryptoKey = await crypto.subtle.importKey(
    'spki',
    publicVerif.convertRSASSAPSSToEnc(issuerKey),
    { name: 'RSA-PSS', hash: 'SHA-384' },
    true,
    ['verify'],
  );
  start = process.hrtime.bigint();
  for (const token of tokens)
    await origin.verify(Token.deserialize(TOKEN_TYPES.BLIND_RSA, token.slice()), cryptoKey);
  report('library Origin.verify (WebCrypto), for comparison', ms(start), tokens.length);

  await verifier.close();
  await tokenClient.close();
  await issuer.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
