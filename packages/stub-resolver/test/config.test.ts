/** The client configuration (DESIGN §8, §9 `client.json`): loader errors name the file and the key. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createResolver, loadClientConfig, parseClientConfig } from '../src/index.js';
import { buildNetwork } from './helpers/network.js';

const DS =
  'mimi.arpa. 3600 IN DS 25614 15 2 4ac5ed0e0a1c5b1f7f03d3ea1f2d2b2e9d2e0b6e2c1a5c0d4f6e9a1b3c5d7e9f';
const valid = {
  roots: ['https://127.0.0.1:8443/dns-query'],
  trustAnchors: [DS],
  ca: 'ca.pem',
  relay: null,
  issuer: null,
};

function write(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-config-'));
  const file = join(dir, 'client.json');
  writeFileSync(file, content);
  return file;
}

describe('loadClientConfig', () => {
  it('reads the §9 file; a relative ca is taken from the file directory; unknown keys are ignored', () => {
    const file = write(JSON.stringify({ ...valid, future: { x: 1 }, region: 'GB' }));
    const config = loadClientConfig(file);
    expect(config.roots).toEqual(valid.roots);
    expect(config.trustAnchors).toEqual([DS]);
    expect(config.ca).toBe(join(file, '..', 'ca.pem'));
    expect(config.region).toBe('GB');
    expect(config.relay).toBeNull();
    expect(config).not.toHaveProperty('future');
  });

  it('a missing file: config-read naming it', () => {
    expect(() => loadClientConfig('/nonexistent/client.json')).toThrow(
      expect.objectContaining({
        code: 'config-read',
        message: expect.stringContaining('/nonexistent/client.json'),
      }),
    );
  });

  it('not json: config-json naming the file', () => {
    const file = write('{"roots": [');
    expect(() => loadClientConfig(file)).toThrow(
      expect.objectContaining({ code: 'config-json', details: { file } }),
    );
  });

  it.each([
    [{ ...valid, roots: [] }, 'roots', /'roots' must be a non-empty array/],
    [{ ...valid, trustAnchors: [DS, DS.replace('mimi.arpa.', 'other.arpa.')] }, 'trustAnchors', /two zones/],
    [{ ...valid, roots: 'https://x' }, 'roots', /'roots' must be a non-empty array/],
    [{ ...valid, roots: ['http://127.0.0.1/dns-query'] }, 'roots[0]', /'roots\[0\]' must be an https url/],
    [{ ...valid, roots: ['not a url'] }, 'roots[0]', /'roots\[0\]' is not a url/],
    [{ ...valid, roots: ['https://u:p@host/'] }, 'roots[0]', /must not carry credentials/],
    [{ ...valid, trustAnchors: undefined }, 'trustAnchors', /'trustAnchors' must be a non-empty array/],
    [{ ...valid, trustAnchors: [''] }, 'trustAnchors[0]', /must be a non-empty string/],
    [{ ...valid, trustAnchors: ['mimi.arpa. IN A 127.0.0.1'] }, 'trustAnchors', /expected ds or dnskey/],
    [{ ...valid, ca: 7 }, 'ca', /'ca' must be a non-empty string or null/],
    [{ ...valid, relay: 'ftp://relay' }, 'relay', /'relay' must be an https url/],
    [{ ...valid, issuer: '' }, 'issuer', /'issuer' must be a non-empty string or null/],
    [{ ...valid, region: 'gb' }, 'region', /'region' must be an ISO 3166 alpha-2 code/],
    [{ ...valid, tokenPool: -1 }, 'tokenPool', /'tokenPool' must be an integer from 0 to 256/],
    [{ ...valid, tokenPool: 257 }, 'tokenPool', /'tokenPool' must be an integer from 0 to 256/],
    [{ ...valid, tokenPool: 1.5 }, 'tokenPool', /'tokenPool' must be an integer from 0 to 256/],
    [{ ...valid, tokenPool: '8' }, 'tokenPool', /'tokenPool' must be an integer from 0 to 256/],
  ])('a bad value is refused naming %$ / %s', (raw, key, message) => {
    const file = write(JSON.stringify(raw));
    expect(() => loadClientConfig(file)).toThrow(
      expect.objectContaining({
        code: 'config-invalid',
        details: { file, key },
        message: expect.stringMatching(message),
      }),
    );
  });

  it.each([
    [0, 0],
    [256, 256],
    [null, null],
    [undefined, null],
  ])('tokenPool %s reads as %s', (value, expected) => {
    expect(parseClientConfig({ ...valid, tokenPool: value }).tokenPool).toBe(expected);
  });

  it('an issuer url the token client cannot use: config-invalid naming the issuer', () => {
    const config = parseClientConfig({
      ...valid,
      ca: null,
      issuer: 'https://issuer.test/path',
      issuerAuth: 'k',
    });
    expect(() => createResolver(config)).toThrow(
      expect.objectContaining({ code: 'config-invalid', details: { key: 'issuer' } }),
    );
  });

  it('a json array is not a configuration', () => {
    expect(() => parseClientConfig([], 'x.json')).toThrow(
      expect.objectContaining({ code: 'config-invalid' }),
    );
  });

  it('a DNSKEY line is accepted as a trust anchor', async () => {
    const network = await buildNetwork();
    const { dnskeyLine } = await import('@mimi/dnssec');
    const { zoneKeyOf } = await import('./helpers/network.js');
    const config = parseClientConfig({
      ...valid,
      ca: null,
      trustAnchors: [dnskeyLine(zoneKeyOf('mimi.arpa.'), 3600)],
    });
    const resolver = createResolver(config, { transport: network.transport, clock: () => network.clock.ms });
    expect((await resolver.resolve('+33123456789')).status).toBe('no-mapping');
  });

  it('an unreadable ca file: config-ca when the default transport is built', () => {
    const config = parseClientConfig({ ...valid, ca: '/nonexistent/ca.pem' });
    expect(() => createResolver(config)).toThrow(expect.objectContaining({ code: 'config-ca' }));
  });
});
