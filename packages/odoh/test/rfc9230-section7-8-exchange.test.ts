/**
 * RFC 9230 §7 (client) and §8 (target) end to end: a query encrypted to a config opens
 * at the target, the answer decrypts at the client; padding to RFC 8467 blocks; fresh
 * ciphertexts every time; and each refusal with its code. Also the HTTP status rules of
 * §4.3 through `answerObliviousQuery`.
 */
import { describe, expect, it } from 'vitest';
import { decryptResponse, encryptQuery } from '../src/client.js';
import { decodeConfigs, encodeConfigs, selectConfig } from '../src/config.js';
import { MESSAGE_TYPE_QUERY, MESSAGE_TYPE_RESPONSE } from '../src/constants.js';
import { OdohError } from '../src/errors.js';
import { decodeMessage, encodeMessage } from '../src/message.js';
import { openQuery, sealResponse } from '../src/target.js';
import { answerObliviousQuery, odohHttpStatus } from '../src/target-handler.js';
import { generateTargetKey, singleKey } from '../src/target-key.js';

const key = generateTargetKey();
const keys = singleKey(key);
const query = new Uint8Array(
  Buffer.from('a1b20100000100000000000003777777076578616d706c6503636f6d0000010001', 'hex'),
);
const answer = new Uint8Array(200).fill(0x42);

function errorOf(run: () => unknown): OdohError {
  try {
    run();
  } catch (err) {
    if (err instanceof OdohError) return err;
    throw err;
  }
  throw new Error('expected an OdohError');
}

describe('query and response round trip', () => {
  it('the target reads the query, the client reads the answer', () => {
    const { request, context } = encryptQuery(key.config, query);
    const opened = openQuery(keys, request);
    expect(opened.query).toEqual(query);
    expect(decryptResponse(context, sealResponse(opened.context, answer))).toEqual(answer);
  });

  it('works from the published configs bytes too', () => {
    const config = selectConfig(decodeConfigs(encodeConfigs([key.config])));
    const { request } = encryptQuery(config, query);
    expect(openQuery(keys, request).query).toEqual(query);
  });

  it('the same query twice gives different ciphertexts (fresh ephemeral key)', () => {
    const first = encryptQuery(key.config, query).request;
    const second = encryptQuery(key.config, query).request;
    expect(first.length).toBe(second.length);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
  });

  it('the same answer twice gives different ciphertexts (fresh resp_nonce)', () => {
    const { request } = encryptQuery(key.config, query);
    const opened = openQuery(keys, request);
    const one = sealResponse(opened.context, answer);
    const two = sealResponse(opened.context, answer);
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(false);
  });
});

describe('padding (RFC 8467 via RFC 9230 §11)', () => {
  // message = type 1 + key_id 2+32 + length 2 + enc 32 + (2 + dns + 2 + padding) + tag 16
  it.each([
    [1, 128],
    [33, 128],
    [128, 128],
    [129, 256],
  ])('a %i-byte query is padded to %i bytes of dns_message + padding', (length, padded) => {
    const { request } = encryptQuery(key.config, new Uint8Array(length).fill(1));
    expect(request.length).toBe(1 + 34 + 2 + 32 + 4 + padded + 16);
  });

  it.each([
    [1, 468],
    [468, 468],
    [469, 936],
  ])('a %i-byte answer is padded to %i bytes', (length, padded) => {
    const { request, context } = encryptQuery(key.config, query);
    const sealed = sealResponse(openQuery(keys, request).context, new Uint8Array(length).fill(2));
    expect(sealed.length).toBe(1 + 2 + 16 + 2 + 4 + padded + 16);
    expect(decryptResponse(context, sealed)).toHaveLength(length);
  });

  it('pads to a chosen block, or not at all', () => {
    expect(encryptQuery(key.config, query, { paddingTo: 0 }).request.length).toBe(
      1 + 34 + 2 + 32 + 4 + query.length + 16,
    );
    expect(encryptQuery(key.config, query, { paddingTo: 256 }).request.length).toBe(
      1 + 34 + 2 + 32 + 4 + 256 + 16,
    );
  });
});

