/**
 * Typed access to the fields of one decoded CBOR map, with the schema faults of
 * DESIGN §4 "Encoding, exactly" as ObjectError codes:
 *
 *   version             `v` is not 1 (checked before anything else in the map)
 *   schema-unknown-key  a key the schema does not have (in `policy` too)
 *   schema-missing-key  a required key is absent
 *   schema-type         a value of the wrong CBOR type or byte length, or `false` where
 *                       only `true` may appear
 *   schema-limit        a value outside its limits (integer range, id grammar, counts, lengths)
 *   schema-duplicate    an MSP or an id listed twice
 *
 * `path` names the map in messages (`mapping.msps[1]`).
 */
import { ObjectError } from '../errors.js';
import type { CborMap, CborValue } from './cbor-reader.js';
import { MAX_UINT, OBJECT_VERSION } from './constants.js';

function describe(value: CborValue): string {
  if (value instanceof Map) return 'map';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return `byte string of ${value.length}`;
  if (typeof value === 'bigint') return 'integer';
  return typeof value === 'string' ? 'text' : typeof value === 'number' ? 'integer' : 'boolean';
}

export function schemaError(code: string, message: string, path: string): ObjectError {
  return new ObjectError(code, `${path}: ${message}`, { details: { path } });
}

/** The value as a map, or schema-type. */
export function asMap(value: CborValue, path: string): CborMap {
  if (!(value instanceof Map)) {
    throw schemaError('schema-type', `expected a map, got ${describe(value)}`, path);
  }
  return value;
}

export class Fields {
  private readonly map: CborMap;

  constructor(
    value: CborValue,
    readonly path: string,
    allowed: readonly string[],
    options: { versioned?: boolean } = {},
  ) {
    this.map = asMap(value, path);
    if (options.versioned) {
      const v = this.uint('v');
      if (v !== OBJECT_VERSION) {
        throw schemaError('version', `unsupported version ${v} (want ${OBJECT_VERSION})`, path);
      }
    }
    for (const key of this.map.keys()) {
      if (!allowed.includes(key)) throw schemaError('schema-unknown-key', `unknown key '${key}'`, path);
    }
  }

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  private get(key: string): CborValue {
    const value = this.map.get(key);
    if (value === undefined) throw schemaError('schema-missing-key', `missing key '${key}'`, this.path);
    return value;
  }

  private typeError(key: string, want: string, value: CborValue): ObjectError {
    return schemaError('schema-type', `'${key}' must be ${want}, got ${describe(value)}`, this.path);
  }

  /** An unsigned integer within [min, max] (max defaults to 2^53−1). */
  uint(key: string, min = 0, max = MAX_UINT): number {
    const value = this.get(key);
    if (typeof value === 'bigint') throw schemaError('schema-limit', `'${key}' exceeds 2^53-1`, this.path);
    if (typeof value !== 'number') throw this.typeError(key, 'an unsigned integer', value);
    if (value < min || value > max) {
      throw schemaError('schema-limit', `'${key}' is ${value}, outside ${min}..${max}`, this.path);
    }
    return value;
  }

  text(key: string): string {
    const value = this.get(key);
    if (typeof value !== 'string') throw this.typeError(key, 'text', value);
    return value;
  }

  /** Text matching `pattern` (schema-limit otherwise; `rule` says what it should be). */
  textMatching(key: string, pattern: RegExp, rule: string): string {
    const value = this.text(key);
    if (!pattern.test(value)) {
      throw schemaError('schema-limit', `'${key}' ${quote(value)} is not ${rule}`, this.path);
    }
    return value;
  }

  bytes(key: string, length: number): Uint8Array {
    const value = this.get(key);
    if (!(value instanceof Uint8Array) || value.length !== length) {
      throw this.typeError(key, `a byte string of ${length}`, value);
    }
    return value;
  }

  array(key: string, min: number, max: number): CborValue[] {
    const value = this.get(key);
    if (!Array.isArray(value)) throw this.typeError(key, 'an array', value);
    if (value.length < min || value.length > max) {
      throw schemaError(
        'schema-limit',
        `'${key}' has ${value.length} entries, outside ${min}..${max}`,
        this.path,
      );
    }
    return value;
  }

  /** An optional flag: absent → undefined, `true` → true; `false` is refused. */
  flag(key: string): true | undefined {
    if (!this.map.has(key)) return undefined;
    const value = this.get(key);
    if (value !== true) throw this.typeError(key, 'true (booleans are present only when true)', value);
    return true;
  }

  /** The raw value of an optional key. */
  optional(key: string): CborValue | undefined {
    return this.map.get(key);
  }

  /** The raw value of a required key. */
  required(key: string): CborValue {
    return this.get(key);
  }
}

export function quote(text: string): string {
  return `'${text.length > 80 ? `${text.slice(0, 80)}…` : text}'`;
}

/** Text of an array element, with the same faults as a field. */
export function elementText(value: CborValue, path: string): string {
  if (typeof value !== 'string') {
    throw schemaError('schema-type', `expected text, got ${describe(value)}`, path);
  }
  return value;
}

/** Throws schema-duplicate when `values` repeats an entry. */
export function assertDistinct(values: readonly string[], what: string, path: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw schemaError('schema-duplicate', `${what} ${quote(value)} listed twice`, path);
    seen.add(value);
  }
}
