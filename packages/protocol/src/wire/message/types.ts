/**
 * The decoded DNS message (RFC 1035 §4.1) with the EDNS(0) OPT pseudo-RR (RFC 6891
 * §6.1) lifted out of the additional section into `edns`.
 *
 * RCODE: `flags.rcode` is the 4-bit header field; with EDNS, `edns.extendedRcode` holds
 * the upper 8 bits (RFC 6891 §6.1.3). `fullRcode()` / `splitRcode()` join and split them.
 */
import type { ResourceRecord } from '../rr.js';

export interface DnsFlags {
  readonly qr: boolean;
  /** 4 bits (RFC 1035 §4.1.1; 0 = QUERY). */
  readonly opcode: number;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  /** RFC 4035 §3.2.3: authentic data. */
  readonly ad: boolean;
  /** RFC 4035 §3.2.2: checking disabled. */
  readonly cd: boolean;
  /** The 4-bit header RCODE (RFC 1035 §4.1.1). */
  readonly rcode: number;
}

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export interface EdnsOption {
  readonly code: number;
  readonly data: Uint8Array;
}

export interface Edns {
  /** Requestor's UDP payload size (the OPT CLASS field, RFC 6891 §6.1.2). */
  readonly udpPayloadSize: number;
  /** Upper 8 bits of the 12-bit RCODE (RFC 6891 §6.1.3). */
  readonly extendedRcode: number;
  readonly version: number;
  /** DNSSEC OK (RFC 3225 §3). */
  readonly do: boolean;
  readonly options: readonly EdnsOption[];
}

export interface DnsMessage {
  readonly id: number;
  readonly flags: DnsFlags;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  /** Without the OPT RR (see `edns`). */
  readonly additionals: readonly ResourceRecord[];
  readonly edns?: Edns;
}

/** RCODE values (RFC 1035 §4.1.1, RFC 6891 §9). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

/** The 12-bit RCODE of a message (RFC 6891 §6.1.3). */
export function fullRcode(message: DnsMessage): number {
  return ((message.edns?.extendedRcode ?? 0) << 4) | message.flags.rcode;
}

/** Header and OPT parts of a 12-bit RCODE. */
export function splitRcode(rcode: number): { rcode: number; extendedRcode: number } {
  return { rcode: rcode & 0xf, extendedRcode: (rcode >>> 4) & 0xff };
}

/** Flags with every bit clear, for building messages. */
export const NO_FLAGS: DnsFlags = Object.freeze({
  qr: false,
  opcode: 0,
  aa: false,
  tc: false,
  rd: false,
  ra: false,
  ad: false,
  cd: false,
  rcode: 0,
});
