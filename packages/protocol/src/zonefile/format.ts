/**
 * Writes records as a master file (RFC 1035 §5.1) that `parseZoneFile` reads back to
 * the same records: absolute owner names, explicit TTL and class on every line, RDATA in
 * presentation form (`\#` for unknown and private types, RFC 3597 §5).
 */
import { type FormatRecordOptions, formatRecord } from '../wire/record-text.js';
import type { ResourceRecord } from '../wire/rr.js';

export function formatZone(records: readonly ResourceRecord[], options: FormatRecordOptions = {}): string {
  return records.map((rr) => `${formatRecord(rr, options)}\n`).join('');
}
