/**
 * The relay's configuration: the targets file (host → address:port, allowed paths) and
 * the command line, each both ways where it applies, with every refusal as a
 * `RelayConfigError` whose message names the offending thing.
 */
import { describe, expect, it } from 'vitest';
import { parseRelayArgs } from '../src/args.js';
import { RelayConfigError } from '../src/errors.js';
import { normalizeHost, parseHostPort, parseTargets } from '../src/targets.js';

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof RelayConfigError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a RelayConfigError');
}

describe('host names and host:port', () => {
  it.each([
    ['DP1.Nic.Mimi.Arpa.', 'dp1.nic.mimi.arpa'],
    ['a-b.example', 'a-b.example'],
    ['-a.example', null],
    ['a_b.example', null],
    ['a..example', null],
    ['', null],
    [`${'a'.repeat(64)}.example`, null],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHost(input)).toBe(expected);
  });

  it.each([
    ['127.0.0.1:8443', { address: '127.0.0.1', port: 8443 }],
    ['[::1]:443', { address: '::1', port: 443 }],
    ['dp.example:1', { address: 'dp.example', port: 1 }],
    ['127.0.0.1:0', null],
    ['127.0.0.1:65536', null],
    ['::1:443', null],
    ['[127.0.0.1]:443', null],
    ['127.0.0.1', null],
  ])('%s → %o', (input, expected) => {
    expect(parseHostPort(input)).toEqual(expected);
  });

  it('accepts port 0 only where asked (listening)', () => {
    expect(parseHostPort('127.0.0.1:0', true)).toEqual({ address: '127.0.0.1', port: 0 });
  });
});

describe('targets file', () => {
  it('maps names to addresses, lowercased, with /dns-query as the default path', () => {
    const table = parseTargets(
      JSON.stringify({
        'DP1.nic.mimi.arpa.': '127.0.0.1:8443',
        'dp2.nic.mimi.arpa': { address: '[::1]:9443', paths: ['/dns-query', '/q'] },
      }),
      't.json',
    );
    expect([...table.values()]).toEqual([
      { host: 'dp1.nic.mimi.arpa', address: '127.0.0.1', port: 8443, paths: ['/dns-query'] },
      { host: 'dp2.nic.mimi.arpa', address: '::1', port: 9443, paths: ['/dns-query', '/q'] },
    ]);
  });

  it.each([
    ['not json', 'not json'],
    ['[]', 'must be an object mapping host names to "address:port"'],
    ['{}', 'lists no target'],
    ['{"bad host": "127.0.0.1:1"}', '"bad host" is not a host name'],
    ['{"a.example": "127.0.0.1:1", "A.example.": "127.0.0.1:2"}', '"A.example." is listed twice'],
    ['{"a.example": 5}', '"a.example" needs "address:port"'],
    ['{"a.example": "127.0.0.1"}', '"a.example": "127.0.0.1" is not address:port'],
    [
      '{"a.example": {"address": "127.0.0.1:1", "paths": []}}',
      '"a.example": paths must be a non-empty list of absolute paths without query',
    ],
    [
      '{"a.example": {"address": "127.0.0.1:1", "paths": ["/q?x=1"]}}',
      '"a.example": paths must be a non-empty list of absolute paths without query',
    ],
    [
      '{"a.example": {"address": "127.0.0.1:1", "paths": ["/../admin"]}}',
      '"a.example": paths must be a non-empty list of absolute paths without query',
    ],
  ])('refuses %s', (text, why) => {
    expect(errorOf(() => parseTargets(text, 't.json'))).toEqual({
      code: 'targets-file',
      message: `targets file t.json: ${why}`,
    });
  });
});

describe('command line', () => {
  const required = [
    '--listen',
    '127.0.0.1:0',
    '--tls-cert',
    'c.pem',
    '--tls-key',
    'k.pem',
    '--targets',
    't.json',
  ];

  it('reads the required flags and fills the defaults', () => {
    expect(parseRelayArgs(required)).toEqual({
      kind: 'run',
      args: {
        host: '127.0.0.1',
        port: 0,
        tlsCert: 'c.pem',
        tlsKey: 'k.pem',
        targets: 't.json',
        maxBodyBytes: 16384,
        ratePerSecond: 50,
        burst: 100,
        maxInFlight: 256,
        timeoutMs: 5000,
        logLevel: 'info',
      },
    });
  });

  it('reads the optional flags', () => {
    const parsed = parseRelayArgs([
      ...required,
      '--ca',
      'ca.pem',
      '--max-body',
      '2048',
      '--rate',
      '0',
      '--burst',
      '5',
      '--max-in-flight',
      '8',
      '--timeout',
      '100',
      '--log-level',
      'debug',
    ]);
    expect(parsed).toMatchObject({
      kind: 'run',
      args: {
        ca: 'ca.pem',
        maxBodyBytes: 2048,
        ratePerSecond: 0,
        burst: 5,
        maxInFlight: 8,
        timeoutMs: 100,
        logLevel: 'debug',
      },
    });
  });

  it('answers --help and --version before anything else', () => {
    expect(parseRelayArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseRelayArgs(['--version', '--listen', 'x'])).toEqual({ kind: 'version' });
  });

  it.each([
    [[], '--listen is required'],
    [['--listen', '127.0.0.1'], '--listen 127.0.0.1 is not HOST:PORT'],
    [['--listen', '127.0.0.1:0'], '--tls-cert is required'],
    [[...required, '--rate', '-1'], "option '--rate' argument is ambiguous."],
    [[...required, '--rate', 'x'], '--rate x is not a whole number ≥ 0'],
    [[...required, '--max-body', '0'], '--max-body 0 is not a whole number ≥ 1'],
    [
      [...required, '--log-level', 'loud'],
      '--log-level loud is not one of fatal, error, warn, info, debug, trace, silent',
    ],
    [[...required, '--bogus'], "unknown option '--bogus'"],
    [[...required, 'extra'], "unexpected argument 'extra'. This command does not take positional arguments"],
  ])('refuses %j', (argv, message) => {
    expect(errorOf(() => parseRelayArgs(argv)).message).toContain(message);
  });
});
