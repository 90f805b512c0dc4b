export { decodeMessage, MAX_MESSAGE_LENGTH } from './decode.js';
export {
  buildEdns,
  DEFAULT_UDP_PAYLOAD_SIZE,
  EdnsOptionCode,
  ExtendedErrorCode,
  extendedErrorOption,
  findOption,
  paddingOption,
  parseExtendedError,
  QUERY_PADDING_BLOCK,
  RESPONSE_PADDING_BLOCK,
  tokenOption,
} from './edns.js';
export { encodeMessage } from './encode.js';
export { type DnsHeader, HEADER_LENGTH, peekHeader, readQuestion } from './header.js';
export { MAX_POINTER_JUMPS } from './names.js';
export { padMessage } from './pad.js';
export { hasCompressibleNames } from './rdata-names.js';
export * from './types.js';
