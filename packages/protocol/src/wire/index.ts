export * from './message/index.js';
export * from './name.js';
export {
  escapeOctets,
  formatGenericRdata,
  isGenericRdata,
  parseGenericRdata,
  quoteCharacterString,
  unescapeText,
} from './presentation.js';
export * from './rdata/index.js';
export { WireReader } from './reader.js';
export { type FormatRecordOptions, formatRecord } from './record-text.js';
export * from './rr.js';
export * from './types.js';
export { WireWriter } from './writer.js';
