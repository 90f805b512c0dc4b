/** The shared server flags of DESIGN §8, parsed with node:util parseArgs. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { type ProgramSpec, parseServerArgs } from '../src/flags.js';

const SPEC: ProgramSpec = {
  name: 'mimi-test',
  version: '0.1.0',
  summary: 'a test server',
  extraOptions: { db: { type: 'string', required: true, valueName: 'FILE', description: 'mapping store' } },
};
const BASE = [
  '--key-dir',
  'keys',
  '--listen',
  '127.0.0.1:8443',
  '--tls-cert',
  'c.pem',
  '--tls-key',
  'k.pem',
  '--db',
  'x.db',
];

function run(argv: string[]) {
  const result = parseServerArgs(argv, SPEC);
  if (result.kind !== 'run') throw new Error(`expected run, got ${result.kind}`);
  return result;
}

describe('parseServerArgs', () => {
  it('parses the common flags with defaults', () => {
    const { flags, extra } = run(['--zone', 'root.zone', ...BASE]);
    expect(flags).toEqual({
      zones: ['root.zone'],
      keyDir: 'keys',
      listen: { host: '127.0.0.1', port: 8443 },
      tlsCert: 'c.pem',
      tlsKey: 'k.pem',
      do53: null,
      do53Public: false,
      logLevel: 'info',
      queriesPerSecond: undefined,
      missesPerSecond: undefined,
      odohKeys: null,
      tokens: null,
    });
    expect(extra).toEqual({ db: 'x.db' });
  });

  it('takes several files after one --zone, and repeated --zone, in order', () => {
    expect(run(['--zone', 'a.zone', 'b.zone', ...BASE, '--zone', 'c.zone']).flags.zones).toEqual([
      'a.zone',
      'b.zone',
      'c.zone',
    ]);
  });

  it('parses --do53, --do53-public, --log-level and the rate limits', () => {
    const { flags } = run([
      '--zone',
      'z',
      ...BASE,
      '--do53',
      '[::1]:5353',
      '--do53-public',
      '--log-level',
      'debug',
      '--rate-limit',
      '0',
      '--miss-rate-limit',
      '50',
    ]);
    expect(flags).toMatchObject({
      do53: { host: '::1', port: 5353 },
      do53Public: true,
      logLevel: 'debug',
      queriesPerSecond: 0,
      missesPerSecond: 50,
    });
  });

  it('parses the privacy flags: --odoh-keys, --require-token --token-issuer [--token-ca]', () => {
    const { flags } = run([
      '--zone',
      'z',
      ...BASE,
      '--odoh-keys',
      'odoh.json',
      '--require-token',
      '--token-issuer',
      'https://127.0.0.1:8445',
    ]);
    expect(flags.odohKeys).toBe('odoh.json');
    expect(flags.tokens).toEqual({ issuerUrl: 'https://127.0.0.1:8445', caFile: null });
    const withCa = run([
      '--zone',
      'z',
      ...BASE,
      '--require-token',
      '--token-issuer',
      'https://issuer.test',
      '--token-ca',
      'ca.pem',
    ]);
    expect(withCa.flags.tokens).toEqual({ issuerUrl: 'https://issuer.test', caFile: 'ca.pem' });
    expect(withCa.flags.odohKeys).toBeNull();
  });

  it('answers --help and --version without requiring anything else', () => {
    const help = parseServerArgs(['--help'], SPEC);
    expect(help.kind).toBe('help');
    expect(help.kind === 'help' && help.text).toMatch(/--zone FILE\.\.\..*\(required\)/);
    expect(help.kind === 'help' && help.text).toMatch(/--db FILE/);
    expect(parseServerArgs(['--version'], SPEC)).toEqual({ kind: 'version', text: 'mimi-test 0.1.0' });
  });

  it.each([
    [['--zone', 'z', ...BASE, '--bogus'], /unknown option '--bogus'/i],
    [
      ['--zone', 'z', ...BASE, 'stray'].slice(0, 2).concat(['--key-dir', 'k', 'stray']),
      /unexpected argument 'stray'/,
    ],
    [BASE, /--zone is required/],
    [['--zone', 'z', ...BASE.slice(2)], /--key-dir is required/],
    [['--zone', 'z', ...BASE.slice(0, -2)], /--db is required/],
    [['--zone', 'z', ...BASE, '--log-level', 'loud'], /--log-level 'loud'/],
    [['--zone', 'z', ...BASE, '--do53', '127.0.0.1'], /--do53 '127.0.0.1' is not HOST:PORT/],
    [['--zone', 'z', ...BASE, '--do53-public'], /--do53-public needs --do53/],
    [['--zone', 'z', ...BASE, '--rate-limit=-1'], /--rate-limit '-1'/],
    [['--zone', 'z', ...BASE, '--rate-limit', 'lots'], /--rate-limit 'lots' is not a whole number/],
    [['--zone', 'z', ...BASE, '--require-token'], /^--require-token needs --token-issuer URL$/],
    [
      ['--zone', 'z', ...BASE, '--token-issuer', 'https://issuer.test'],
      /^--token-issuer needs --require-token$/,
    ],
    [['--zone', 'z', ...BASE, '--token-ca', 'ca.pem'], /^--token-ca needs --require-token$/],
    [
      ['--zone', 'z', ...BASE, '--require-token', '--token-issuer', 'https://issuer.test/path'],
      /^--token-issuer: issuer url 'https:\/\/issuer.test\/path' must be an origin/,
    ],
    [
      ['--zone', 'z', ...BASE, '--require-token', '--token-issuer', 'issuer.test'],
      /^--token-issuer: issuer url 'issuer.test' is not a url$/,
    ],
    [['--zone', 'z', ...BASE, '--odoh-keys', ''], /^--odoh-keys needs a file name$/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseServerArgs(argv, SPEC)).toThrow(UsageError);
    expect(() => parseServerArgs(argv, SPEC)).toThrow(message);
  });
});
