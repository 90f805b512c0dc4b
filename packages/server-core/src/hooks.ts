/**
 * Per-query steps plugged into the pipeline without touching the cache: the token
 * check (token-hook.ts; DESIGN §7: REFUSED + Extended DNS Error for DoH/ODoH queries
 * below a CSI subtree without a fresh token) runs before the answer is looked up;
 * RFC 8467 padding of DoH responses (padding-hook.ts) runs on the finished bytes. Hooks
 * run in the order they were added, and are synchronous: the whole pipeline is, which
 * keeps the cache-hit path free of promise allocations (node:crypto verification and
 * better-sqlite3 are synchronous).
 */
import type { Transport } from './metrics.js';
import type { ParsedQuery } from './query-reader.js';
import type { EdnsOption, ResponseContent } from './response-writer.js';
import type { ZoneSet } from './zone-set.js';

export interface QueryContext {
  readonly transport: Transport;
  /** The client's address (for DoH, the TCP peer). */
  readonly client: string;
  /** The query as received; read EDNS options with `ednsOptions(bytes, query.edns)`. */
  readonly bytes: Uint8Array;
  readonly query: ParsedQuery;
  /** The zones served now (after the last reload): hooks ask which zone holds the qname. */
  readonly zones: ZoneSet;
}

/** What a `beforeAnswer` step decided instead of the normal answer. */
export type HookVerdict =
  | {
      readonly kind: 'respond';
      readonly content: ResponseContent;
      /** Options for our OPT record (e.g. an Extended DNS Error, RFC 8914); used only if the query had EDNS. */
      readonly ednsOptions?: readonly EdnsOption[];
    }
  | { readonly kind: 'drop' };

export interface QueryHook {
  readonly name: string;
  /** Before the answer cache: return a verdict to answer otherwise, or undefined to go on. */
  beforeAnswer?(context: QueryContext): HookVerdict | undefined;
  /**
   * On the finished response (cache hit or miss, before UDP truncation). `response` is
   * this query's own copy (never the cached bytes): change it in place or return new
   * bytes. Keep the OPT record last; truncation looks for it there.
   */
  beforeSend?(context: QueryContext, response: Buffer): Buffer;
  /**
   * True when `beforeSend` never writes to the buffer it is given (it returns new bytes
   * to change the response): then it may be handed the cached bytes themselves, and a
   * cache hit needs no copy.
   */
  readonly leavesResponseIntact?: boolean;
}
