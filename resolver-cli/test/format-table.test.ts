/**
 * DESIGN §8 `mimi resolve` for people: one table per result, for each DESIGN §6 status,
 * on fixed results; colour only through the palette.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN, palette } from '../src/colour.js';
import { formatResultTable } from '../src/format/table.js';
import { BOGUS, FOUND, FOUND_TWO, NO_MAPPING, OPTED_OUT, UNREACHABLE } from './helpers/results.js';

describe('formatResultTable', () => {
  it('found: the mapping, its fields and the MSPs by pri with tags', () => {
    expect(formatResultTable(FOUND, PLAIN)).toBe(
      [
        '+447700900123  found  1 verified mapping',
        '  qname      3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
        '  mapping    personal',
        '    serial     3',
        '    expires    2027-01-01T00:00:00Z',
        '    csip       uk-carrier, epoch 1',
        '    recipient  A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg',
        '    msps       PRI  MSP               TAGS',
        '               10   whatsapp.example  Personal',
        '               20   wire.example      Business',
        '',
      ].join('\n'),
    );
  });

  it('found with two mappings: policy, untagged MSPs and warnings are shown', () => {
    const text = formatResultTable(FOUND_TWO, PLAIN);
    expect(text).toContain('+14155550100  found  2 verified mappings\n');
    expect(text).toContain('    policy     sameMspOnly\n');
    expect(text).toContain('               10   signal.example  -\n');
    expect(text).toContain('               20   teams.example  Business, Sales\n');
    expect(text).toContain(`  warning    ${FOUND_TWO.warnings[0]}\n`);
    // Mappings keep the stub's order (sorted by id).
    expect(text.indexOf('mapping    personal')).toBeLessThan(text.indexOf('mapping    work'));
    expect(text).not.toContain('reason');
  });

  it('opted-out: the mapping is listed with no MSP', () => {
    const text = formatResultTable(OPTED_OUT, PLAIN);
    expect(text.split('\n')[0]).toBe(
      '+447700900124  opted-out  the recipient is present but chose to be found on no msp',
    );
    expect(text).toContain('    msps       none (found on no msp)\n');
  });

  it('no-mapping: the owner name only', () => {
    expect(formatResultTable(NO_MAPPING, PLAIN)).toBe(
      [
        '+447700900999  no-mapping  authenticated denial: no mapping for this csi',
        '  qname      9.9.9.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [BOGUS, 'bogus  validation failed; no mapping is returned'],
    [UNREACHABLE, 'unreachable  no server for a zone answered in time'],
  ])('%# bogus and unreachable show the reason and no mapping', (result, headline) => {
    const text = formatResultTable(result, PLAIN);
    expect(text.split('\n')[0]).toBe(`${result.csi}  ${headline}`);
    expect(text).toContain(`  reason     ${result.reason}\n`);
    expect(text).not.toContain('  mapping    ');
  });

  it('colours the status by outcome only when the palette is enabled', () => {
    const colour = palette(true);
    expect(formatResultTable(FOUND, colour)).toContain('\x1b[32mfound\x1b[39m');
    expect(formatResultTable(OPTED_OUT, colour)).toContain('\x1b[36mopted-out\x1b[39m');
    expect(formatResultTable(NO_MAPPING, colour)).toContain('\x1b[33mno-mapping\x1b[39m');
    expect(formatResultTable(BOGUS, colour)).toContain('\x1b[31mbogus\x1b[39m');
    expect(formatResultTable(UNREACHABLE, colour)).toContain('\x1b[31munreachable\x1b[39m');
    for (const result of [FOUND, FOUND_TWO, OPTED_OUT, NO_MAPPING, BOGUS, UNREACHABLE]) {
      expect(formatResultTable(result, PLAIN)).not.toContain('\x1b[');
    }
  });

  it('keeps the MSP columns aligned when colour escapes are present', () => {
    const lines = formatResultTable(FOUND, palette(true)).split('\n');
    // Strip SGR and compare with the plain rendering: same text, same alignment.
    const sgr = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
    const stripped = lines.map((line) => line.replace(sgr, '')).join('\n');
    expect(stripped).toBe(formatResultTable(FOUND, PLAIN));
  });
});
