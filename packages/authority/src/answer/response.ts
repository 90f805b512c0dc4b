/**
 * The contract between the authority layer and server-core (servers-common.md): the
 * question key, the response sections an answer is made of, and the QueryEngine that
 * server-core calls on a wire-cache miss.
 */
import type { ResourceRecord } from '@mimi/protocol';
import type { SigningPassReport } from '../signer/store-signer.js';

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
  /**
   * Seconds server-core may keep the encoded answer (default `cacheSeconds`): until an
   * included signature is due for refresh or a served mapping expires. TTLs do not
   * bound it — an authoritative answer does not age; a store change or reload
   * invalidates it — while `cacheSeconds` still bounds what HTTP caches are told.
   */
  keepSeconds?: number;
}

export interface QueryEngine {
  answer(question: QuestionKey, dnssecOk: boolean, now: number): ResponseSections;
  /** Called so cached wire answers for names whose data changed are dropped. */
  onChange(listener: (names: string[]) => void): void;
  /** Reload zone files (SIGHUP). */
  reload(): Promise<void>;
  zones(): string[];
  /**
   * The background signing pass the last load or reload started (authoritative DPs sign
   * their store's RRsets that way); server-core logs its report.
   */
  signingPass?(): Promise<SigningPassReport> | undefined;
  /** Stop background work; server-core calls it when the server closes. */
  close?(): void;
}
