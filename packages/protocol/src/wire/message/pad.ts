/** RFC 8467 §4.1 block-length padding of a message, bound to our encoder. */
import { padMessageWith } from './edns.js';
import { encodeMessage } from './encode.js';
import type { DnsMessage } from './types.js';

/** `message` with a Padding option making its encoded length a multiple of `blockSize`. */
export function padMessage(message: DnsMessage, blockSize: number): DnsMessage {
  return padMessageWith(message, blockSize, encodeMessage);
}
