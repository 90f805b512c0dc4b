/**
 * The `mimi` command line (DESIGN §8): the yargs application, its commands, and the one
 * path by which any failure becomes one line on stderr and an exit code. `runCli` takes
 * its I/O as an argument, so tests run it in-process; main.ts runs it for real.
 */
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { paletteFor } from './colour.js';
import { attestCommand } from './commands/attest.js';
import { type CliDeps, newContext } from './commands/context.js';
import { csipKeyCommand } from './commands/csip-key.js';
import { keygenCommand } from './commands/keygen.js';
import { publishCommand } from './commands/publish.js';
import { removeCommand } from './commands/remove.js';
import { resolveCommand } from './commands/resolve.js';
import { errorMessage } from './error-line.js';
import { CliError } from './errors.js';
import { type ExitCode, exitCodeOfError } from './exit-codes.js';
import type { CliIo } from './io.js';

/** The package version (`mimi --version`); package.json sits one level above src/ and dist/. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;

export const COMMANDS = ['resolve', 'keygen', 'attest', 'publish', 'remove', 'csip-key'] as const;

const EPILOGUE =
  'exit codes: 0 success (also no-mapping and opted-out), 1 bogus, 2 bad usage or input, 3 unreachable or server error';

/** Widest help text; narrower on a narrow terminal. */
const MAX_HELP_WIDTH = 100;

/**
 * Options whose value may begin with '-': a base64url key does one time in 64 (RFC 4648
 * §5 puts '-' in the alphabet), and yargs reads `--recipient-pub -Xy…` as a missing
 * value followed by a flag. Such a value is handed over as `--recipient-pub=-Xy…`.
 */
const VALUES_MAY_START_WITH_DASH = new Set(['--recipient-pub']);

/** `argv` with each dash-led value of those options attached to its option with '='. */
export function attachDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (VALUES_MAY_START_WITH_DASH.has(arg) && next?.startsWith('-') && next !== '--') {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function commandOf(argv: readonly string[]): string | undefined {
  return argv.find((arg) => (COMMANDS as readonly string[]).includes(arg));
}

/** Run `mimi` with `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  deps: Partial<CliDeps> = {},
): Promise<ExitCode> {
  const ctx = newContext(io, deps);
  const parser = yargs()
    .scriptName('mimi')
    .locale('en')
    .usage('$0 <command> [options]')
    .command(resolveCommand(ctx))
    .command(keygenCommand(ctx))
    .command(attestCommand(ctx))
    .command(publishCommand(ctx))
    .command(removeCommand(ctx))
    .command(csipKeyCommand(ctx))
    .demandCommand(1, 'no command given')
    .strict()
    .strictCommands()
    .exitProcess(false)
    .fail((message, err) => {
      // yargs' own validation has a message; an error from a handler passes through.
      throw err ?? new CliError('usage', message);
    })
    .version(VERSION)
    .help()
    .alias('help', 'h')
    .epilogue(EPILOGUE)
    .wrap(Math.min(MAX_HELP_WIDTH, io.stdout.columns ?? 80));
  try {
    let output = '';
    await parser.parseAsync(attachDashValues(argv), {}, (_err, _argv, text) => {
      output = text;
    });
    // --help and --version: yargs hands back the text instead of printing it.
    if (output !== '') io.stdout.write(`${output}\n`);
    return ctx.exitCode;
  } catch (err) {
    const p = paletteFor(io.stderr, io.env);
    io.stderr.write(`${p.red('mimi:')} ${errorMessage(err, { command: commandOf(argv) })}\n`);
    if (io.env.MIMI_DEBUG && err instanceof Error && err.stack !== undefined)
      io.stderr.write(`${err.stack}\n`);
    return exitCodeOfError(err);
  }
}
