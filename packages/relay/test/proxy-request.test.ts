/**
 * The checks of RFC 9230 §4.1 on a request to /proxy, without a server: media type
 * matching, parameter shape, allow-list normalisation, declared length.
 */
import { describe, expect, it } from 'vitest';
import { RelayHttpError } from '../src/http-errors.js';
import { checkProxyRequest, mediaTypeOf } from '../src/proxy-request.js';
import { parseTargets } from '../src/targets.js';

const targets = parseTargets('{"dp.test": "127.0.0.1:8443"}', 'inline');
const ODOH = 'application/oblivious-dns-message';
const url = (query: string) => new URL(`https://relay.test/proxy?${query}`);

function refusal(run: () => unknown): { code: string; status: number; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof RelayHttpError) return { code: err.code, status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('media type', () => {
  it.each([
    [ODOH, ODOH],
    ['Application/Oblivious-DNS-Message', ODOH],
    [`${ODOH} ; foo=bar`, ODOH],
    [undefined, ''],
  ])('%s → %s', (header, type) => {
    expect(mediaTypeOf(header)).toBe(type);
  });
});

describe('checkProxyRequest', () => {
  const ok = { contentType: ODOH, contentLength: '100' };

  it('accepts a host name in any case, with a trailing dot', () => {
    const checked = checkProxyRequest(
      'POST',
      url('targethost=DP.test.&targetpath=%2Fdns-query'),
      ok,
      targets,
      1024,
    );
    expect(checked.target.host).toBe('dp.test');
    expect(checked.path).toBe('/dns-query');
  });

  it.each([
    [
      'GET',
      'targethost=dp.test&targetpath=/dns-query',
      ok,
      'method-not-allowed',
      405,
      'method GET not allowed on /proxy; use POST',
    ],
    [
      'POST',
      'targethost=dp.test&targetpath=/dns-query',
      { ...ok, contentType: 'text/plain' },
      'unsupported-media-type',
      415,
      `content-type text/plain is not ${ODOH}`,
    ],
    [
      'POST',
      'targethost=evil.test&targetpath=/dns-query',
      ok,
      'target-not-allowed',
      403,
      "target evil.test is not on this relay's list",
    ],
    [
      'POST',
      `targethost=${'x'.repeat(100)}&targetpath=/dns-query`,
      ok,
      'target-not-allowed',
      403,
      `target ${'x'.repeat(64)}… is not on this relay's list`,
    ],
    [
      'POST',
      'targethost=dp.test&targetpath=/dns-query/../admin',
      ok,
      'path-not-allowed',
      403,
      'target path /dns-query/../admin is not allowed for dp.test',
    ],
    [
      'POST',
      'targethost=dp.test&targetpath=/dns-query',
      { ...ok, contentLength: '1025' },
      'too-large',
      413,
      'request body over 1024 bytes',
    ],
    [
      'POST',
      'targethost=dp.test&targetpath=/dns-query',
      { ...ok, contentLength: '1e3' },
      'bad-request',
      400,
      'content-length is not a number',
    ],
  ])('%s ?%s → %s', (method, query, headers, code, status, message) => {
    expect(refusal(() => checkProxyRequest(method, url(query), headers, targets, 1024))).toEqual({
      code,
      status,
      message,
    });
  });
});
