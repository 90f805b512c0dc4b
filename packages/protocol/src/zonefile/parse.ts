/**
 * Zone-file (master file) parser, RFC 1035 §5.1 with RFC 2308 §4 `$TTL` and RFC 3597
 * §5 generic RDATA. Strict: every error is a ZoneParseError naming file and line
 * ("zones/root.zone:12: unknown type FOO"); names and RDATA go through the wire
 * codecs, so what loads is exactly what can be served.
 *
 * Supported: `$ORIGIN`, `$TTL`, `@`, relative names, blank owner (inherit the previous
 * owner), TTL and class in either order, parentheses, comments, quoted strings,
 * `TYPEnnn`/`CLASSnnn` and `\#`. Refused: `$INCLUDE` (a zone is one self-contained
 * file here), other directives, meta types (RFC 6895 §3.1: OPT, 128–255).
 */
import { isMimiError } from '@mimi/errors';
import { ZoneParseError } from '../errors.js';
import { resolveName } from '../wire/name.js';
import { rdataFromText } from '../wire/rdata/index.js';
import type { ResourceRecord } from '../wire/rr.js';
import { CLASS_IN, classFromString, RRType, typeFromString, typeToString } from '../wire/types.js';
import { type Entry, type Token, tokenize } from './tokenizer.js';
import { looksLikeTtl, ttlSeconds } from './ttl.js';

export interface ZoneParseOptions {
  /** Shown in errors (`file:line: ...`). */
  readonly file: string;
  /** Initial origin for relative names and `@` (absolute). */
  readonly origin?: string;
  /** TTL of records without one, until a `$TTL` directive. */
  readonly defaultTtl?: number;
}

interface State {
  origin: string | undefined;
  ttl: number | undefined;
  lastOwner: string | undefined;
  lastTtl: number | undefined;
  lastClass: number;
}

/** Parse zone-file text into records, in file order. */
export function parseZoneFile(text: string, options: ZoneParseOptions): ResourceRecord[] {
  const { file } = options;
  const fail = (code: string, message: string, line: number, cause?: unknown): never => {
    throw new ZoneParseError(code, message, file, line, cause === undefined ? {} : { cause });
  };
  const state: State = {
    origin: undefined,
    ttl: options.defaultTtl,
    lastOwner: undefined,
    lastTtl: undefined,
    lastClass: CLASS_IN,
  };
  // The origin option is absolute whether or not it ends in a dot.
  if (options.origin !== undefined) {
    const origin = options.origin;
    state.origin = name(origin === '.' || origin.endsWith('.') ? origin : `${origin}.`, undefined, 0);
  }

  function name(text: string, origin: string | undefined, line: number): string {
    try {
      return resolveName(text, origin);
    } catch (cause) {
      if (!isMimiError(cause)) throw cause;
      return fail(cause.code, cause.message, line, cause);
    }
  }

  const records: ResourceRecord[] = [];
  for (const entry of tokenize(text, file)) {
    const first = entry.tokens[0]!;
    if (!entry.ownerBlank && !first.quoted && first.text.startsWith('$')) {
      directive(entry, state);
      continue;
    }
    records.push(record(entry, state));
  }
  return records;

  function directive(entry: Entry, s: State): void {
    const [keyword, ...args] = entry.tokens;
    const word = keyword!.text.toUpperCase();
    if (word === '$INCLUDE') {
      fail(
        'zone-include-refused',
        '$INCLUDE is not supported: a zone file must be self-contained',
        entry.line,
      );
    }
    if (word !== '$ORIGIN' && word !== '$TTL') {
      fail('zone-unknown-directive', `unknown directive ${keyword!.text}`, entry.line);
    }
    if (args.length !== 1) fail('zone-directive-args', `${word} takes exactly one argument`, entry.line);
    const arg = args[0]!;
    if (word === '$ORIGIN') {
      s.origin = name(arg.text, s.origin, arg.line);
    } else {
      const ttl = ttlSeconds(arg.text);
      if (ttl === undefined) fail('zone-bad-ttl', `bad ttl '${arg.text}'`, arg.line);
      s.ttl = ttl;
    }
  }

  function record(entry: Entry, s: State): ResourceRecord {
    const tokens = [...entry.tokens];
    let owner: string;
    if (entry.ownerBlank) {
      if (s.lastOwner === undefined)
        fail('zone-no-owner', 'record without an owner name and no previous owner', entry.line);
      owner = s.lastOwner!;
    } else {
      const token = tokens.shift()!;
      owner = name(token.text, s.origin, token.line);
    }
    let ttl: number | undefined;
    let klass: number | undefined;
    for (let i = 0; i < 2 && tokens.length > 0; i++) {
      const token = tokens[0]!;
      if (ttl === undefined && looksLikeTtl(token.text)) {
        ttl = ttlSeconds(token.text);
        if (ttl === undefined) fail('zone-bad-ttl', `ttl '${token.text}' out of range`, token.line);
      } else if (klass === undefined && !token.quoted && classFromString(token.text) !== undefined) {
        klass = classFromString(token.text);
      } else {
        break;
      }
      tokens.shift();
    }
    const typeToken: Token | undefined = tokens.shift();
    if (!typeToken) return fail('zone-missing-type', `record for ${owner} has no type`, entry.line);
    const type = typeToken.quoted ? undefined : typeFromString(typeToken.text);
    if (type === undefined)
      return fail('zone-unknown-type', `unknown type ${typeToken.text}`, typeToken.line);
    if (type === RRType.OPT || (type >= 128 && type <= 255)) {
      fail(
        'zone-meta-type',
        `${typeToString(type)} is a meta type and cannot appear in a zone`,
        typeToken.line,
      );
    }
    if (ttl !== undefined) s.lastTtl = ttl;
    // RFC 2308 §4: $TTL (or the caller's default) fills in; RFC 1035 §5.1: else the last stated TTL.
    const effectiveTtl = ttl ?? s.ttl ?? s.lastTtl;
    if (effectiveTtl === undefined) {
      fail('zone-no-ttl', `record for ${owner} has no ttl and no $TTL is set`, entry.line);
    }
    if (klass !== undefined) s.lastClass = klass;
    s.lastOwner = owner;
    // A quoted "\#" is text, not the RFC 3597 marker: `\035` is the same octet without the meaning.
    const fields = tokens.map((t) => (t.quoted && t.text === '\\#' ? '\\035' : t.text));
    let rdata: Uint8Array;
    try {
      rdata = rdataFromText(type, fields, s.origin);
    } catch (cause) {
      if (!isMimiError(cause)) throw cause;
      return fail(
        cause.code,
        `${typeToString(type)} rdata: ${cause.message}`,
        tokens[0]?.line ?? typeToken.line,
        cause,
      );
    }
    return { name: owner, type, class: s.lastClass, ttl: effectiveTtl!, rdata };
  }
}

/** One master-file line (e.g. from `formatRecord`) as a record; names relative to `origin`. */
export function parseRecord(line: string, origin?: string): ResourceRecord {
  const options: ZoneParseOptions =
    origin === undefined ? { file: '<record>' } : { file: '<record>', origin };
  const records = parseZoneFile(line, options);
  if (records.length !== 1) {
    throw new ZoneParseError(
      'zone-not-one-record',
      `expected one record, got ${records.length}`,
      '<record>',
      1,
    );
  }
  return records[0]!;
}
