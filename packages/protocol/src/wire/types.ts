/**
 * RR type and class codes we use (IANA "Resource Record (RR) TYPEs"), including the
 * private-use types of DESIGN §4 (RFC 6895 §3.1 range 65280–65534).
 */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  NAPTR: 35,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  SVCB: 64,
  HTTPS: 65,
  /** RFC 9824 §3: NXNAME meta-type, only ever in an NSEC type bitmap. */
  NXNAME: 128,
  ANY: 255,
  MSPMAP: 65280,
  CSIPKEY: 65281,
  ODOHCFG: 65282,
} as const;

export type RRTypeName = keyof typeof RRType;

export const CLASS_IN = 1;

const NAME_BY_CODE = new Map<number, string>(Object.entries(RRType).map(([name, code]) => [code, name]));

/** Mnemonic for a type code, or RFC 3597 `TYPEnnn`. */
export function typeToString(code: number): string {
  return NAME_BY_CODE.get(code) ?? `TYPE${code}`;
}

/** Type code for a mnemonic or RFC 3597 `TYPEnnn` (case-insensitive); undefined if unknown. */
export function typeFromString(text: string): number | undefined {
  const upper = text.toUpperCase();
  const known = (RRType as Record<string, number>)[upper];
  if (known !== undefined) return known;
  const generic = /^TYPE(\d{1,5})$/.exec(upper);
  if (generic) {
    const code = Number(generic[1]);
    if (code <= 0xffff) return code;
  }
  return undefined;
}

/** Class mnemonics (RFC 1035 §3.2.4); others print as RFC 3597 `CLASSnnn`. */
const CLASS_NAMES: Readonly<Record<string, number>> = { IN: 1, CH: 3, HS: 4 };
const CLASS_BY_CODE = new Map<number, string>(
  Object.entries(CLASS_NAMES).map(([name, code]) => [code, name]),
);

export function classToString(code: number): string {
  return CLASS_BY_CODE.get(code) ?? `CLASS${code}`;
}

/** Class code of a mnemonic or `CLASSnnn` (case-insensitive); undefined if unknown. */
export function classFromString(text: string): number | undefined {
  const upper = text.toUpperCase();
  const known = CLASS_NAMES[upper];
  if (known !== undefined) return known;
  const generic = /^CLASS(\d{1,5})$/.exec(upper);
  if (generic) {
    const code = Number(generic[1]);
    if (code <= 0xffff) return code;
  }
  return undefined;
}
