/**
 * The authoritative's own flags (DESIGN §8) and its housekeeping round, without
 * processes: flag values both ways, and a maintenance round with fakes and a fixed clock.
 */
import { parseServerArgs, silentLogger, UsageError } from '@mimi/server-core';
import { describe, expect, it } from 'vitest';
import { runMaintenance } from '../src/maintenance.js';
import {
  AUTHORITATIVE_PROGRAM,
  authoritativeFlags,
  DEFAULT_API_REQUESTS_PER_SECOND,
} from '../src/program.js';

const BASE = [
  '--zone',
  'a.zone',
  'b.zone',
  '--key-dir',
  'keys',
  '--db',
  'dp.db',
  '--resolver-config',
  'client.json',
  '--listen',
  '127.0.0.1:0',
  '--tls-cert',
  'c.pem',
  '--tls-key',
  'c.key',
];

function parse(extra: string[] = []) {
  const command = parseServerArgs([...BASE, ...extra], AUTHORITATIVE_PROGRAM);
  if (command.kind !== 'run') throw new TypeError('expected a run');
  return { common: command.flags, own: authoritativeFlags(command.extra) };
}

describe('flags', () => {
  it('reads --db, --resolver-config and the default api rate', () => {
    const { common, own } = parse();
    expect(common.zones).toEqual(['a.zone', 'b.zone']);
    expect(own).toEqual({
      db: 'dp.db',
      resolverConfig: 'client.json',
      apiRequestsPerSecond: DEFAULT_API_REQUESTS_PER_SECOND,
    });
  });

  it.each([
    ['0', 0],
    ['25', 25],
  ])('reads --api-rate-limit %s', (text, rate) => {
    expect(parse(['--api-rate-limit', text]).own.apiRequestsPerSecond).toBe(rate);
  });

  it.each([
    [['--api-rate-limit', 'x1'], "--api-rate-limit 'x1' is not a whole number"],
    [['--api-rate-limit', '1.5'], "--api-rate-limit '1.5' is not a whole number"],
    [['--require-token'], '--require-token needs --token-issuer URL'],
    [['--token-issuer', 'https://issuer.example'], '--token-issuer needs --require-token'],
    [
      ['--require-token', '--token-issuer', 'http://issuer.example'],
      "--token-issuer: issuer url 'http://issuer.example' must be https",
    ],
  ])('refuses %j', (extra, message) => {
    expect(() => parse(extra)).toThrow(UsageError);
    expect(() => parse(extra)).toThrow(message);
  });

  it('takes the privacy flags of DESIGN §8, which both servers share', () => {
    const { common } = parse([
      '--require-token',
      '--token-issuer',
      'https://issuer.example:8443',
      '--token-ca',
      'ca.pem',
      '--odoh-keys',
      'odoh.json',
    ]);
    expect(common.tokens).toEqual({ issuerUrl: 'https://issuer.example:8443', caFile: 'ca.pem' });
    expect(common.odohKeys).toBe('odoh.json');
  });

  it('requires --db and --resolver-config', () => {
    const without = BASE.filter((_, i) => BASE[i] !== '--db' && BASE[i - 1] !== '--db');
    expect(() => parseServerArgs(without, AUTHORITATIVE_PROGRAM)).toThrow('--db is required');
  });
});

describe('runMaintenance', () => {
  it('purges expired mappings and refreshes signatures at the clock time, in seconds', () => {
    const calls: string[] = [];
    runMaintenance({
      store: {
        purgeExpired: (now) => {
          calls.push(`purge ${now}`);
          return 2;
        },
      },
      engine: { refreshSignatures: (now) => void calls.push(`refresh ${now}`) },
      logger: silentLogger(),
      clock: () => 1_900_000_000_999,
    });
    expect(calls).toEqual(['purge 1900000000', 'refresh 1900000000']);
  });

  it('still refreshes when the purge fails', () => {
    const calls: string[] = [];
    runMaintenance({
      store: {
        purgeExpired: () => {
          throw new RangeError('disk');
        },
      },
      engine: { refreshSignatures: () => void calls.push('refresh') },
      logger: silentLogger(),
      clock: () => 0,
    });
    expect(calls).toEqual(['refresh']);
  });
});
