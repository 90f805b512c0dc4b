import { MimiError } from '@mimi/errors';

/** Malformed DNS wire data or presentation text (names, messages, RDATA). */
export class WireFormatError extends MimiError {}

/** A zone file that cannot be loaded; `details.file` and `details.line` say where. */
export class ZoneParseError extends MimiError {
  constructor(
    code: string,
    message: string,
    readonly file: string,
    readonly line: number,
    options: { cause?: unknown } = {},
  ) {
    super(code, `${file}:${line}: ${message}`, { ...options, details: { file, line } });
  }
}

/** A CSI that cannot be normalized: `details.input` is what was given. */
export class CsiError extends MimiError {}

/**
 * A discovery object (DESIGN §4) that is malformed (CBOR or schema) or fails a
 * verification rule. `code` is one of the stable reason codes of DESIGN §4 / the vectors.
 */
export class ObjectError extends MimiError {}
