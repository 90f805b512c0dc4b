/**
 * The one error base of the project. Every error we throw on purpose carries a
 * stable, machine-readable `code` (never reworded once released), optional
 * structured `details`, and a `cause`. Messages are lowercase, name the offending
 * thing and never contain key material. Packages subclass it so callers can tell
 * layers apart; mapping codes to RCODEs, HTTP statuses and exit codes happens in
 * exactly one place per surface, never here.
 */
export class MimiError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** True when `err` is one of ours (of any subclass). */
export function isMimiError(err: unknown): err is MimiError {
  return err instanceof MimiError;
}
