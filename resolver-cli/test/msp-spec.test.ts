/**
 * `--msp MSP[:TAG,TAG][@PRI]` (DESIGN §8) into mapping `msps` (DESIGN §4): defaults of
 * 10 × position, A-label host names, tag and count limits, every fault named.
 */
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { parseMspSpec, parseMspSpecs } from '../src/objects/msp-spec.js';

describe('parseMspSpec', () => {
  it.each([
    ['whatsapp.example', 1, { msp: 'whatsapp.example', pri: 10, tags: [] }],
    ['wire.example', 2, { msp: 'wire.example', pri: 20, tags: [] }],
    ['wire.example:Business', 3, { msp: 'wire.example', pri: 30, tags: ['Business'] }],
    ['wire.example:Business,Sales@5', 1, { msp: 'wire.example', pri: 5, tags: ['Business', 'Sales'] }],
    ['Wire.Example@0', 1, { msp: 'wire.example', pri: 0, tags: [] }],
    ['signal.example@65535', 1, { msp: 'signal.example', pri: 65535, tags: [] }],
    ['teams.example: Work , Team Chat ', 1, { msp: 'teams.example', pri: 10, tags: ['Work', 'Team Chat'] }],
    ['bücher.example:Bücher', 1, { msp: 'xn--bcher-kva.example', pri: 10, tags: ['Bücher'] }],
    ['a.example:x@y@7', 1, { msp: 'a.example', pri: 7, tags: ['x@y'] }],
  ])('%j at position %i', (spec, position, entry) => {
    expect(parseMspSpec(spec, position)).toEqual(entry);
  });

  it.each([
    ['wire.example@', "priority '' is not a whole number"],
    ['wire.example@high', "priority 'high' is not a whole number"],
    ['wire.example@65536', 'priority 65536 is over 65535'],
    ['wire.example:', 'empty tag'],
    ['wire.example:a,,b', 'empty tag'],
    ['wire.example:a,a', "tag 'a' given twice"],
    [`wire.example:${'t'.repeat(65)}`, 'tag of 65 octets, at most 64'],
    ['wire.example:1,2,3,4,5,6,7,8,9', '9 tags, at most 8'],
    [':Business', "msp '' is not a host name: empty name"],
    ['wire..example', "msp 'wire..example' is not a host name: empty label"],
    ['-wire.example', "msp '-wire.example' is not a host name"],
    ['wire.example.', "msp 'wire.example.' is not a host name: trailing dot not allowed"],
    ['192.0.2.1', "msp '192.0.2.1' is not a host name: ip literal not allowed"],
    ['wire_chat.example', "msp 'wire_chat.example' is not a host name"],
  ])('%j is refused: %s', (spec, problem) => {
    let caught: unknown;
    try {
      parseMspSpec(spec, 1);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).code).toBe('bad-option');
    expect((caught as CliError).message).toContain(`--msp '${spec}': ${problem}`);
  });
});

describe('parseMspSpecs', () => {
  it('numbers default priorities by position and keeps the order given', () => {
    expect(parseMspSpecs(['b.example', 'a.example@5', 'c.example'])).toEqual([
      { msp: 'b.example', pri: 10, tags: [] },
      { msp: 'a.example', pri: 5, tags: [] },
      { msp: 'c.example', pri: 30, tags: [] },
    ]);
  });
  it('refuses an MSP named twice, in any case', () => {
    expect(() => parseMspSpecs(['wire.example', 'Wire.Example:Work'])).toThrow(
      "--msp 'wire.example' given twice",
    );
  });
  it('refuses more than 16 MSPs (DESIGN §4)', () => {
    const specs = Array.from({ length: 17 }, (_, i) => `m${i}.example`);
    expect(() => parseMspSpecs(specs)).toThrow('17 msps given, at most 16 per mapping');
    expect(parseMspSpecs(specs.slice(0, 16))).toHaveLength(16);
  });
});
