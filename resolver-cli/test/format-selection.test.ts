/**
 * DESIGN §8 `--select` ("exactly one MSP, or none") and the requirements' journeys
 * (DESIGN §1): CUJ 2 sameMspOnly, CUJ 3/4 one deterministic MSP, CUJ 7 `--context`.
 */
import type { ResolveResult } from '@mimi/stub-resolver';
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../src/colour.js';
import { formatSelection, selectionOf } from '../src/format/selection.js';
import { BOGUS, FOUND, FOUND_TWO, NO_MAPPING, OPTED_OUT, UNREACHABLE } from './helpers/results.js';

const SAME_MSP_ONLY: ResolveResult = {
  ...FOUND,
  csi: '+447700900125',
  mappings: [{ ...FOUND.mappings[0]!, policy: { sameMspOnly: true } }],
};

describe('selectionOf and formatSelection', () => {
  it('picks the lowest pri and says where it came from', () => {
    const selection = selectionOf(FOUND, {});
    expect(selection.selected?.msp).toBe('whatsapp.example');
    expect(selection.note).toBeNull();
    expect(formatSelection(FOUND, selection, PLAIN)).toBe(
      '+447700900123  whatsapp.example  (pri 10, mapping personal, tags Personal)\n',
    );
  });

  it('CUJ 3: equal pri across mappings falls to the mapping id', () => {
    // FOUND_TWO: personal/signal.example is sameMspOnly, so work/wire.example (pri 10) wins.
    expect(selectionOf(FOUND_TWO, {}).selected).toMatchObject({ msp: 'wire.example', mappingId: 'work' });
    // With the sender on signal.example, personal (pri 10, id "personal" < "work") wins.
    expect(selectionOf(FOUND_TWO, { senderMsp: 'signal.example' }).selected).toMatchObject({
      msp: 'signal.example',
      mappingId: 'personal',
    });
  });

  it('CUJ 7: --context prefers a tagged MSP, case-insensitively', () => {
    const selection = selectionOf(FOUND_TWO, { context: 'SALES' });
    expect(selection.selected).toMatchObject({ msp: 'teams.example', pri: 20, matchedContext: true });
    expect(selection.note).toBeNull();
  });

  it('CUJ 7: an unmatched --context still selects by pri, and says so', () => {
    const selection = selectionOf(FOUND, { context: 'Gaming' });
    expect(selection.selected?.msp).toBe('whatsapp.example');
    expect(selection.note).toBe("no msp is tagged 'Gaming'; chosen by pri");
    expect(formatSelection(FOUND, selection, PLAIN)).toContain("; no msp is tagged 'Gaming'; chosen by pri)");
  });

  it('CUJ 2: sameMspOnly offers nothing without --sender-msp, and says why', () => {
    const selection = selectionOf(SAME_MSP_ONLY, {});
    expect(selection.selected).toBeNull();
    expect(formatSelection(SAME_MSP_ONLY, selection, PLAIN)).toBe(
      '+447700900125  none  (the recipient accepts messages only from its own msp (sameMspOnly) and no --sender-msp was given)\n',
    );
  });

  it('CUJ 2: sameMspOnly offers only the sender’s own MSP', () => {
    expect(selectionOf(SAME_MSP_ONLY, { senderMsp: 'Wire.Example' }).selected?.msp).toBe('wire.example');
    const other = selectionOf(SAME_MSP_ONLY, { senderMsp: 'teams.example' });
    expect(other.selected).toBeNull();
    expect(other.note).toBe(
      'the recipient accepts messages only from its own msp (sameMspOnly), and teams.example is not one of them',
    );
  });

  it.each([
    [OPTED_OUT, 'status opted-out'],
    [NO_MAPPING, 'status no-mapping'],
    [BOGUS, `status bogus: ${BOGUS.reason}`],
    [UNREACHABLE, `status unreachable: ${UNREACHABLE.reason}`],
  ])('%# a result that is not found selects none and names its status', (result, why) => {
    const selection = selectionOf(result, {});
    expect(selection).toEqual({ selected: null, note: why });
    expect(formatSelection(result, selection, PLAIN)).toBe(`${result.csi}  none  (${why})\n`);
  });
});
