/**
 * `mimi csip-key` (DESIGN §8): the CSIPKEY line for the CSIP zone, in RFC 3597 §5 generic
 * form, parses back with the zone-file parser and decodes as the DESIGN §4 record;
 * scope entries are validated.
 */
import { decodeCsipKeyRecord, parseRecord, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { csipKeyLine, parseScope, parseScopeEntry } from '../src/objects/csip-key-record.js';
import { CSIP } from './helpers/keys.js';
import { FIXED_NOW } from './helpers/memory-io.js';

const request = {
  id: 'uk-carrier',
  publicKey: CSIP.pub,
  scope: ['+44'],
  days: 730,
  ttl: 3600,
  apex: 'mimi.arpa.',
  now: FIXED_NOW,
};

describe('csipKeyLine', () => {
  it('prints `<id>.csip.<apex> <ttl> IN CSIPKEY \\# <len> <hex>`', () => {
    const { line, rdata } = csipKeyLine(request);
    const hex = Buffer.from(rdata).toString('hex');
    expect(line).toBe(`uk-carrier.csip.mimi.arpa. 3600 IN CSIPKEY \\# ${rdata.length} ${hex}`);
  });

  it('parses back with the zone parser and decodes as the CSIP key record', () => {
    const { line, exp } = csipKeyLine({ ...request, scope: ['+44', '+1', 'example.com'], ttl: 300 });
    const record = parseRecord(line);
    expect(record.name).toBe('uk-carrier.csip.mimi.arpa.');
    expect(record.type).toBe(RRType.CSIPKEY);
    expect(record.ttl).toBe(300);
    expect(exp).toBe(FIXED_NOW + 730 * 86_400);
    expect(decodeCsipKeyRecord(record.rdata)).toEqual({
      v: 1,
      id: 'uk-carrier',
      pk: CSIP.pub,
      scope: ['+44', '+1', 'example.com'],
      exp,
    });
  });

  it('follows another apex', () => {
    expect(csipKeyLine({ ...request, apex: 'Example.NET' }).line).toMatch(
      /^uk-carrier\.csip\.example\.net\. 3600 IN CSIPKEY /,
    );
  });
});

describe('scope entries', () => {
  it.each([
    ['+44', '+44'],
    [' +1 ', '+1'],
    ['+123456789012345', '+123456789012345'],
    ['example.com', 'example.com'],
    ['Example.COM', 'example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ])('%j -> %j', (text, entry) => {
    expect(parseScopeEntry(text)).toBe(entry);
  });

  it.each([
    ['+', "--scope '+': a phone prefix is '+' and 1-15 digits"],
    ['+44a', "--scope '+44a': a phone prefix is '+' and 1-15 digits"],
    ['+1234567890123456', "--scope '+1234567890123456': a phone prefix is '+' and 1-15 digits"],
    ['44', "--scope '44': neither +digits nor a domain (not a host name: ip literal not allowed)"],
    ['example.com.', "--scope 'example.com.': neither +digits nor a domain"],
    ['*.example.com', "--scope '*.example.com': neither +digits nor a domain"],
    [
      'xn--abc.example',
      "--scope 'xn--abc.example': neither +digits nor a domain (has an invalid xn-- label)",
    ],
  ])('%j is refused', (text, message) => {
    let caught: unknown;
    try {
      parseScopeEntry(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).message).toContain(message);
  });

  it('a scope has 1-64 distinct entries', () => {
    expect(parseScope(['+44', 'example.com'])).toEqual(['+44', 'example.com']);
    expect(() => parseScope([])).toThrow('--scope given 0 times, must be 1-64');
    expect(() => parseScope(Array.from({ length: 65 }, (_, i) => `+${i + 1}`))).toThrow(
      '--scope given 65 times',
    );
    expect(() => parseScope(['example.com', 'EXAMPLE.com'])).toThrow("--scope 'example.com' given twice");
  });
});
