/**
 * What a sender sees (DESIGN §6) in the `--json` shape of DESIGN §8:
 *
 *   {"csi", "qname", "status", "mappings": [{"id", "serial", "recipientKey", "csip",
 *    "epoch", "expires", "policy", "msps": [{"msp", "pri", "tags"}]}], "warnings", "reason"}
 *
 * `status` is a closed set the caller must look at; `reason` is null unless the status
 * is `bogus` or `unreachable`, and then `"<stable-code>: <one line>"`.
 */
import type { TraceEvent } from './trace.js';

export type ResolveStatus = 'found' | 'opted-out' | 'no-mapping' | 'bogus' | 'unreachable';

export interface ResultMsp {
  readonly msp: string;
  readonly pri: number;
  readonly tags: readonly string[];
}

export interface ResultPolicy {
  readonly sameMspOnly?: true;
}

export interface ResultMapping {
  readonly id: string;
  readonly serial: number;
  /** The recipient's public key, base64url without padding (DESIGN §8). */
  readonly recipientKey: string;
  readonly csip: string;
  readonly epoch: number;
  /** "`expires` is the earlier of the mapping's and its attestation's `exp`" (ISO 8601, seconds, UTC). */
  readonly expires: string;
  readonly policy: ResultPolicy;
  /** In the order the recipient signed them. */
  readonly msps: readonly ResultMsp[];
}

export interface ResolveResult {
  readonly csi: string;
  readonly qname: string;
  readonly status: ResolveStatus;
  /** Sorted by `id`; empty unless `found` or `opted-out`. */
  readonly mappings: readonly ResultMapping[];
  readonly warnings: readonly string[];
  readonly reason: string | null;
  /** Only with `resolve(csi, { trace: true })`; not part of the §8 JSON (see `resultToJson`). */
  readonly trace?: readonly TraceEvent[];
}

/** Reason codes of `bogus` and `unreachable` results; stable once released. */
export type ReasonCode = string;

/** `"<code>: <one line>"`: the message folded onto one line. */
export function formatReason(code: ReasonCode, message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return `${code}: ${line}`;
}

/** The code part of a reason string, e.g. `rrsig-invalid` (for exit codes and tests). */
export function reasonCode(result: Pick<ResolveResult, 'reason'>): string | null {
  if (result.reason === null) return null;
  const colon = result.reason.indexOf(':');
  return colon < 0 ? result.reason : result.reason.slice(0, colon);
}

/** Exactly the DESIGN §8 `--json` object: the documented keys in the documented order. */
export function resultToJson(result: ResolveResult): Record<string, unknown> {
  return {
    csi: result.csi,
    qname: result.qname,
    status: result.status,
    mappings: result.mappings.map((mapping) => ({
      id: mapping.id,
      serial: mapping.serial,
      recipientKey: mapping.recipientKey,
      csip: mapping.csip,
      epoch: mapping.epoch,
      expires: mapping.expires,
      policy: { ...mapping.policy },
      msps: mapping.msps.map((entry) => ({ msp: entry.msp, pri: entry.pri, tags: [...entry.tags] })),
    })),
    warnings: [...result.warnings],
    reason: result.reason,
  };
}

/** Unix seconds → `2027-01-01T00:00:00Z` (no fraction, as in DESIGN §8). */
export function formatExpires(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Status of a set of verified mappings (DESIGN §6): any MSP → found, all empty → opted-out. */
export function statusOfMappings(mappings: readonly ResultMapping[]): 'found' | 'opted-out' {
  return mappings.some((mapping) => mapping.msps.length > 0) ? 'found' : 'opted-out';
}
