/**
 * EDNS(0) Padding of DoH responses (RFC 7830, block-length policy of RFC 8467 §4.1):
 * a response to a query that carried a Padding option gets one too, sized so that the
 * whole DNS message is a multiple of 468 octets.
 *
 * RFC 8467 §4.1: "Servers SHOULD pad responses to a multiple of 468 octets"; RFC 7830 §4:
 * "Responders MUST pad DNS responses when the respective DNS query contained the
 * 'Padding' option, unless doing so would violate the maximum UDP payload size" — and
 * padding is for encrypted transports only, so plain Do53 is never padded. ODoH
 * responses are padded inside their own encrypted plaintext (RFC 9230 §6.1), not here.
 *
 * The hook runs on the finished bytes (`beforeSend`), never on the cached copy, and
 * appends the option to our OPT record, which is always the last record.
 */
import { EdnsOptionCode, RESPONSE_PADDING_BLOCK } from '@mimi/protocol';
import { MAX_TCP_MESSAGE } from './constants.js';
import type { QueryContext, QueryHook } from './hooks.js';
import { ednsOptions } from './query-reader.js';
import { findOptRecord } from './truncate.js';

/** RFC 6891 §6.1.2: OPTION-CODE and OPTION-LENGTH, two octets each. */
const OPTION_HEADER_LENGTH = 4;

/** True when the query's OPT record carries a Padding option (RFC 7830 §3, code 12). */
export function queryIsPadded(context: QueryContext): boolean {
  const edns = context.query.edns;
  if (edns === null || edns.optionsStart === edns.optionsEnd) return false;
  for (const option of ednsOptions(context.bytes, edns)) {
    if (option.code === EdnsOptionCode.PADDING) return true;
  }
  return false;
}

/**
 * `response` with a zero-filled Padding option appended to its OPT record so that its
 * length is a multiple of `blockSize`. Returned unchanged when it has no OPT record,
 * the OPT record is not last, or padding would pass the 65,535-octet message limit.
 */
export function padResponse(response: Buffer, questionEnd: number, blockSize: number): Buffer {
  const opt = findOptRecord(response, questionEnd);
  if (opt === null || opt.end !== response.length) return response;
  const unpadded = response.length + OPTION_HEADER_LENGTH;
  const padding = (blockSize - (unpadded % blockSize)) % blockSize;
  const total = unpadded + padding;
  if (total > MAX_TCP_MESSAGE) return response;
  // Buffer.alloc zero-fills: RFC 7830 §3 "The PADDING octets SHOULD be set to 0x00".
  const out = Buffer.alloc(total);
  response.copy(out);
  const rdlengthAt = opt.rdataStart - 2;
  out.writeUInt16BE(out.readUInt16BE(rdlengthAt) + OPTION_HEADER_LENGTH + padding, rdlengthAt);
  out.writeUInt16BE(EdnsOptionCode.PADDING, response.length);
  out.writeUInt16BE(padding, response.length + 2);
  return out;
}

/** The padding step for the pipeline: DoH responses to padded queries only. */
export function paddingHook(blockSize: number = RESPONSE_PADDING_BLOCK): QueryHook {
  return {
    name: 'rfc8467-padding',
    // padResponse builds a new buffer: the cached bytes can be handed over as they are.
    leavesResponseIntact: true,
    beforeSend(context, response) {
      if (context.transport !== 'doh' || !queryIsPadded(context)) return response;
      return padResponse(response, context.query.questionEnd, blockSize);
    },
  };
}
