export { formatZone } from './format.js';
export { loadZoneFile } from './load.js';
export { parseRecord, parseZoneFile, type ZoneParseOptions } from './parse.js';
export { type Entry, type Token, tokenize } from './tokenizer.js';
export { MAX_TTL as MAX_ZONE_TTL, ttlSeconds } from './ttl.js';
