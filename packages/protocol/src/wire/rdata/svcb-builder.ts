/**
 * Typed construction and reading of SVCB parameters, for the DoH endpoint records of
 * DESIGN §3 (`_dns.<host>`: alpn, port, dohpath; RFC 9461 §5) without touching octets.
 */
import { ipv6FromBytes as ipv6Text } from './ip.js';
import type { Svcb, SvcParam } from './svcb.js';
import { svcbCodec } from './svcb.js';
import { SvcParamKey, svcParamValueFromText } from './svcb-params.js';

export interface SvcbFields {
  readonly priority: number;
  readonly target: string;
  readonly alpn?: readonly string[];
  readonly noDefaultAlpn?: boolean;
  readonly port?: number;
  readonly ipv4hint?: readonly string[];
  readonly ipv6hint?: readonly string[];
  readonly ech?: Uint8Array;
  readonly dohpath?: string;
  /** Keys (by presentation name) clients must understand. */
  readonly mandatory?: readonly string[];
}

const escapeItem = (item: string) => item.replace(/[\\,]/g, (c) => `\\${c}`).replace(/\\/g, '\\\\');

/** An Svcb value from typed fields; validated as the codec would. */
export function buildSvcb(fields: SvcbFields): Svcb {
  const params: SvcParam[] = [];
  const add = (key: number, text: string | undefined) =>
    params.push({ key, value: svcParamValueFromText(key, text) });
  if (fields.mandatory) add(SvcParamKey.mandatory, fields.mandatory.join(','));
  if (fields.alpn) add(SvcParamKey.alpn, fields.alpn.map(escapeItem).join(','));
  if (fields.noDefaultAlpn) add(SvcParamKey['no-default-alpn'], undefined);
  if (fields.port !== undefined) add(SvcParamKey.port, String(fields.port));
  if (fields.ipv4hint) add(SvcParamKey.ipv4hint, fields.ipv4hint.join(','));
  if (fields.ech) params.push({ key: SvcParamKey.ech, value: fields.ech.slice() });
  if (fields.ipv6hint) add(SvcParamKey.ipv6hint, fields.ipv6hint.join(','));
  if (fields.dohpath !== undefined) {
    params.push({ key: SvcParamKey.dohpath, value: new TextEncoder().encode(fields.dohpath) });
  }
  const svcb: Svcb = { priority: fields.priority, target: fields.target, params };
  return svcbCodec.decode(svcbCodec.encode(svcb));
}

export interface SvcbView {
  readonly alpn?: string[];
  readonly noDefaultAlpn: boolean;
  readonly port?: number;
  readonly ipv4hint?: string[];
  readonly ipv6hint?: string[];
  readonly ech?: Uint8Array;
  readonly dohpath?: string;
}

/** The known parameters of a decoded (hence valid) Svcb, typed. */
export function readSvcb(svcb: Svcb): SvcbView {
  const get = (key: number) => svcb.params.find((p) => p.key === key)?.value;
  const view: {
    -readonly [K in keyof SvcbView]: SvcbView[K];
  } = { noDefaultAlpn: get(SvcParamKey['no-default-alpn']) !== undefined };
  const alpn = get(SvcParamKey.alpn);
  if (alpn) {
    view.alpn = [];
    for (let i = 0; i < alpn.length; i += 1 + alpn[i]!) {
      view.alpn.push(Buffer.from(alpn.subarray(i + 1, i + 1 + alpn[i]!)).toString('latin1'));
    }
  }
  const port = get(SvcParamKey.port);
  if (port) view.port = (port[0]! << 8) | port[1]!;
  const hints = (value: Uint8Array | undefined, size: number, format: (b: Uint8Array) => string) => {
    if (!value) return undefined;
    const out: string[] = [];
    for (let i = 0; i < value.length; i += size) out.push(format(value.subarray(i, i + size)));
    return out;
  };
  const v4 = hints(get(SvcParamKey.ipv4hint), 4, (b) => Array.from(b).join('.'));
  if (v4) view.ipv4hint = v4;
  const v6value = get(SvcParamKey.ipv6hint);
  if (v6value) view.ipv6hint = hints(v6value, 16, ipv6Text)!;
  const ech = get(SvcParamKey.ech);
  if (ech) view.ech = ech.slice();
  const dohpath = get(SvcParamKey.dohpath);
  if (dohpath) view.dohpath = new TextDecoder().decode(dohpath);
  return view;
}
