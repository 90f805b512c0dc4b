/**
 * The one in-memory resource record of the project. RDATA is kept as its uncompressed
 * wire bytes (names in RDATA expanded, case preserved as received), so that signing,
 * canonical ordering and answer building work on bytes, and typed views are decoded
 * only where needed (`rdata/` codecs).
 *
 * `name` is an absolute presentation-format name with RFC 1035 §5.1 escapes and a
 * trailing dot (see `name.ts`).
 */
export interface ResourceRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly rdata: Uint8Array;
}

/** An RRset: records sharing owner name (compared case-insensitively), class and type. */
export interface RRset {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly rdatas: readonly Uint8Array[];
}
