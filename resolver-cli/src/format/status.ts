/**
 * How each DESIGN §6 status reads to a person: its colour and a few words of meaning.
 */
import type { ResolveResult, ResolveStatus } from '@mimi/stub-resolver';
import type { Palette } from '../colour.js';

export function paintStatus(status: ResolveStatus | string, p: Palette): string {
  switch (status) {
    case 'found':
      return p.green(status);
    case 'opted-out':
      return p.cyan(status);
    case 'no-mapping':
      return p.yellow(status);
    default:
      return p.red(status);
  }
}

/** DESIGN §6 "Results a sender sees", in a few words. */
export function statusMeaning(result: Pick<ResolveResult, 'status' | 'mappings'>): string {
  switch (result.status) {
    case 'found': {
      const n = result.mappings.length;
      return `${n} verified mapping${n === 1 ? '' : 's'}`;
    }
    case 'opted-out':
      return 'the recipient is present but chose to be found on no msp';
    case 'no-mapping':
      return 'authenticated denial: no mapping for this csi';
    case 'bogus':
      return 'validation failed; no mapping is returned';
    case 'unreachable':
      return 'no server for a zone answered in time';
  }
}
