/**
 * One resource record as a master-file line (RFC 1035 §5.1): `name ttl class type rdata`,
 * with RFC 3597 §5 `TYPEnnn` / `CLASSnnn` and `\#` for what has no mnemonic or codec.
 * Parsing such a line is the zone parser's job (`parseRecord` in zonefile/).
 */
import { formatName, parseName } from './name.js';
import { rdataToText } from './rdata/index.js';
import type { ResourceRecord } from './rr.js';
import { classToString, RRType, typeFromString, typeToString } from './types.js';

export interface FormatRecordOptions {
  /**
   * Print the private types (MSPMAP, CSIPKEY, ODOHCFG; RFC 6895 §3.1 private use) as
   * `TYPEnnn`, for tools that do not know our mnemonics (ldns, BIND, unbound).
   */
  readonly genericPrivateTypes?: boolean;
}

/** RFC 6895 §3.1: 65280–65534 are for private use. */
const isPrivateType = (type: number) => type >= 65280 && type <= 65534;

const genericType = (mnemonic: string): string => {
  const code = typeFromString(mnemonic);
  return code !== undefined && isPrivateType(code) ? `TYPE${code}` : mnemonic;
};

/**
 * Type mnemonics inside RDATA text — an RRSIG's type covered (its first field) and the
 * NSEC type bitmap (every field after the next name) — in the generic form as well.
 */
function genericTypesInRdata(type: number, text: string): string {
  const fields = text.split(' ');
  if (type === RRType.RRSIG) return [genericType(fields[0]!), ...fields.slice(1)].join(' ');
  if (type === RRType.NSEC) return [fields[0]!, ...fields.slice(1).map(genericType)].join(' ');
  return text;
}

export function formatRecord(rr: ResourceRecord, options: FormatRecordOptions = {}): string {
  const name = formatName(parseName(rr.name));
  const generic = options.genericPrivateTypes === true;
  const type = generic && isPrivateType(rr.type) ? `TYPE${rr.type}` : typeToString(rr.type);
  const rdata = rdataToText(rr.type, rr.rdata);
  return `${name} ${rr.ttl} ${classToString(rr.class)} ${type} ${generic ? genericTypesInRdata(rr.type, rdata) : rdata}`;
}
