/**
 * The CSIs a `resolve` is asked about, from the command line and from `--file` (one CSI
 * a line; blank lines and `#` comment lines skipped; `-` is standard input), and their
 * normalization — all of them, before any lookup (DESIGN §8: "All inputs are checked
 * before any lookup (one bad CSI: exit 2)"; DESIGN §3 "Normalization").
 */
import { CsiError, type NormalizeCsiOptions, normalizeCsi } from '@mimi/protocol';
import { CliError } from './errors.js';

/** One CSI as typed, and where: `source` is a file name (or `-`) with its line, else an argument. */
export interface CsiInput {
  readonly text: string;
  readonly source?: string;
  readonly line?: number;
}

/** The CSI lines of a contact file: trimmed, without blank lines and `#` comments. */
export function csiLines(text: string, source: string): CsiInput[] {
  const inputs: CsiInput[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    inputs.push({ text: line, source, line: index + 1 });
  }
  return inputs;
}

/**
 * A CsiError message starts by quoting what it looked at; when that is just the input
 * again, the prefix is dropped so the line does not say it twice.
 */
function problemOf(err: CsiError, text: string): string {
  const prefix = `'${text.trim()}': `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

function where(input: CsiInput): string {
  return input.source === undefined ? '' : `${input.source}:${input.line}: `;
}

/**
 * The normalized CSI of every input, in order. The first bad one throws CliError
 * `invalid-csi` naming it (and its file and line), with how many more are bad.
 */
export function normalizeAll(inputs: readonly CsiInput[], options: NormalizeCsiOptions): string[] {
  const normalized: string[] = [];
  let first: { input: CsiInput; err: CsiError } | undefined;
  let bad = 0;
  for (const input of inputs) {
    try {
      normalized.push(normalizeCsi(input.text, options).csi);
    } catch (err) {
      if (!(err instanceof CsiError)) throw err;
      bad++;
      first ??= { input, err };
    }
  }
  if (first !== undefined) {
    const { input, err } = first;
    const more = bad > 1 ? ` (and ${bad - 1} more invalid)` : '';
    throw new CliError(
      'invalid-csi',
      `${where(input)}invalid CSI '${input.text.trim()}': ${problemOf(err, input.text)}${more}`,
      {
        cause: err,
        details: {
          input: input.text,
          reason: err.code,
          ...(input.line === undefined ? {} : { line: input.line }),
        },
      },
    );
  }
  return normalized;
}
