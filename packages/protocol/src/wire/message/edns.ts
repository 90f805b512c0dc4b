/**
 * EDNS(0) (RFC 6891 §6): the OPT pseudo-RR ↔ `Edns`, and the options we use —
 * Padding (RFC 7830, block sizes of RFC 8467), Extended DNS Errors (RFC 8914) and our
 * token option 65001 (DESIGN §7: local/experimental range, RFC 6891 §9).
 *
 *  OPT RR: NAME = root, TYPE = 41, CLASS = UDP payload size,
 *          TTL = | EXTENDED-RCODE (8) | VERSION (8) | DO | Z (15) |
 *          RDATA = { OPTION-CODE (16), OPTION-LENGTH (16), OPTION-DATA } *
 */
import { WireFormatError } from '../../errors.js';
import { WireReader } from '../reader.js';
import { RRType } from '../types.js';
import { checkUint, WireWriter } from '../writer.js';
import type { DnsMessage, Edns, EdnsOption } from './types.js';

/** DESIGN §7 and the DNS flag day 2020 advice: 1232 octets avoid IP fragmentation. */
export const DEFAULT_UDP_PAYLOAD_SIZE = 1232;
/** RFC 8467 §4.1: "Clients SHOULD pad queries to the closest multiple of 128 octets." */
export const QUERY_PADDING_BLOCK = 128;
/** RFC 8467 §4.1: "Servers SHOULD pad responses to a multiple of 468 octets." */
export const RESPONSE_PADDING_BLOCK = 468;

export const EdnsOptionCode = {
  /** RFC 7830 §3. */
  PADDING: 12,
  /** RFC 8914 §2. */
  EXTENDED_ERROR: 15,
  /** DESIGN §7: a Privacy Pass token (RFC 9577 Token bytes). */
  MIMI_TOKEN: 65001,
} as const;

/** RFC 8914 §4 INFO-CODEs. */
export const ExtendedErrorCode = {
  OTHER: 0,
  UNSUPPORTED_DNSKEY_ALGORITHM: 1,
  UNSUPPORTED_DS_DIGEST_TYPE: 2,
  STALE_ANSWER: 3,
  FORGED_ANSWER: 4,
  DNSSEC_INDETERMINATE: 5,
  DNSSEC_BOGUS: 6,
  SIGNATURE_EXPIRED: 7,
  SIGNATURE_NOT_YET_VALID: 8,
  DNSKEY_MISSING: 9,
  RRSIGS_MISSING: 10,
  NO_ZONE_KEY_BIT_SET: 11,
  NSEC_MISSING: 12,
  CACHED_ERROR: 13,
  NOT_READY: 14,
  BLOCKED: 15,
  CENSORED: 16,
  FILTERED: 17,
  PROHIBITED: 18,
  STALE_NXDOMAIN_ANSWER: 19,
  NOT_AUTHORITATIVE: 20,
  NOT_SUPPORTED: 21,
  NO_REACHABLE_AUTHORITY: 22,
  NETWORK_ERROR: 23,
  INVALID_DATA: 24,
} as const;

/** An Edns with our defaults: payload 1232, version 0, DO clear, no options. */
export function buildEdns(init: Partial<Edns> = {}): Edns {
  return {
    udpPayloadSize: init.udpPayloadSize ?? DEFAULT_UDP_PAYLOAD_SIZE,
    extendedRcode: init.extendedRcode ?? 0,
    version: init.version ?? 0,
    do: init.do ?? false,
    options: init.options ?? [],
  };
}

/** The OPT RR's TTL field (RFC 6891 §6.1.3). */
export function ednsTtl(edns: Edns): number {
  checkUint(edns.extendedRcode, 0xff, 'edns extended rcode');
  checkUint(edns.version, 0xff, 'edns version');
  return ((edns.extendedRcode << 24) | (edns.version << 16) | (edns.do ? 0x8000 : 0)) >>> 0;
}

