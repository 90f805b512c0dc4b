/**
 * SvcParams of SVCB (RFC 9460 §7, §14.3.2; RFC 9461 §5 for `dohpath`): key names,
 * the expected wire format of each known value, and their presentation forms.
 * A value is first char-string decoded (RFC 9460 §2.1); list-valued keys then use the
 * value-list decoding of RFC 9460 Appendix A.1 (`,` separates, `\` escapes one octet).
 */
import { WireFormatError } from '../../errors.js';
import { escapeOctets, parseUint, unescapeText } from '../presentation.js';
import { ipv4FromBytes, ipv4ToBytes, ipv6FromBytes, ipv6ToBytes } from './ip.js';

/** RFC 9460 §14.3.2 registry (plus RFC 9461 §5 `dohpath`). */
export const SvcParamKey = {
  mandatory: 0,
  alpn: 1,
  'no-default-alpn': 2,
  port: 3,
  ipv4hint: 4,
  ech: 5,
  ipv6hint: 6,
  dohpath: 7,
} as const;

/** RFC 9460 §14.3.2: 65535 is reserved ("Invalid key"). */
export const INVALID_SVC_PARAM_KEY = 65535;

const NAME_BY_KEY = new Map<number, string>(Object.entries(SvcParamKey).map(([name, key]) => [key, name]));
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Presentation name of a key: its registered name, else `keyNNNNN` (RFC 9460 §2.1). */
export function svcParamKeyToText(key: number): string {
  return NAME_BY_KEY.get(key) ?? `key${key}`;
}

/** Key number of a presentation key name; `keyNNNNN` without leading zeros. */
export function svcParamKeyFromText(text: string): number {
  const known = (SvcParamKey as Record<string, number>)[text];
  if (known !== undefined) return known;
  const generic = /^key(0|[1-9]\d{0,4})$/.exec(text);
  if (generic && Number(generic[1]) < INVALID_SVC_PARAM_KEY) return Number(generic[1]);
  throw new WireFormatError('svcb-unknown-key', `unknown svcparamkey '${text}'`);
}

function bad(key: number, what: string): WireFormatError {
  return new WireFormatError('svcb-bad-value', `svcb ${svcParamKeyToText(key)} value ${what}`);
}

