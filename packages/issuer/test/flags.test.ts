/** mimi-issuer command line (DESIGN §8 conventions). */
import { describe, expect, it } from 'vitest';
import { parseIssuerArgs, parseListen } from '../src/flags.js';

const BASE = [
  '--listen',
  '127.0.0.1:0',
  '--tls-cert',
  'c',
  '--tls-key',
  'k',
  '--state-dir',
  's',
  '--users',
  'u',
];

describe('parseIssuerArgs', () => {
  it('reads every flag, with defaults', () => {
    expect(parseIssuerArgs(BASE)).toEqual({
      kind: 'run',
      flags: {
        host: '127.0.0.1',
        port: 0,
        tlsCert: 'c',
        tlsKey: 'k',
        stateDir: 's',
        users: 'u',
        quota: 100,
        epochSeconds: 3600,
      },
    });
    const run = parseIssuerArgs([...BASE, '--quota', '5', '--epoch-seconds', '60']);
    expect(run.kind === 'run' && [run.flags.quota, run.flags.epochSeconds]).toEqual([5, 60]);
  });

  it.each([
    [['--help'], 'help'],
    [['--version'], 'version'],
  ])('%j → %s', (argv, kind) => {
    expect(parseIssuerArgs(argv).kind).toBe(kind);
  });

  it.each([
    [BASE.slice(2), /--listen is required/],
    [[...BASE, '--quota', '0'], /--quota '0' must be an integer from 1 to/],
    [[...BASE, '--quota', '1.5'], /--quota '1.5' must be an integer/],
    [[...BASE, '--epoch-seconds', '9'], /--epoch-seconds '9' must be an integer from 10 to 2592000/],
    [[...BASE, '--nope'], /unknown option '--nope'/],
    [[...BASE, 'extra'], /unexpected argument 'extra'/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseIssuerArgs(argv)).toThrow(message);
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8443', { host: '127.0.0.1', port: 8443 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    ['localhost:1', { host: 'localhost', port: 1 }],
  ])('%s', (text, address) => {
    expect(parseListen(text)).toEqual(address);
  });
  it.each([
    ['127.0.0.1', /is not HOST:PORT/],
    ['127.0.0.1:70000', /port 70000 is above 65535/],
    ['[1.2.3.4]:1', /'1\.2\.3\.4' is not an ipv6 address/],
  ])('%s is refused', (text, message) => {
    expect(() => parseListen(text)).toThrow(message);
  });
});