export function encodeOptions(options: readonly EdnsOption[]): Uint8Array {
  const writer = new WireWriter(64);
  for (const option of options) {
    writer.u16(option.code, 'edns option code');
    writer.u16(option.data.length, 'edns option length');
    writer.bytes(option.data);
  }
  return writer.finish();
}

/** Edns from the OPT RR's CLASS, TTL and RDATA; options must fill the RDATA exactly. */
export function ednsFromOpt(udpPayloadSize: number, ttl: number, rdata: Uint8Array): Edns {
  const reader = new WireReader(rdata, 0, rdata.length, 'opt rdata');
  const options: EdnsOption[] = [];
  while (reader.remaining > 0) {
    const code = reader.u16('option code');
    const length = reader.u16('option length');
    options.push({ code, data: reader.take(length, `edns option ${code}`) });
  }
  return {
    udpPayloadSize,
    extendedRcode: ttl >>> 24,
    version: (ttl >>> 16) & 0xff,
    do: (ttl & 0x8000) !== 0,
    options,
  };
}

export function findOption(edns: Edns | undefined, code: number): EdnsOption | undefined {
  return edns?.options.find((option) => option.code === code);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** RFC 8914 §2: INFO-CODE (16 bits) then EXTRA-TEXT (UTF-8, not NUL-terminated). */
export function extendedErrorOption(infoCode: number, extraText = ''): EdnsOption {
  const writer = new WireWriter(2 + extraText.length * 3);
  writer.u16(infoCode, 'extended error info-code');
  writer.bytes(encoder.encode(extraText));
  return { code: EdnsOptionCode.EXTENDED_ERROR, data: writer.finish() };
}

export function parseExtendedError(option: EdnsOption): { infoCode: number; extraText: string } {
  if (option.code !== EdnsOptionCode.EXTENDED_ERROR) {
    throw new WireFormatError('ede-wrong-option', `option ${option.code} is not an extended dns error`);
  }
  const reader = new WireReader(option.data, 0, option.data.length, 'extended dns error');
  const infoCode = reader.u16('info-code');
  let extraText: string;
  try {
    extraText = decoder.decode(option.data.subarray(2));
  } catch (cause) {
    throw new WireFormatError('ede-bad-utf8', 'extended dns error extra-text is not utf-8', { cause });
  }
  return { infoCode, extraText };
}

/** RFC 7830 §3: `length` octets, all zero ("The PADDING octets SHOULD be set to 0x00"). */
export function paddingOption(length: number): EdnsOption {
  checkUint(length, 0xffff, 'padding length');
  return { code: EdnsOptionCode.PADDING, data: new Uint8Array(length) };
}

/** Our token option (DESIGN §7): the raw RFC 9577 Token bytes. */
export function tokenOption(token: Uint8Array): EdnsOption {
  return { code: EdnsOptionCode.MIMI_TOKEN, data: token.slice() };
}

/**
 * The message with a Padding option added so that its encoded length is a multiple of
 * `blockSize` (RFC 8467 §4.1). Needs EDNS; an existing padding option is replaced.
 * `encode` is the message encoder (passed in to keep this module free of a cycle).
 */
export function padMessageWith(
  message: DnsMessage,
  blockSize: number,
  encode: (message: DnsMessage) => Uint8Array,
): DnsMessage {
  if (!message.edns) throw new WireFormatError('edns-missing', 'padding needs an edns opt record');
  const options = message.edns.options.filter((o) => o.code !== EdnsOptionCode.PADDING);
  const bare: DnsMessage = { ...message, edns: { ...message.edns, options } };
  const length = encode(bare).length + 4; // the option's own code and length
  const pad = (blockSize - (length % blockSize)) % blockSize;
  return { ...message, edns: { ...message.edns, options: [...options, paddingOption(pad)] } };
}

export const OPT_TYPE = RRType.OPT;
