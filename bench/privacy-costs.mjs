/**
 * Per-query costs of the privacy layer, measured in this process on one thread with the
 * code each side runs (CPU time per operation, from process.cpuUsage):
 *
 * - client token preparation (RFC 9578 §6.1/§6.3): blind + finalize of @mimi/tokens
 *   (node:crypto + BigInt, RFC 9474 §4.2/§4.3), and the same through the Privacy Pass
 *   library's own client (pure-JS bignums) for comparison;
 * - issuer signing per token: mimi-issuer's blindSign (RSASP1 + the RSAVP1 check);
 * - DP token verification: TokenVerifier.verify of a fresh token (RFC 9578 §6.4);
 * - HPKE (RFC 9230 §6/§8 through @mimi/odoh): the client's query seal, the target's open
 *   and response seal, the client's response open.
 */
import { generateKeyPairSync } from 'node:crypto';
import { publicVerif } from '@cloudflare/privacypass-ts';
import {
  decryptResponse,
  encryptQuery,
  generateTargetKey,
  openQuery,
  sealResponse,
  singleKey,
} from '@mimi/odoh';
import {
  blindRequests,
  decodeTokenKey,
  encodeTokenKey,
  finalizeToken,
  networkChallenge,
  TokenVerifier,
} from '@mimi/tokens';
import { blindSign } from 'mimi-issuer';
import { BenchError } from './lib/errors.mjs';

const ISSUER = 'https://127.0.0.1:9443';

/** CPU and wall µs per call of `fn` over `n` calls (after `warm` untimed ones). */
export async function perOp(n, fn, warm = Math.min(5, n)) {
  for (let i = 0; i < warm; i++) await fn(i);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const used = process.cpuUsage(cpu);
  return {
    n,
    cpuMicros: (used.user + used.system) / n,
    wallMicros: ((performance.now() - started) * 1000) / n,
  };
}

function issuerKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
  });
  return { privateKey, publicKey, key: { ...decodeTokenKey(encodeTokenKey(publicKey)), notBefore: null } };
}

/** Token costs: `n` tokens on the fast path, `libraryN` through the library. */
export async function tokenCosts(n, libraryN) {
  const signer = issuerKey();
  const challenge = networkChallenge(new URL(ISSUER).host);
  const blinded = [];
  const blind = await perOp(n, async () => {
    blinded.push(...(await blindRequests(challenge, signer.key, 1)));
  });
  const sigs = [];
  let next = 0;
  const sign = await perOp(n, () => {
    sigs.push(blindSign(signer.privateKey, signer.publicKey, blinded[next++].request.blindedMsg));
  });
  // The warm-up calls blinded and signed extra requests: pair them by index.
  const tokens = [];
  next = 0;
  const finalize = await perOp(n, async () => {
    tokens.push(await finalizeToken(blinded[next], sigs[next]));
    next++;
  });
  const verifier = new TokenVerifier({
    issuerUrl: ISSUER,
    directory: { issuerRequestUri: `${ISSUER}/token-request`, keys: [signer.key] },
  });
  next = 0;
  let accepted = 0;
  const verify = await perOp(
    tokens.length - 5,
    () => {
      if (verifier.verify(tokens[next++]).ok) accepted++;
    },
    5,
  );
  // Costs of tokens that do not verify would measure nothing.
  if (accepted !== tokens.length) {
    throw new BenchError(
      'token-invalid',
      `${tokens.length - accepted} of ${tokens.length} tokens did not verify`,
    );
  }
  const library = await perOp(
    libraryN,
    async () => {
      const client = new publicVerif.Client(publicVerif.BlindRSAMode.PSS);
      const request = await client.createTokenRequest(challenge.challenge, signer.key.encoded);
      const sig = blindSign(signer.privateKey, signer.publicKey, request.blindedMsg);
      await client.finalize(new publicVerif.TokenResponse(sig));
    },
    1,
  );
  return {
    clientBlind: blind,
    clientFinalize: finalize,
    clientPerToken: {
      cpuMicros: blind.cpuMicros + finalize.cpuMicros,
      wallMicros: blind.wallMicros + finalize.wallMicros,
    },
    issuerSign: sign,
    dpVerify: { ...verify, accepted },
    libraryClientPerToken: {
      ...library,
      note: 'privacypass-ts publicVerif.Client createTokenRequest + finalize, issuer signing included (≈ 1 ms of it)',
    },
  };
}

/** HPKE costs of one ODoH exchange, with a realistic query (≈ 60 octets) and answer (≈ 900). */
export async function hpkeCosts(n) {
  const key = generateTargetKey();
  const keys = singleKey(key);
  const query = new Uint8Array(60).fill(1);
  const answer = new Uint8Array(900).fill(2);
  const sealed = [];
  const clientSeal = await perOp(n, () => {
    sealed.push(encryptQuery(key.config, query));
  });
  const opened = [];
  let next = 0;
  const targetOpen = await perOp(n, () => {
    opened.push(openQuery(keys, sealed[next++].request));
  });
  const responses = [];
  next = 0;
  const targetSeal = await perOp(n, () => {
    responses.push(sealResponse(opened[next++].context, answer));
  });
  next = 0;
  const clientOpen = await perOp(n, () => {
    decryptResponse(sealed[next].context, responses[next]);
    next++;
  });
  return { clientSeal, targetOpen, targetSeal, clientOpen };
}
