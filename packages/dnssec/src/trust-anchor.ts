/**
 * Trust anchors as operators and resolvers write them (DESIGN §8–9; the format of
 * unbound's `trust-anchor-file`): master-file lines of DS and/or DNSKEY records for
 * one zone, `<owner> [<ttl>] [IN] DS|DNSKEY <rdata>`, with `;` comments and
 * parentheses spanning lines (RFC 1035 §5.1).
 */
import { isMimiError } from '@mimi/errors';
import { canonicalName, type Dnskey, type Ds, dnskeyCodec, dsCodec } from '@mimi/protocol';
import { DnssecError } from './errors.js';
import type { TrustAnchor } from './results.js';
import type { ZoneKey } from './zone-key.js';

/** Logical lines: comments removed, parenthesised continuations joined. */
function logicalLines(text: string): { tokens: string[]; line: number }[] {
  const out: { tokens: string[]; line: number }[] = [];
  let pending: string[] = [];
  let depth = 0;
  let startLine = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const content = raw.replace(/;.*$/, '');
    if (depth === 0) startLine = index + 1;
    for (const ch of content) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      if (depth < 0) throw new DnssecError('trust-anchor', `trust anchor line ${index + 1}: unbalanced ')'`);
    }
    pending.push(...content.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean));
    if (depth === 0) {
      if (pending.length > 0) out.push({ tokens: pending, line: startLine });
      pending = [];
    }
  });
  if (depth !== 0) throw new DnssecError('trust-anchor', "trust anchor text ends inside '('");
  return out;
}

/** Parse DS/DNSKEY lines for one zone. Throws DnssecError `trust-anchor` naming the line. */
export function parseTrustAnchor(text: string): TrustAnchor {
  const ds: Ds[] = [];
  const dnskeys: Dnskey[] = [];
  let zone: string | undefined;
  for (const { tokens, line } of logicalLines(text)) {
    const [owner, ...rest] = tokens;
    let i = 0;
    while (i < 2 && rest[i] !== undefined && (/^\d+$/.test(rest[i]!) || rest[i]!.toUpperCase() === 'IN')) i++;
    const type = rest[i]?.toUpperCase();
    const fields = rest.slice(i + 1);
    try {
      const ownerName = canonicalName(owner!);
      if (zone !== undefined && zone !== ownerName) {
        throw new DnssecError('trust-anchor', `anchors for two zones (${zone} and ${ownerName})`);
      }
      zone = ownerName;
      if (type === 'DS') ds.push(dsCodec.fromText(fields, ownerName));
      else if (type === 'DNSKEY') dnskeys.push(dnskeyCodec.fromText(fields, ownerName));
      else throw new DnssecError('trust-anchor', `expected ds or dnskey, got '${rest[i] ?? ''}'`);
    } catch (cause) {
      const message = isMimiError(cause) ? cause.message : String(cause);
      throw new DnssecError('trust-anchor', `trust anchor line ${line}: ${message}`, { cause });
    }
  }
  if (zone === undefined) throw new DnssecError('trust-anchor', 'no ds or dnskey record in the trust anchor');
  return { zone, ds, dnskeys };
}

/** The anchor a zone key gives its resolvers: its DS. */
export function trustAnchorOf(key: ZoneKey): TrustAnchor {
  return { zone: key.zone, ds: [key.ds] };
}
