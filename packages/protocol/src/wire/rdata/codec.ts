/**
 * The shape every typed RDATA codec has: one file per record type under `rdata/`,
 * holding the RFC's wire diagram, the typed value, encode/decode and text form.
 * RDATA is always uncompressed wire bytes (see ResourceRecord).
 */
export interface RdataCodec<T> {
  /** Type code (RRType). */
  readonly type: number;
  /** Uncompressed wire RDATA. Validates `value` first (throws WireFormatError). */
  encode(value: T): Uint8Array;
  /** Strict decode of the whole RDATA: trailing or missing bytes throw WireFormatError. */
  decode(rdata: Uint8Array): T;
  /** Presentation format (RFC 1035 §5.1 master-file text) of the RDATA fields. */
  toText(value: T): string;
  /**
   * Parse presentation fields (already split by the zone-file tokenizer; quoted strings
   * arrive unquoted with escapes intact) relative to `origin` (absolute name).
   */
  fromText(fields: readonly string[], origin: string): T;
}
