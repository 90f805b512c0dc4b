/**
 * DESIGN §8 `--json`: exactly the documented object, one line per CSI, keys in the
 * documented order; with `--select`, `"selected": {...} | null` added.
 */
import { describe, expect, it } from 'vitest';
import { resultJsonLine } from '../src/format/json.js';
import { selectionOf } from '../src/format/selection.js';
import { ALL_RESULTS, FOUND, NO_MAPPING } from './helpers/results.js';

describe('resultJsonLine', () => {
  it('is the DESIGN §8 shape, byte for byte, on one line', () => {
    expect(resultJsonLine(FOUND)).toBe(
      '{"csi":"+447700900123","qname":"3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.","status":"found",' +
        '"mappings":[{"id":"personal","serial":3,"recipientKey":"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg",' +
        '"csip":"uk-carrier","epoch":1,"expires":"2027-01-01T00:00:00Z","policy":{},' +
        '"msps":[{"msp":"whatsapp.example","pri":10,"tags":["Personal"]},{"msp":"wire.example","pri":20,"tags":["Business"]}]}],' +
        '"warnings":[],"reason":null}\n',
    );
  });

  it.each(ALL_RESULTS.map((result) => [result.status, result] as const))(
    '%s round-trips through JSON with exactly the documented keys',
    (_status, result) => {
      const line = resultJsonLine(result);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(['csi', 'qname', 'status', 'mappings', 'warnings', 'reason']);
      expect(parsed).toEqual(result);
    },
  );

  it('leaves out a trace even when the result carries one', () => {
    const traced = {
      ...NO_MAPPING,
      trace: [{ event: 'result' as const, status: 'no-mapping', reason: null, ms: 1 }],
    };
    expect(JSON.parse(resultJsonLine(traced))).not.toHaveProperty('trace');
  });

  it('adds "selected" with --select: the MSP, or null', () => {
    const found = JSON.parse(resultJsonLine(FOUND, selectionOf(FOUND, {}).selected));
    expect(found.selected).toEqual({
      msp: 'whatsapp.example',
      pri: 10,
      tags: ['Personal'],
      mappingId: 'personal',
      matchedContext: false,
    });
    expect(Object.keys(found).at(-1)).toBe('selected');
    const none = JSON.parse(resultJsonLine(NO_MAPPING, selectionOf(NO_MAPPING, {}).selected));
    expect(none).toHaveProperty('selected', null);
    expect(JSON.parse(resultJsonLine(FOUND))).not.toHaveProperty('selected');
  });
});