/** Throws unless `value` has the wire format the key requires (RFC 9460 §2.2 "malformed"). */
export function checkSvcParamValue(key: number, value: Uint8Array): void {
  switch (key) {
    case SvcParamKey.mandatory: {
      if (value.length === 0 || value.length % 2 !== 0)
        throw bad(key, 'must be a non-empty list of 16-bit keys');
      let previous = -1;
      for (let i = 0; i < value.length; i += 2) {
        const listed = (value[i]! << 8) | value[i + 1]!;
        if (listed === SvcParamKey.mandatory) throw bad(key, 'must not list mandatory itself');
        if (listed <= previous) throw bad(key, 'keys must be strictly increasing');
        previous = listed;
      }
      return;
    }
    case SvcParamKey.alpn: {
      if (value.length === 0) throw bad(key, 'must list at least one protocol id');
      for (let i = 0; i < value.length; ) {
        const length = value[i]!;
        if (length === 0) throw bad(key, 'has an empty protocol id');
        if (i + 1 + length > value.length) throw bad(key, 'has a protocol id past its end');
        i += 1 + length;
      }
      return;
    }
    case SvcParamKey['no-default-alpn']:
      if (value.length !== 0) throw bad(key, 'must be empty');
      return;
    case SvcParamKey.port:
      if (value.length !== 2) throw bad(key, 'must be 2 octets');
      return;
    case SvcParamKey.ipv4hint:
      if (value.length === 0 || value.length % 4 !== 0)
        throw bad(key, 'must be a non-empty list of ipv4 addresses');
      return;
    case SvcParamKey.ipv6hint:
      if (value.length === 0 || value.length % 16 !== 0)
        throw bad(key, 'must be a non-empty list of ipv6 addresses');
      return;
    case SvcParamKey.dohpath: {
      let template: string;
      try {
        template = decoder.decode(value);
      } catch (cause) {
        throw new WireFormatError('svcb-bad-value', 'svcb dohpath value is not utf-8', { cause });
      }
      // RFC 9461 §5: a relative URI Template (a path) that contains a "dns" variable.
      if (!template.startsWith('/') || !/\{[?&+#./;]?([^}]*,)?dns(,[^}]*)?\}/.test(template)) {
        throw bad(key, `'${template}' must be a path template with a dns variable`);
      }
      return;
    }
    default:
      if (key === INVALID_SVC_PARAM_KEY)
        throw new WireFormatError('svcb-invalid-key', 'svcb uses reserved key 65535');
  }
}

/** RFC 9460 Appendix A.1 value-list decoding of octets: items split on `,`, `\` escapes one octet. */
function valueList(octets: Uint8Array, key: number): Uint8Array[] {
  const items: Uint8Array[] = [];
  let current: number[] = [];
  for (let i = 0; i < octets.length; i++) {
    const octet = octets[i]!;
    if (octet === 0x5c) {
      if (i + 1 >= octets.length) throw bad(key, 'ends in a lone backslash');
      current.push(octets[++i]!);
    } else if (octet === 0x2c) {
      if (current.length === 0) throw bad(key, 'has an empty list item');
      items.push(Uint8Array.from(current));
      current = [];
    } else {
      current.push(octet);
    }
  }
  if (current.length === 0) throw bad(key, 'has an empty list item');
  items.push(Uint8Array.from(current));
  return items;
}

const ascii = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Wire value of a presentation value (`undefined` when the key stands alone, no `=`). */
export function svcParamValueFromText(key: number, text: string | undefined): Uint8Array {
  const name = svcParamKeyToText(key);
  const octets = unescapeText(text ?? '', `svcb ${name} value`);
  let value: Uint8Array;
  switch (key) {
    case SvcParamKey.mandatory: {
      if (octets.length === 0) throw bad(key, 'is missing');
      const keys = valueList(octets, key).map((item) => svcParamKeyFromText(ascii(item)));
      if (new Set(keys).size !== keys.length) throw bad(key, 'lists a key twice');
      value = new Uint8Array(keys.length * 2);
      keys
        .sort((a, b) => a - b)
        .forEach((k, i) => {
          value[2 * i] = k >>> 8;
          value[2 * i + 1] = k & 0xff;
        });
      break;
    }
    case SvcParamKey.alpn: {
      if (octets.length === 0) throw bad(key, 'is missing');
      const ids = valueList(octets, key);
      const parts: number[] = [];
      for (const id of ids) {
        if (id.length > 255) throw bad(key, 'has a protocol id over 255 octets');
        parts.push(id.length, ...id);
      }
      value = Uint8Array.from(parts);
      break;
    }
    case SvcParamKey.port:
      if (octets.length === 0) throw bad(key, 'is missing');
      value = Uint8Array.from([0, 0]);
      {
        const port = parseUint(ascii(octets), 0xffff, 'svcb port');
        value[0] = port >>> 8;
        value[1] = port & 0xff;
      }
      break;
    case SvcParamKey.ipv4hint:
    case SvcParamKey.ipv6hint: {
      if (octets.length === 0) throw bad(key, 'is missing');
      const parse = key === SvcParamKey.ipv4hint ? ipv4ToBytes : ipv6ToBytes;
      const addresses = valueList(octets, key).map((item) => parse(ascii(item)));
      value = new Uint8Array(addresses.reduce((n, a) => n + a.length, 0));
      addresses.forEach((a, i) => {
        value.set(a, i * a.length);
      });
      break;
    }
    case SvcParamKey.ech: {
      const b64 = ascii(octets);
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) {
        throw bad(key, 'is not base64');
      }
      value = new Uint8Array(Buffer.from(b64, 'base64'));
      break;
    }
    default:
      value = octets;
  }
  checkSvcParamValue(key, value);
  return value;
}

/** Characters that force quoting of a value in presentation format. */
const NEEDS_QUOTES = /[\s"();\\]/;
const CHAR_STRING_SPECIALS = new Set([0x22, 0x5c]);

function charString(bytes: Uint8Array): string {
  const text = escapeOctets(bytes, CHAR_STRING_SPECIALS);
  return NEEDS_QUOTES.test(text) || text === '' ? `"${text}"` : text;
}

/** Presentation `key` or `key=value` of one SvcParam (value already checked). */
export function svcParamToText(key: number, value: Uint8Array): string {
  const name = svcParamKeyToText(key);
  const list = (items: string[]) => `${name}=${items.join(',')}`;
  switch (key) {
    case SvcParamKey.mandatory: {
      const keys: string[] = [];
      for (let i = 0; i < value.length; i += 2)
        keys.push(svcParamKeyToText((value[i]! << 8) | value[i + 1]!));
      return list(keys);
    }
    case SvcParamKey.alpn: {
      const ids: number[] = [];
      for (let i = 0; i < value.length; ) {
        const length = value[i]!;
        if (ids.length > 0) ids.push(0x2c);
        for (const octet of value.subarray(i + 1, i + 1 + length)) {
          if (octet === 0x2c || octet === 0x5c) ids.push(0x5c);
          ids.push(octet);
        }
        i += 1 + length;
      }
      return `${name}=${charString(Uint8Array.from(ids))}`;
    }
    case SvcParamKey['no-default-alpn']:
      return name;
    case SvcParamKey.port:
      return `${name}=${(value[0]! << 8) | value[1]!}`;
    case SvcParamKey.ipv4hint:
    case SvcParamKey.ipv6hint: {
      const size = key === SvcParamKey.ipv4hint ? 4 : 16;
      const format = key === SvcParamKey.ipv4hint ? ipv4FromBytes : ipv6FromBytes;
      const addresses: string[] = [];
      for (let i = 0; i < value.length; i += size) addresses.push(format(value.subarray(i, i + size)));
      return list(addresses);
    }
    case SvcParamKey.ech:
      return `${name}=${Buffer.from(value).toString('base64')}`;
    default:
      return value.length === 0 ? name : `${name}=${charString(value)}`;
  }
}
