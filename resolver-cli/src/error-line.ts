/**
 * The one line a failure prints on stderr (DESIGN §8: "Errors are one clear line on
 * stderr"): `mimi: <lowercase message naming the offending thing>`. Messages of our own
 * errors are used as they are; yargs' usage errors are lowercased and point at --help;
 * anything unexpected is labelled as an internal error.
 */
import { isMimiError } from '@mimi/errors';
import { CliError } from './errors.js';
import { isYargsError } from './exit-codes.js';

/**
 * Quoted inputs longer than this are cut, so a 300-character CSI stays one readable line.
 * A cut text (32 + `…(NNNN chars)`) is itself under the limit, so cutting is idempotent.
 */
const MAX_QUOTED_CHARS = 48;
const SHOWN_CHARS = 32;

/** `'aaaa…'` for a long input; the text itself when short. */
export function shorten(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, SHOWN_CHARS)}…(${text.length} chars)` : text;
}

/** Every `'…'` run in a message longer than the limit, shortened. */
function shortenQuoted(message: string): string {
  return message.replace(/'([^']*)'/g, (whole, inner: string) =>
    inner.length > MAX_QUOTED_CHARS ? `'${shorten(inner)}'` : whole,
  );
}

/** One line: newlines and runs of blanks folded to one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function lowercaseFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export interface ErrorLineOptions {
  /** The subcommand being run, for the `--help` hint of usage errors. */
  readonly command?: string | undefined;
}

/** The message part of the stderr line (without the `mimi: ` prefix). */
export function errorMessage(err: unknown, options: ErrorLineOptions = {}): string {
  // Usage errors, ours and yargs', point at the help of the command being run.
  if (isYargsError(err) || (err instanceof CliError && err.code === 'usage')) {
    const help = options.command === undefined ? 'mimi --help' : `mimi ${options.command} --help`;
    return `${oneLine(lowercaseFirst(err.message))} (see '${help}')`;
  }
  if (isMimiError(err)) return oneLine(shortenQuoted(err.message));
  const message = err instanceof Error ? err.message : String(err);
  return `internal error: ${oneLine(lowercaseFirst(message))}`;
}
