/**
 * What a walk step produces, and the two failures that end a resolution early:
 * `BogusError` (DESIGN §6: "A DNSSEC failure anywhere makes the result bogus") and
 * `UnreachableError` ("no server for a zone answered in time"). Both carry the stable
 * reason code that becomes the result's `"<code>: <one line>"`.
 */
import type { ZoneKeys } from '@mimi/dnssec';
import type { ResourceRecord } from '@mimi/protocol';
import { ResolverError } from './errors.js';
import type { Endpoint } from './transport/transport.js';

abstract class OutcomeError extends ResolverError {
  constructor(code: string, reasonCode: string, message: string, zone: string | undefined) {
    super(code, message, { details: { reasonCode, ...(zone === undefined ? {} : { zone }) } });
  }

  /** The stable code of the result's reason (`bad-signature`, `timeout`, ...). */
  get reasonCode(): string {
    return String(this.details.reasonCode);
  }
}

/** A validation failure: the result is `bogus`. */
export class BogusError extends OutcomeError {
  /** Object checks that failed on the way (when every MSPMAP record failed), for `warnings`. */
  readonly warnings: readonly string[];

  constructor(reasonCode: string, message: string, zone?: string, warnings: readonly string[] = []) {
    super('bogus', reasonCode, message, zone);
    this.warnings = warnings;
  }
}

/** No server of a zone gave a usable answer: the result is `unreachable`. */
export class UnreachableError extends OutcomeError {
  constructor(reasonCode: string, message: string, zone?: string) {
    super('unreachable', reasonCode, message, zone);
  }
}

/** A zone the resolver trusts: validated DNSKEYs and the servers to ask. */
export interface ZoneState {
  /** Canonical (lowercase, absolute). */
  readonly zone: string;
  readonly keys: ZoneKeys;
  readonly servers: readonly Endpoint[];
  /** The zone whose DS vouched for this one; null for the trust anchor's zone. */
  readonly parent: string | null;
  readonly dsKeyTags: readonly number[];
  /** Milliseconds on the resolver clock. */
  readonly expiresAt: number;
}

/** A validated answer or denial for one (name, type). */
export type Lookup =
  | {
      readonly kind: 'answer';
      readonly zone: string;
      readonly name: string;
      readonly type: number;
      readonly records: readonly ResourceRecord[];
      readonly expiresAt: number;
    }
  | {
      readonly kind: 'denial';
      readonly zone: string;
      readonly name: string;
      readonly type: number;
      readonly denial: 'nodata' | 'nxname';
      readonly expiresAt: number;
    };
