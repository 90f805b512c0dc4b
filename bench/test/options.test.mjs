import { describe, expect, it } from 'vitest';
import { parseOptions } from '../lib/options.mjs';

const parse = (argv, nproc = 2) => parseOptions(argv, { nproc, defaultDataDir: '/data' });

describe('bench options', () => {
  it('has the documented defaults, server on cpu 0 and dnsperf on the rest', () => {
    expect(parse([])).toEqual({
      help: false,
      mappings: 100_000,
      queries: 100_000,
      durationSeconds: 10,
      warmupSeconds: 120,
      rounds: 3,
      serverCpus: [0],
      clientCpus: [1],
      servers: ['ours', 'bind', 'nsd', 'knot', 'floor'],
      transports: ['udp', 'doh'],
      clients: 10,
      outstanding: 100,
      dohClient: 'h2load',
      dohMethod: 'GET',
      seed: 'mimi-bench-1',
      dataDir: '/data',
      keep: false,
    });
  });

  it('takes every option', () => {
    const options = parse(
      [
        '--mappings',
        '5',
        '--cores',
        '2',
        '--servers',
        'nsd,bind,nsd',
        '--transports',
        'udp',
        '--doh-method',
        'post',
        '--keep',
      ],
      4,
    );
    expect(options).toMatchObject({
      mappings: 5,
      serverCpus: [0, 1],
      clientCpus: [2, 3],
      servers: ['nsd', 'bind'],
      transports: ['udp'],
      dohMethod: 'POST',
      keep: true,
    });
  });

  it('falls back to dnsperf for DoH when h2load is not installed', () => {
    expect(parseOptions([], { nproc: 2, defaultDohClient: 'dnsperf' }).dohClient).toBe('dnsperf');
    expect(parse(['--doh-client', 'dnsperf']).dohClient).toBe('dnsperf');
  });

  it('answers --help', () => {
    expect(parse(['--help'])).toEqual({ help: true });
  });

  it.each([
    [['--mappings', '0'], "--mappings '0' is not an integer from 1 to 500000"],
    [['--mappings', '500001'], "--mappings '500001' is not an integer from 1 to 500000"],
    [['--duration', '1e3'], "--duration '1e3' is not an integer from 1 to 3600"],
    [['--cores', '2'], '--cores 2 leaves no cpu for dnsperf on this 2-cpu machine'],
    [['--servers', 'ours,unbound'], "--servers 'ours,unbound' must list some of ours, bind, nsd, knot"],
    [['--transports', ''], "--transports '' must list some of udp, doh"],
    [['--doh-method', 'PUT'], "--doh-method 'PUT' is not GET or POST"],
    [['--doh-client', 'curl'], "--doh-client 'curl' is not h2load or dnsperf"],
    [['--bogus'], "unknown option '--bogus'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(argv)).toThrow(
      expect.objectContaining({ code: 'bad-option', message: expect.stringContaining(message) }),
    );
  });
});
