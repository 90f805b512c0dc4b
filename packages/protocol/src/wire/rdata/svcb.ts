/**
 * SVCB RDATA (RFC 9460 §2.2), used for DoH endpoints at `_dns.<host>` (RFC 9461).
 *
 *     |                  SvcPriority                  |  16 bits (0 = AliasMode)
 *     /                  TargetName                   /  uncompressed name
 *     |   SvcParamKey   |  length  |  SvcParamValue   |  repeated, keys strictly increasing
 *
 * Strict: keys strictly increasing and each value in its key's format (RFC 9460 §2.2
 * "Clients MUST consider an RR malformed if..."), every key listed in `mandatory` present
 * and `no-default-alpn` only beside `alpn` (self-consistency, RFC 9460 §2.4.3, §7.1.1).
 * Presentation (RFC 9460 §2.1): `priority target key=value ...` in any order on input,
 * in key order on output.
 */
import { WireFormatError } from '../../errors.js';
import { formatName, nameToWire, parseName, readUncompressedName, resolveName } from '../name.js';
import { parseUint } from '../presentation.js';
import { WireReader } from '../reader.js';
import { RRType } from '../types.js';
import { WireWriter } from '../writer.js';
import type { RdataCodec } from './codec.js';
import {
  checkSvcParamValue,
  SvcParamKey,
  svcParamKeyFromText,
  svcParamKeyToText,
  svcParamToText,
  svcParamValueFromText,
} from './svcb-params.js';

export interface SvcParam {
  readonly key: number;
  readonly value: Uint8Array;
}

export interface Svcb {
  readonly priority: number;
  readonly target: string;
  /** Sorted by key on decode; `encode` sorts them. */
  readonly params: readonly SvcParam[];
}

/** Self-consistency of a sorted, duplicate-free parameter list. */
function checkParams(params: readonly SvcParam[]): void {
  const keys = new Set(params.map((p) => p.key));
  for (const param of params) checkSvcParamValue(param.key, param.value);
  const mandatory = params.find((p) => p.key === SvcParamKey.mandatory);
  if (mandatory) {
    for (let i = 0; i < mandatory.value.length; i += 2) {
      const key = (mandatory.value[i]! << 8) | mandatory.value[i + 1]!;
      if (!keys.has(key)) {
        throw new WireFormatError(
          'svcb-missing-mandatory',
          `svcb mandatory key ${svcParamKeyToText(key)} is missing`,
        );
      }
    }
  }
  if (keys.has(SvcParamKey['no-default-alpn']) && !keys.has(SvcParamKey.alpn)) {
    throw new WireFormatError('svcb-no-default-alpn', 'svcb no-default-alpn given without alpn');
  }
}

function sortParams(params: readonly SvcParam[]): SvcParam[] {
  const sorted = [...params].sort((a, b) => a.key - b.key);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.key === sorted[i - 1]!.key) {
      throw new WireFormatError(
        'svcb-duplicate-key',
        `svcb key ${svcParamKeyToText(sorted[i]!.key)} given twice`,
      );
    }
  }
  return sorted;
}

export const svcbCodec: RdataCodec<Svcb> = {
  type: RRType.SVCB,
  encode(svcb) {
    const params = sortParams(svcb.params);
    checkParams(params);
    const writer = new WireWriter(128);
    writer.u16(svcb.priority, 'svcb priority');
    writer.bytes(nameToWire(svcb.target));
    for (const { key, value } of params) {
      writer.u16(key, 'svcb key');
      writer.u16(value.length, `svcb ${svcParamKeyToText(key)} length`);
      writer.bytes(value);
    }
    return writer.finish();
  },
  decode(rdata) {
    const priorityReader = new WireReader(rdata, 0, rdata.length, 'svcb rdata');
    const priority = priorityReader.u16('priority');
    const { labels, end } = readUncompressedName(rdata, 2);
    const reader = new WireReader(rdata, end, rdata.length, 'svcb rdata');
    const params: SvcParam[] = [];
    let previous = -1;
    while (reader.remaining > 0) {
      const key = reader.u16('svcparamkey');
      if (key <= previous) {
        throw new WireFormatError(
          'svcb-key-order',
          `svcb key ${svcParamKeyToText(key)} is not in strictly increasing order`,
        );
      }
      previous = key;
      const length = reader.u16('svcparam length');
      params.push({ key, value: reader.take(length, `svcb ${svcParamKeyToText(key)} value`) });
    }
    checkParams(params);
    return { priority, target: formatName(labels), params };
  },
  toText(svcb) {
    const params = sortParams(svcb.params);
    const head = `${svcb.priority} ${formatName(parseName(svcb.target))}`;
    return [head, ...params.map((p) => svcParamToText(p.key, p.value))].join(' ');
  },
  fromText(fields, origin) {
    if (fields.length < 2)
      throw new WireFormatError('field-count', 'svcb rdata needs a priority and a target');
    const params = fields.slice(2).map((field) => {
      const eq = field.indexOf('=');
      const key = svcParamKeyFromText(eq < 0 ? field : field.slice(0, eq));
      return { key, value: svcParamValueFromText(key, eq < 0 ? undefined : field.slice(eq + 1)) };
    });
    const sorted = sortParams(params);
    checkParams(sorted);
    return {
      priority: parseUint(fields[0], 0xffff, 'svcb priority'),
      target: resolveName(fields[1]!, origin),
      params: sorted,
    };
  },
};

/** HTTPS (RFC 9460 §9): "the same RDATA format as SVCB". */
export const httpsCodec: RdataCodec<Svcb> = { ...svcbCodec, type: RRType.HTTPS };
