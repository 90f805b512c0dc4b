/**
 * The one place where errors become RCODEs (RFC 1035 §4.1.1, RFC 6891 §9). Every
 * `QueryError` code is listed here; anything else that escapes the engine is a server
 * failure. `null` means "send nothing": RFC 1035 gives no way to answer a message whose
 * ID cannot be read, and answering a response invites reflection loops.
 */
import { Rcode } from '@mimi/protocol';
import { QueryError } from './errors.js';

const RCODE_BY_CODE: ReadonlyMap<string, number | null> = new Map<string, number | null>([
  ['message-too-short', null],
  ['not-a-query', null],
  ['header-truncated', Rcode.FORMERR],
  ['question-count', Rcode.FORMERR],
  ['section-count', Rcode.FORMERR],
  ['qname-truncated', Rcode.FORMERR],
  ['qname-compressed', Rcode.FORMERR],
  ['qname-bad-label', Rcode.FORMERR],
  ['qname-too-long', Rcode.FORMERR],
  ['question-truncated', Rcode.FORMERR],
  ['additional-not-opt', Rcode.FORMERR],
  ['opt-not-root', Rcode.FORMERR],
  ['opt-malformed', Rcode.FORMERR],
  ['opt-duplicate', Rcode.FORMERR],
  ['trailing-bytes', Rcode.FORMERR],
  ['qtype-meta', Rcode.FORMERR],
  ['opcode-not-implemented', Rcode.NOTIMP],
  ['qtype-not-implemented', Rcode.NOTIMP],
  ['edns-version', Rcode.BADVERS],
  ['class-refused', Rcode.REFUSED],
  ['transfer-refused', Rcode.REFUSED],
  ['not-in-zone', Rcode.REFUSED],
]);

/** RCODE for an error raised while answering, or null to send nothing. */
export function rcodeForError(err: unknown): number | null {
  if (err instanceof QueryError) {
    const rcode = RCODE_BY_CODE.get(err.code);
    if (rcode !== undefined) return rcode;
  }
  return Rcode.SERVFAIL;
}

/** Short RCODE names for metrics labels and logs. */
export function rcodeName(rcode: number): string {
  switch (rcode) {
    case Rcode.NOERROR:
      return 'NOERROR';
    case Rcode.FORMERR:
      return 'FORMERR';
    case Rcode.SERVFAIL:
      return 'SERVFAIL';
    case Rcode.NXDOMAIN:
      return 'NXDOMAIN';
    case Rcode.NOTIMP:
      return 'NOTIMP';
    case Rcode.REFUSED:
      return 'REFUSED';
    case Rcode.BADVERS:
      return 'BADVERS';
    default:
      return `RCODE${rcode}`;
  }
}
