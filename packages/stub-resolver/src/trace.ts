/**
 * The record of one resolution for `mimi resolve --trace` (DESIGN §8): the chain of
 * trust zone by zone — which server was asked what, the DS and DNSKEY key tags, what
 * was verified, and how long each step took — the way `dig +trace` and `delv +vtrace`
 * let a person see it. Events are plain data; drawing them is the CLI's job.
 */

export interface TraceServer {
  readonly url: string;
  readonly host: string;
}

export type TraceEvent =
  /** The trust anchor the walk starts from. */
  | { readonly event: 'trust-anchor'; readonly zone: string; readonly keyTags: readonly number[] }
  /** One exchange with one server (also failed ones, before a failover). */
  | {
      readonly event: 'query';
      readonly zone: string;
      readonly qname: string;
      readonly qtype: string;
      readonly server: TraceServer;
      /** `answer`, `referral`, `nodata`, `nxname`, `rcode <n>` or `failed: <reason>`. */
      readonly outcome: string;
      readonly ms: number;
      /** The oblivious relay the query went through (absent: straight to the server). */
      readonly relay?: string;
      /**
       * The Privacy Pass token the query carried (DESIGN §7), named by the first octets
       * of its random nonce in hex; absent when it carried none.
       */
      readonly token?: string;
    }
  /**
   * The ODoH config a query to `host` was encrypted to (RFC 9230 §5): its key id (first
   * octets, hex) and where it came from — the DNSSEC-validated ODOHCFG record at
   * `_odoh.<host>` asked through the relay, or (a root server) asked directly once.
   */
  | {
      readonly event: 'odoh-config';
      readonly host: string;
      readonly keyId: string;
      readonly source: 'relay' | 'direct';
      readonly refreshed: boolean;
    }
  /** An answer served from cache (no exchange). */
  | { readonly event: 'cache'; readonly qname: string; readonly qtype: string; readonly outcome: string }
  /** A zone whose DNSKEY RRset is now trusted: its DS (from `parent`) and DNSKEY key tags. */
  | {
      readonly event: 'zone';
      readonly zone: string;
      readonly parent: string | null;
      readonly dsKeyTags: readonly number[];
      readonly dnskeyKeyTags: readonly number[];
      readonly servers: readonly TraceServer[];
    }
  /** An RRset or a denial whose RRSIG verified. */
  | {
      readonly event: 'verified';
      readonly zone: string;
      readonly name: string;
      readonly type: string;
      readonly what: 'rrset' | 'nodata' | 'nxname';
      readonly keyTag: number;
    }
  /** The object checks of one MSPMAP record (DESIGN §4 "Verification rules"). */
  | { readonly event: 'mapping'; readonly id: string | null; readonly outcome: string }
  /** The end of the walk. */
  | {
      readonly event: 'result';
      readonly status: string;
      readonly reason: string | null;
      readonly ms: number;
    };

/** Where a resolution writes its events; `undefined` when nobody asked for a trace. */
export type TraceSink = ((event: TraceEvent) => void) | undefined;
