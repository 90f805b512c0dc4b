/**
 * The contract between the authority layer and server-core (servers-common.md): the
 * question key, the response sections an answer is made of, and the QueryEngine that
 * server-core calls on a wire-cache miss.
 */
import type { ResourceRecord } from '@mimi/protocol';

/** RCODEs (RFC 1035 §4.1.1, RFC 6891 §9): the protocol's one table, re-exported for servers. */
export { Rcode } from '@mimi/protocol';

export interface QuestionKey {
  /** Canonical: lowercase, absolute. */
  name: string;
  type: number;
}

export interface ResponseSections {
  /** 0 NOERROR, 3 NXDOMAIN (never inside CSI subtrees), 5 REFUSED, 1 FORMERR, 4 NOTIMP. */
  rcode: number;
  aa: boolean;
  /** RRSIGs included when dnssecOk. */
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** Without OPT: server-core adds EDNS. */
  additionals: ResourceRecord[];
  /** Owner name whose change must invalidate this answer (the qname). */
  invalidationName: string;
  /**
   * Seconds this answer may be cached by server-core: min TTL of included RRsets, the
   * time left before the earliest included RRSIG must be refreshed, and the time left
   * before a served mapping expires.
   */
  cacheSeconds: number;
}

export interface QueryEngine {
  answer(question: QuestionKey, dnssecOk: boolean, now: number): ResponseSections;
  /** Called so cached wire answers for names whose data changed are dropped. */
  onChange(listener: (names: string[]) => void): void;
  /** Reload zone files (SIGHUP). */
  reload(): Promise<void>;
  zones(): string[];
}
