// bench/privacy-network.mjs, the pure parts: command-line surgery for the token-free
// replica and the second relay, and each mode's client.json.
import { describe, expect, it } from 'vitest';
import { modeConfigs, replaceFlag, withoutTokenFlags } from '../privacy-network.mjs';

const DP_ARGS = [
  '--zone',
  'z.zone',
  'overlay.zone',
  '--key-dir',
  'keys',
  '--listen',
  '127.0.0.1:8443',
  '--tls-cert',
  'c.pem',
  '--tls-key',
  'k.pem',
  '--do53',
  '127.0.0.1:8053',
  '--db',
  'tel.sqlite',
  '--odoh-keys',
  'ring.json',
  '--require-token',
  '--token-issuer',
  'https://127.0.0.1:9443',
  '--token-ca',
  'ca.pem',
  '--rate-limit',
  '0',
];

describe('withoutTokenFlags', () => {
  it('drops --require-token, --token-issuer URL and --token-ca FILE and keeps the rest in order', () => {
    const out = withoutTokenFlags(DP_ARGS);
    expect(out).not.toContain('--require-token');
    expect(out).not.toContain('https://127.0.0.1:9443');
    expect(out).not.toContain('ca.pem');
    expect(out).toEqual([...DP_ARGS.slice(0, DP_ARGS.indexOf('--require-token')), '--rate-limit', '0']);
  });

  it('leaves a command line without token flags as it is', () => {
    expect(withoutTokenFlags(['--listen', 'a', '--db', 'b'])).toEqual(['--listen', 'a', '--db', 'b']);
  });
});

describe('replaceFlag', () => {
  it('replaces the value after the flag, nothing else', () => {
    const out = replaceFlag(DP_ARGS, '--listen', '127.0.0.1:0');
    expect(out[out.indexOf('--listen') + 1]).toBe('127.0.0.1:0');
    expect(out).toHaveLength(DP_ARGS.length);
    expect(DP_ARGS[DP_ARGS.indexOf('--listen') + 1]).toBe('127.0.0.1:8443');
  });

  it.each([
    [['--db', 'x'], '--targets'],
    [['--db'], '--db'],
  ])('%j without a %s value is bad-command-line', (args, flag) => {
    expect(() => replaceFlag(args, flag, 'y')).toThrow(
      expect.objectContaining({ code: 'bad-command-line', message: `command line has no ${flag} value` }),
    );
  });
});

describe('modeConfigs', () => {
  const demo = {
    roots: ['https://127.0.0.1:1/dns-query'],
    trustAnchors: ['mimi.arpa. 3600 IN DS 1 15 2 00'],
    ca: '/ca.pem',
    relay: 'https://127.0.0.1:2/proxy',
    issuer: 'https://127.0.0.1:3',
    issuerAuth: 'secret',
  };
  const configs = modeConfigs(demo, {
    relayOpenUrl: 'https://127.0.0.1:4/proxy',
    dpDoh: 'https://127.0.0.1:5/dns-query',
    openDoh: 'https://127.0.0.1:6/dns-query',
  });

  it('relay-tokens is the demo client.json unchanged', () => {
    expect(configs['relay-tokens']).toBe(demo);
  });

  it('relay goes through the second relay with no issuer', () => {
    expect(configs.relay).toMatchObject({
      relay: 'https://127.0.0.1:4/proxy',
      issuer: null,
      issuerAuth: null,
    });
    expect(configs.relay.roots).toEqual(demo.roots);
  });

  it('direct has no relay, no issuer, and redirects the DP origin to the replica', () => {
    expect(configs.direct).toMatchObject({
      relay: null,
      issuer: null,
      issuerAuth: null,
      benchRedirect: { from: 'https://127.0.0.1:5', to: 'https://127.0.0.1:6' },
    });
  });
});
