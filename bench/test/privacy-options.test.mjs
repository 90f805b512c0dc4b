// bench/privacy-options.mjs: defaults reproduce the documented run; every bad value is a
// BenchError `bad-option` naming the option.
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../privacy-options.mjs';

describe('parseOptions', () => {
  it('has the documented defaults', () => {
    expect(parseOptions([])).toEqual({
      csis: 2000,
      cold: 30,
      fresh: 30,
      warm: 30,
      rounds: 2,
      concurrency: 64,
      quota: 1_000_000,
      pin: 'split',
      costSamples: 300,
      out: undefined,
      help: false,
    });
  });

  it('reads every option', () => {
    expect(
      parseOptions([
        '--csis',
        '10',
        '--cold',
        '4',
        '--fresh',
        '5',
        '--warm',
        '6',
        '--rounds',
        '3',
        '--concurrency',
        '16',
        '--quota',
        '500',
        '--pin',
        'none',
        '--cost-samples',
        '7',
        '--out',
        '/tmp/x.json',
      ]),
    ).toMatchObject({
      csis: 10,
      cold: 4,
      fresh: 5,
      warm: 6,
      rounds: 3,
      concurrency: 16,
      quota: 500,
      pin: 'none',
      costSamples: 7,
      out: '/tmp/x.json',
    });
  });

  it.each([
    [['--csis', '0'], "--csis '0' is not a whole number in 1..1000000"],
    [['--csis', 'x'], "--csis 'x' is not a whole number"],
    [['--rounds', '21'], "--rounds '21' is not a whole number in 1..20"],
    [['--concurrency', '0'], "--concurrency '0' is not a whole number in 1..4096"],
    [['--pin', 'servers'], "--pin 'servers' is not one of split, none"],
    [['--cold', '1', '--rounds', '2'], '--cold 1 is fewer than one per round (--rounds 2)'],
    [['--csis', '200000', '--rounds', '2'], 'the run needs 1200272 csis, more than 1000000'],
    [['--nope'], "unknown option '--nope'"],
  ])('%j is bad-option: %s', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(
      expect.objectContaining({ code: 'bad-option', message: expect.stringContaining(message) }),
    );
  });
});
