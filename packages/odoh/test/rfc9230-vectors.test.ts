/**
 * The published ODoH (version 0x0001) vectors, byte for byte: config and key id from
 * the seed (RFC 9230 §5, §6.1), each oblivious query opened to its DNS query and
 * padding (§8 steps 1–4), each oblivious response re-sealed from its resp_nonce (§8
 * steps 5–9). Source and scope: test/vectors/rfc9230-odoh.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeConfigs, encodeConfigs, keyIdOf, selectConfig } from '../src/config.js';
import { LABEL_QUERY, MESSAGE_TYPE_QUERY } from '../src/constants.js';
import { openBase } from '../src/hpke.js';
import { decodeMessage, queryAad } from '../src/message.js';
import { openQuery, sealResponse } from '../src/target.js';
import { singleKey, targetKeyFromSeed } from '../src/target-key.js';

interface Transaction {
  index: number;
  query: string;
  query_padding_length: number;
  response: string;
  response_padding_length: number;
  oblivious_query: string;
  oblivious_response: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/vectors/rfc9230-odoh.json', import.meta.url), 'utf8'),
) as { public_key_seed: string; odohconfigs: string; key_id: string; transactions: Transaction[] };

const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const key = targetKeyFromSeed(fromHex(vectors.public_key_seed));

describe('RFC 9230 vectors: configuration', () => {
  it('derives the published ObliviousDoHConfigs from the seed', () => {
    expect(toHex(encodeConfigs([key.config]))).toBe(vectors.odohconfigs);
  });

  it('computes the published key id from the config contents (§6.1)', () => {
    expect(toHex(key.keyId)).toBe(vectors.key_id);
    const [config] = decodeConfigs(fromHex(vectors.odohconfigs));
    expect(toHex(keyIdOf(selectConfig([config!])))).toBe(vectors.key_id);
  });
});

describe.each(vectors.transactions)('RFC 9230 vectors: transaction $index', (t) => {
  it('opens the oblivious query to the DNS query', () => {
    const opened = openQuery(singleKey(key), fromHex(t.oblivious_query));
    expect(toHex(opened.query)).toBe(t.query);
  });

  it('carries exactly the published amount of zero padding', () => {
    const message = decodeMessage(fromHex(t.oblivious_query), MESSAGE_TYPE_QUERY);
    const enc = message.encryptedMessage.subarray(0, 32);
    const { plaintext } = openBase(
      key,
      enc,
      new TextEncoder().encode(LABEL_QUERY),
      queryAad(message.keyId),
      message.encryptedMessage.subarray(32),
    );
    // 2-byte length, the query, 2-byte length, the padding.
    expect(plaintext.length).toBe(4 + t.query.length / 2 + t.query_padding_length);
    expect(plaintext.subarray(plaintext.length - t.query_padding_length).every((b) => b === 0)).toBe(true);
  });

  it('re-seals the published oblivious response byte for byte from its resp_nonce', () => {
    const opened = openQuery(singleKey(key), fromHex(t.oblivious_query));
    const published = fromHex(t.oblivious_response);
    const sealed = sealResponse(opened.context, fromHex(t.response), {
      paddingLength: t.response_padding_length,
      responseNonce: published.subarray(3, 19),
    });
    expect(toHex(sealed)).toBe(t.oblivious_response);
  });

  it('fails to re-seal it with another resp_nonce (the nonce is bound in)', () => {
    const opened = openQuery(singleKey(key), fromHex(t.oblivious_query));
    const sealed = sealResponse(opened.context, fromHex(t.response), {
      paddingLength: t.response_padding_length,
      responseNonce: new Uint8Array(16),
    });
    expect(toHex(sealed)).not.toBe(t.oblivious_response);
  });
});