describe('target refusals (RFC 9230 §8)', () => {
  it('a key id it does not hold: odoh-unknown-key', () => {
    const other = generateTargetKey();
    const { request } = encryptQuery(other.config, query);
    const error = errorOf(() => openQuery(keys, request));
    expect(error.code).toBe('odoh-unknown-key');
    expect(error.message).toBe('odoh query for a key id this target does not hold');
  });

  it('a flipped ciphertext bit: odoh-decrypt', () => {
    const { request } = encryptQuery(key.config, query);
    request[request.length - 1]! ^= 1;
    expect(errorOf(() => openQuery(keys, request)).code).toBe('odoh-decrypt');
  });

  it('a response message sent as a query: odoh-malformed', () => {
    const { request } = encryptQuery(key.config, query);
    request[0] = MESSAGE_TYPE_RESPONSE;
    expect(errorOf(() => openQuery(keys, request)).message).toBe(
      'odoh message: message_type 0x02 where 0x01 was expected',
    );
  });

  it('an encrypted_message too short to hold enc and tag: odoh-malformed', () => {
    const short = encodeMessage({
      messageType: MESSAGE_TYPE_QUERY,
      keyId: key.keyId,
      encryptedMessage: new Uint8Array(47),
    });
    expect(errorOf(() => openQuery(keys, short)).message).toBe(
      'odoh query: encrypted_message is 47 bytes, shorter than enc and tag',
    );
  });

  it('a key id swapped after encryption (it is in the aad): odoh-unknown-key or odoh-decrypt', () => {
    const { request } = encryptQuery(key.config, query);
    const message = decodeMessage(request, MESSAGE_TYPE_QUERY);
    const tampered = encodeMessage({ ...message, keyId: new Uint8Array(32) });
    expect(errorOf(() => openQuery({ findKey: () => key }, tampered)).code).toBe('odoh-decrypt');
  });
});

describe('client refusals (RFC 9230 §7)', () => {
  const exchange = () => {
    const { request, context } = encryptQuery(key.config, query);
    return { context, sealed: sealResponse(openQuery(keys, request).context, answer) };
  };

  it('a flipped response bit: odoh-decrypt', () => {
    const { context, sealed } = exchange();
    sealed[sealed.length - 20]! ^= 1;
    expect(errorOf(() => decryptResponse(context, sealed)).code).toBe('odoh-decrypt');
  });

  it('a response to another query: odoh-decrypt', () => {
    const { sealed } = exchange();
    const other = encryptQuery(key.config, query).context;
    expect(errorOf(() => decryptResponse(other, sealed)).code).toBe('odoh-decrypt');
  });

  it('a response nonce of the wrong length: odoh-malformed', () => {
    const { context, sealed } = exchange();
    const message = decodeMessage(sealed, MESSAGE_TYPE_RESPONSE);
    const bad = encodeMessage({ ...message, keyId: message.keyId.subarray(0, 15) });
    expect(errorOf(() => decryptResponse(context, bad)).message).toBe(
      'odoh response: resp_nonce is 15 bytes, must be 16',
    );
  });

  it('a query message where the response belongs: odoh-malformed', () => {
    const { request, context } = encryptQuery(key.config, query);
    expect(errorOf(() => decryptResponse(context, request)).code).toBe('odoh-malformed');
  });

  it('a config of an unsupported suite: odoh-unsupported', () => {
    const error = errorOf(() => encryptQuery({ ...key.config, aeadId: 3 }, query));
    expect(error.code).toBe('odoh-unsupported');
    expect(error.message).toBe('odoh config suite kem 0x20 kdf 0x1 aead 0x3 is not supported');
  });

  it('the response context never prints its secret', () => {
    const { context } = encryptQuery(key.config, query);
    expect(JSON.stringify({ context })).toBe('{"context":"[odoh response context]"}');
  });
});

describe('the target endpoint (RFC 9230 §4.3)', () => {
  const resolve = async (dns: Uint8Array) => new Uint8Array([...dns, 0xff]);

  it('200 with the ODoH media type and an answer the client decrypts', async () => {
    const { request, context } = encryptQuery(key.config, query);
    const result = await answerObliviousQuery(keys, request, resolve);
    expect(result.status).toBe(200);
    expect(result.contentType).toBe('application/oblivious-dns-message');
    expect(decryptResponse(context, result.body)).toEqual(new Uint8Array([...query, 0xff]));
  });

  it('401 for an unknown key id, so the client refetches the configs', async () => {
    const { request } = encryptQuery(generateTargetKey().config, query);
    const result = await answerObliviousQuery(keys, request, resolve);
    expect(result.status).toBe(401);
    expect(result.error?.code).toBe('odoh-unknown-key');
    expect(JSON.parse(Buffer.from(result.body).toString())).toEqual({ error: result.error });
  });

  it('400 for garbage, and the resolver is never called', async () => {
    let called = false;
    const result = await answerObliviousQuery(keys, Uint8Array.of(1, 2, 3), async (dns) => {
      called = true;
      return dns;
    });
    expect(result.status).toBe(400);
    expect(result.error?.code).toBe('odoh-malformed');
    expect(called).toBe(false);
  });

  it.each([
    ['odoh-unknown-key', 401],
    ['odoh-malformed', 400],
    ['odoh-decrypt', 400],
    ['odoh-padding', 400],
  ])('%s maps to %i', (code, status) => {
    expect(odohHttpStatus(code)).toBe(status);
  });
});
