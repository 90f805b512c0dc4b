// bench/resolver-options.mjs: defaults reproduce the documented run; every bad value is named.
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../resolver-options.mjs';

function refusal(argv) {
  try {
    parseOptions(argv);
  } catch (err) {
    return err;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseOptions', () => {
  it('defaults to 10,000 CSIs, 50 cold, 50 warm, 8,000 warm-up, concurrency 16, 64, 256, servers pinned', () => {
    expect(parseOptions([])).toEqual({
      help: false,
      csis: 10_000,
      cold: 50,
      warm: 50,
      warmup: 8000,
      concurrency: [16, 64, 256],
      verifySeconds: 2,
      verifyTrials: 3,
      pin: 'servers',
      out: undefined,
      cpuProfileDir: undefined,
      stub: undefined,
      compare: undefined,
      rounds: 1,
      workers: undefined,
    });
  });

  it('reads --compare, --rounds and --workers', () => {
    expect(
      parseOptions(['--compare', '/tmp/b/dist/index.js', '--rounds', '3', '--workers', '0']),
    ).toMatchObject({ compare: '/tmp/b/dist/index.js', rounds: 3, workers: 0 });
    expect(parseOptions(['--workers', '64']).workers).toBe(64);
  });

  it('reads every option', () => {
    const options = parseOptions([
      '--csis',
      '500',
      '--cold',
      '3',
      '--warm',
      '4',
      '--warmup',
      '0',
      '--concurrency',
      '8, 32',
      '--verify-seconds',
      '0.5',
      '--verify-trials',
      '1',
      '--pin',
      'split',
      '--out',
      '/tmp/r.json',
      '--cpu-prof',
      '/tmp/prof',
      '--stub',
      '/tmp/stub/dist/index.js',
    ]);
    expect(options).toMatchObject({
      csis: 500,
      cold: 3,
      warm: 4,
      warmup: 0,
      concurrency: [8, 32],
      verifySeconds: 0.5,
      verifyTrials: 1,
      pin: 'split',
      out: '/tmp/r.json',
      cpuProfileDir: '/tmp/prof',
      stub: '/tmp/stub/dist/index.js',
    });
    expect(parseOptions(['--help']).help).toBe(true);
  });

  it.each([
    [['--csis', '0'], /--csis '0' is not a whole number/],
    [['--csis=-5'], /--csis '-5' is not a whole number/],
    [['--csis', '1.5'], /--csis '1.5'/],
    [['--cold', 'many'], /--cold 'many'/],
    [['--concurrency', '16,,64'], /--concurrency '' is not a whole number/],
    [['--concurrency', '16,20000'], /--concurrency '20000' is not a whole number in 1..10000/],
    [['--verify-seconds', '0'], /--verify-seconds '0' is not a positive number/],
    [['--verify-seconds', '1e3'], /--verify-seconds '1e3'/],
    [['--verify-trials', '101'], /--verify-trials '101'/],
    [['--csis', '991950', '--cold', '50'], /--csis \+ --cold \+ --warm \+ --warmup must stay below 1000000/],
    [['--warmup=-1'], /--warmup '-1' is not a whole number/],
    [['--warmup', 'some'], /--warmup 'some'/],
    [['--pin', 'both'], /--pin 'both' is not one of split, servers, none/],
    [['--rounds', '0'], /--rounds '0' is not a whole number in 1..100/],
    [['--workers', '65'], /--workers '65' is not a whole number in 0..64/],
    [['--workers=-1'], /--workers '-1' is not a whole number/],
    [['--bogus'], /unknown option '--bogus'/],
    [['positional'], /unexpected argument 'positional'/],
  ])('refuses %j', (argv, message) => {
    const err = refusal(argv);
    expect(err.name).toBe('BenchError');
    expect(err.code).toBe('bad-option');
    expect(err.message).toMatch(message);
  });

  it('accepts the largest data set that fits the number range', () => {
    expect(parseOptions(['--csis', '991899', '--cold', '50', '--warm', '50']).csis).toBe(991_899);
    expect(parseOptions(['--csis', '999899', '--cold', '50', '--warm', '50', '--warmup', '0']).csis).toBe(
      999_899,
    );
  });
});
