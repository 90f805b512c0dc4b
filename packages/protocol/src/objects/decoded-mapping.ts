/**
 * A mapping decoded together with its own bytes (DESIGN §4), so that verifyMapping can
 * cut the signing inputs of the mapping and its attestation from those bytes
 * (unsigned-bytes.ts) instead of encoding them again — the same octets, one CBOR
 * encoding fewer per signature. The bytes are a private copy and the object is frozen
 * (its byte fields are views of that copy), so what is verified is what was decoded.
 */
import { decodeMapping } from './codec.js';
import type { Mapping } from './types.js';
import { type Span, valueSpan, withoutSig } from './unsigned-bytes.js';

/** The CBOR of a mapping and of its attestation, each without `sig`. */
export interface UnsignedCbor {
  readonly mapping: Uint8Array;
  readonly attestation: Uint8Array;
}

/** Cut both unsigned encodings from a mapping's bytes (ones that decoded); undefined if not found. */
export function unsignedCborOf(bytes: Uint8Array): UnsignedCbor | undefined {
  const whole: Span = { start: 0, end: bytes.length };
  const mapping = withoutSig(bytes, whole);
  const att = valueSpan(bytes, whole, 'att');
  const attestation = att === undefined ? undefined : withoutSig(bytes, att);
  return mapping === undefined || attestation === undefined ? undefined : { mapping, attestation };
}

function freezeMapping(mapping: Mapping): Mapping {
  for (const entry of mapping.msps) Object.freeze(Object.freeze(entry).tags);
  Object.freeze(mapping.msps);
  if (mapping.policy !== undefined) Object.freeze(mapping.policy);
  Object.freeze(mapping.att);
  return Object.freeze(mapping);
}

const TOKEN = Symbol('decoded-mapping');

export class DecodedMapping {
  readonly #bytes: Uint8Array;

  /** Use `DecodedMapping.decode`. */
  constructor(
    token: symbol,
    bytes: Uint8Array,
    readonly mapping: Mapping,
  ) {
    if (token !== TOKEN) throw new TypeError('use DecodedMapping.decode');
    this.#bytes = bytes;
  }

  /** decodeMapping(bytes), with the same errors, keeping a copy of the bytes. */
  static decode(bytes: Uint8Array): DecodedMapping {
    const own = bytes.slice();
    return new DecodedMapping(TOKEN, own, freezeMapping(decodeMapping(own)));
  }

  /** The unsigned encodings, cut now (the byte fields are views of the same copy). */
  unsignedCbor(): UnsignedCbor | undefined {
    return unsignedCborOf(this.#bytes);
  }
}
