/**
 * Signing inputs cut from a signed object's own bytes (DESIGN §4 "Signing input": the
 * deterministic CBOR of the object without `sig`), instead of re-encoded from its decoded
 * form. Bytes the strict reader accepted are deterministic CBOR (RFC 8949 §4.2.1:
 * shortest heads, definite lengths, keys in bytewise order, no duplicates) and the schema
 * leaves nothing out that encoding would put back (no unknown keys, flags only when
 * true, no empty policy), so decoding and re-encoding gives the same bytes; taking out
 * the `sig` entry and counting one entry fewer in the map's head then gives exactly the
 * unsigned encoding — the entries around it keep their order. The tests hold this
 * against re-encoding on every shape of object.
 *
 * Only for bytes that decoded: anything unexpected here returns undefined and the caller
 * re-encodes.
 */

const MAJOR_MAP = 5;
const MAJOR_SIMPLE = 7;
/** A map head with its entry count in the head itself (RFC 8949 §3: additional information < 24). */
const MAX_IMMEDIATE = 23;
const SIG_KEY = 'sig';

/** [start, end) of one item. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The argument of the head at `at` and where the head ends (definite lengths only). */
function head(bytes: Uint8Array, at: number): { major: number; value: number; next: number } | undefined {
  const first = bytes[at];
  if (first === undefined) return undefined;
  const major = first >> 5;
  const ai = first & 0x1f;
  if (ai < 24) return { major, value: ai, next: at + 1 };
  if (ai > 27) return undefined;
  const width = 1 << (ai - 24);
  if (at + 1 + width > bytes.length) return undefined;
  let value = 0;
  for (let i = 1; i <= width; i++) value = value * 256 + bytes[at + i]!;
  return { major, value, next: at + 1 + width };
}

/** Where the item starting at `at` ends. */
function skip(bytes: Uint8Array, at: number): number | undefined {
  const h = head(bytes, at);
  if (h === undefined) return undefined;
  switch (h.major) {
    case 0:
    case 1:
    case MAJOR_SIMPLE:
      return h.next;
    case 2:
    case 3:
      return h.next + h.value <= bytes.length ? h.next + h.value : undefined;
    case 4:
    case MAJOR_MAP: {
      let next: number | undefined = h.next;
      const items = h.major === MAJOR_MAP ? h.value * 2 : h.value;
      for (let i = 0; i < items && next !== undefined; i++) next = skip(bytes, next);
      return next;
    }
    default:
      return undefined;
  }
}

const ascii = new TextEncoder();

/** Whether the text string at `at` (its content at [from, to)) is `key`. */
function isKey(bytes: Uint8Array, from: number, to: number, key: Uint8Array): boolean {
  if (to - from !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (bytes[from + i] !== key[i]) return false;
  return true;
}

/** The top-level entry of the map at `span` under `key`: where it starts, and its value's span. */
function entry(bytes: Uint8Array, span: Span, key: string): { entry: number; value: Span } | undefined {
  const h = head(bytes, span.start);
  if (h === undefined || h.major !== MAJOR_MAP) return undefined;
  const wanted = ascii.encode(key);
  let found: { entry: number; value: Span } | undefined;
  let at = h.next;
  for (let i = 0; i < h.value; i++) {
    const k = head(bytes, at);
    if (k === undefined || k.major !== 3) return undefined;
    const valueStart = k.next + k.value;
    const valueEnd = skip(bytes, valueStart);
    if (valueEnd === undefined) return undefined;
    if (found === undefined && isKey(bytes, k.next, valueStart, wanted)) {
      found = { entry: at, value: { start: valueStart, end: valueEnd } };
    }
    at = valueEnd;
  }
  // The whole map is walked: it must end where the span says.
  return at === span.end ? found : undefined;
}

/** The span of the value under `key` in the map at `span`. */
export function valueSpan(bytes: Uint8Array, span: Span, key: string): Span | undefined {
  return entry(bytes, span, key)?.value;
}

/** The map at `span` without its `sig` entry: the unsigned object's encoding. */
export function withoutSig(bytes: Uint8Array, span: Span): Uint8Array | undefined {
  const h = head(bytes, span.start);
  const sig = entry(bytes, span, SIG_KEY);
  // One-octet heads only: every signed object has fewer than 24 keys.
  if (h === undefined || sig === undefined || h.next !== span.start + 1 || h.value > MAX_IMMEDIATE) {
    return undefined;
  }
  const out = new Uint8Array(span.end - span.start - (sig.value.end - sig.entry));
  out[0] = (MAJOR_MAP << 5) | (h.value - 1);
  out.set(bytes.subarray(h.next, sig.entry), 1);
  out.set(bytes.subarray(sig.value.end, span.end), 1 + sig.entry - h.next);
  return out;
}
