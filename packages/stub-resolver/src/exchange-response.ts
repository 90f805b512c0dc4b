/**
 * Is a response usable for the question asked, and if not, why not (RFC 1035 §7.3: "the
 * resolver should check that the response answers the question"; RFC 8484 §4.2.1 for
 * DoH). A failure is a stable code plus one line; the most telling one of a zone's
 * failures becomes the `unreachable` reason (DESIGN §6).
 */
import {
  CLASS_IN,
  type DnsMessage,
  decodeMessage,
  EdnsOptionCode,
  fullRcode,
  parseExtendedError,
  Rcode,
  RRType,
  typeToString,
} from '@mimi/protocol';
import { DOH_QUERY_ID } from './constants.js';
import { sameName } from './names.js';
import { tokenRefusalCode } from './privacy/tokens.js';
import type { Endpoint } from './transport/transport.js';

export interface Failure {
  readonly code: string;
  readonly message: string;
  /** Set when a DP refused for the query's token (`token-missing`, `token-replayed`, ...). */
  readonly tokenRefusal?: string;
  /** Set when the server or relay answered HTTP 429: busy with us, not broken. */
  readonly rateLimited?: boolean;
}

/** Transport error codes (ResolverError) → failure codes of a result's reason. */
export function failureCode(transportCode: string): string {
  switch (transportCode) {
    case 'transport-timeout':
      return 'timeout';
    case 'transport-http':
      return 'http-error';
    case 'transport-response':
      return 'bad-response';
    case 'transport-odoh-config':
      return 'odoh-config';
    default:
      return 'network';
  }
}

/** A response we can use, or why not. */
export function checkResponse(
  bytes: Uint8Array,
  endpoint: Endpoint,
  qname: string,
  qtype: number,
): { response: DnsMessage } | Failure {
  const who = `${endpoint.host} (${endpoint.url})`;
  let message: DnsMessage;
  try {
    message = decodeMessage(bytes);
  } catch (err) {
    return { code: 'bad-response', message: `${who} sent a malformed message: ${(err as Error).message}` };
  }
  const question = message.questions[0];
  if (
    !message.flags.qr ||
    message.id !== DOH_QUERY_ID ||
    message.flags.opcode !== 0 ||
    message.questions.length !== 1 ||
    question === undefined ||
    question.type !== qtype ||
    question.class !== CLASS_IN ||
    !sameName(question.name, qname)
  ) {
    return {
      code: 'bad-response',
      message: `${who} answered another question than ${qname} ${typeToString(qtype)}`,
    };
  }
  if (message.flags.tc) return { code: 'bad-response', message: `${who} sent a truncated answer over https` };
  const rcode = fullRcode(message);
  if (rcode === Rcode.NOERROR || rcode === Rcode.NXDOMAIN) return { response: message };
  const ede = message.edns?.options.find((option) => option.code === EdnsOptionCode.EXTENDED_ERROR);
  let extra = '';
  let tokenRefusal: string | undefined;
  if (ede !== undefined) {
    try {
      const parsed = parseExtendedError(ede);
      extra =
        parsed.extraText === ''
          ? ` (ede ${parsed.infoCode})`
          : ` (ede ${parsed.infoCode}: ${parsed.extraText})`;
      if (rcode === Rcode.REFUSED) tokenRefusal = tokenRefusalCode(parsed.extraText);
    } catch {
      extra = ' (malformed extended error)';
    }
  }
  if (rcode === Rcode.REFUSED) {
    const failure = { code: 'refused', message: `${who} refused ${qname}${extra}` };
    return tokenRefusal === undefined ? failure : { ...failure, tokenRefusal };
  }
  if (rcode === Rcode.SERVFAIL)
    return { code: 'server-failure', message: `${who} failed on ${qname}${extra}` };
  return { code: 'bad-response', message: `${who} answered rcode ${rcode} for ${qname}${extra}` };
}

/** The most telling failure: a refusal (maybe for want of a token) beats a timeout. */
export function pickFailure(failures: readonly Failure[]): Failure {
  const rank = [
    'refused',
    'server-failure',
    'odoh-config',
    'http-error',
    'bad-response',
    'network',
    'timeout',
    'no-servers',
  ];
  const order = (failure: Failure) => {
    const index = rank.indexOf(failure.code);
    return index === -1 ? rank.length : index;
  };
  return [...failures].sort((a, b) => order(a) - order(b))[0]!;
}

/** How a trace names a usable response. */
export function describeResponse(message: DnsMessage): string {
  if (fullRcode(message) === Rcode.NXDOMAIN) return 'nxdomain';
  if (message.answers.length > 0) return 'answer';
  if (message.authorities.some((rr) => rr.type === RRType.NS) && !message.flags.aa) return 'referral';
  return 'nodata';
}
