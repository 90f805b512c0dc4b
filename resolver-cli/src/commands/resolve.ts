/**
 * `mimi resolve` (DESIGN §8):
 *
 *   mimi resolve CSI... [--json] [--trace] [--region CC] [--config FILE] [--root URL] [--relay URL] [--direct]
 *   mimi resolve --file contacts.txt [--json]     (NDJSON out, with or without --json)
 *   mimi resolve CSI --select [--sender-msp MSP] [--context TAG]
 *
 * Every input is checked before any lookup; results come out in input order (a table
 * per CSI, or one JSON line each); the exit code follows DESIGN §6.
 *
 * With `relay` in the configuration (or `--relay URL`) every query goes through the
 * oblivious relay; `--direct` drops it (client-config.ts). With `issuer` and
 * `issuerAuth`, queries a DP wants a token for carry one; `--trace` shows the relay hop
 * and the token spent at each DP.
 */
import type { ClientConfig, ResolveResult, Resolver } from '@mimi/stub-resolver';
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../client-config.js';
import { paletteFor } from '../colour.js';
import { type CsiInput, csiLines, normalizeAll } from '../csi-input.js';
import { CliError } from '../errors.js';
import { type ExitCode, exitCodeOfStatuses } from '../exit-codes.js';
import { readTextFile } from '../files.js';
import { resultJsonLine } from '../format/json.js';
import { ProgressBar } from '../format/progress.js';
import { formatSelection, selectionOf } from '../format/selection.js';
import { formatResultTable } from '../format/table.js';
import { formatTrace } from '../format/trace.js';
import { type CliIo, pathFrom, readAll } from '../io.js';
import type { CommandContext } from './context.js';
import { flag, many, one } from './yargs-options.js';

export interface ResolveArgs {
  readonly csi?: readonly string[] | undefined;
  readonly config?: string | undefined;
  readonly root?: readonly string[] | undefined;
  readonly relay?: string | undefined;
  readonly direct?: boolean | undefined;
  readonly region?: string | undefined;
  readonly file?: string | undefined;
  readonly json?: boolean | undefined;
  readonly trace?: boolean | undefined;
  readonly select?: boolean | undefined;
  readonly senderMsp?: string | undefined;
  readonly context?: string | undefined;
}

async function gatherInputs(args: ResolveArgs, io: CliIo): Promise<CsiInput[]> {
  const inputs: CsiInput[] = (args.csi ?? []).map((text) => ({ text }));
  if (args.file !== undefined) {
    const text =
      args.file === '-' ? await readAll(io.stdin) : await readTextFile(pathFrom(io, args.file), args.file);
    inputs.push(...csiLines(text, args.file === '-' ? '<stdin>' : args.file));
  } else if (inputs.length === 0) {
    throw new CliError('usage', 'no csi given (name one or more, or use --file FILE)');
  }
  return inputs;
}

function checkCombination(args: ResolveArgs): void {
  if (args.select !== true) {
    if (args.senderMsp !== undefined) throw new CliError('usage', '--sender-msp needs --select');
    if (args.context !== undefined) throw new CliError('usage', '--context needs --select');
  }
}

/** Writes each result as it is due, in input order. */
class ResultWriter {
  private readonly out;
  private readonly traceErr;
  /** `--file` is the bulk form: its output is NDJSON, for a program to read (DESIGN §8). */
  private readonly json: boolean;
  private count = 0;

  constructor(
    private readonly args: ResolveArgs,
    private readonly io: CliIo,
    private readonly several: boolean,
  ) {
    this.out = paletteFor(io.stdout, io.env);
    this.traceErr = paletteFor(io.stderr, io.env);
    this.json = args.json === true || args.file !== undefined;
  }

  write(result: ResolveResult): void {
    const { args, io } = this;
    if (args.trace === true && result.trace !== undefined) {
      // With --json, stdout stays pure NDJSON: the trace goes to stderr.
      const toStderr = this.json;
      const text = formatTrace(result.trace, toStderr ? this.traceErr : this.out, `trace of ${result.csi}`);
      (toStderr ? io.stderr : io.stdout).write(text);
    }
    const selection =
      args.select === true
        ? selectionOf(result, { senderMsp: args.senderMsp, context: args.context })
        : undefined;
    if (this.json) {
      io.stdout.write(resultJsonLine(result, selection === undefined ? undefined : selection.selected));
    } else if (selection !== undefined) {
      io.stdout.write(formatSelection(result, selection, this.out));
    } else {
      // A blank line between the tables of several CSIs.
      if (this.several && this.count > 0) io.stdout.write('\n');
      io.stdout.write(formatResultTable(result, this.out));
    }
    this.count++;
  }
}

/**
 * A bulk resolve fetches tokens in batches ahead of its lookups: at most one batch
 * (the issuer takes 64 a call) and never more than there are CSIs.
 */
const MAX_RUN_TOKEN_POOL = 64;

/**
 * Tokens kept ready during this run (docs/internals/tokens.md: a one-shot run keeps none,
 * since pooled tokens die with the process and each one cost quota): none for one CSI;
 * a pool for several. A `tokenPool` in the configuration file wins.
 */
export function withRunTokenPool(config: ClientConfig, csiCount: number): ClientConfig {
  if (config.tokenPool !== undefined && config.tokenPool !== null) return config;
  return { ...config, tokenPool: csiCount <= 1 ? 0 : Math.min(MAX_RUN_TOKEN_POOL, csiCount) };
}

async function resolveAll(
  resolver: Resolver,
  csis: readonly string[],
  args: ResolveArgs,
  io: CliIo,
): Promise<ResolveResult[]> {
  const writer = new ResultWriter(args, io, csis.length > 1);
  if (args.trace === true) {
    // One at a time, so each chain of trust is drawn whole.
    const results: ResolveResult[] = [];
    for (const csi of csis) {
      const result = await resolver.resolve(csi, { trace: true });
      writer.write(result);
      results.push(result);
    }
    return results;
  }
  const bar = new ProgressBar(
    io.stderr,
    csis.length,
    args.file !== undefined && io.stderr.isTTY === true && csis.length > 1,
  );
  // Results arrive out of order; hold each until those before it are written.
  const pending = new Map<number, ResolveResult>();
  let next = 0;
  try {
    return await resolver.resolveMany(csis, {
      onProgress: (done, _total, result, index) => {
        pending.set(index, result);
        bar.above(() => {
          for (let ready = pending.get(next); ready !== undefined; ready = pending.get(next)) {
            pending.delete(next++);
            writer.write(ready);
          }
        });
        bar.update(done);
      },
    });
  } finally {
    bar.finish();
  }
}

export async function runResolve(args: ResolveArgs, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  checkCombination(args);
  const inputs = await gatherInputs(args, io);
  const config = loadConfig(
    { config: args.config, roots: args.root, relay: args.relay, direct: args.direct, region: args.region },
    io,
  );
  const resolver = ctx.deps.createResolver(withRunTokenPool(config, inputs.length));
  try {
    const region = config.region ?? undefined;
    const csis = normalizeAll(inputs, { ...(region === undefined ? {} : { region }), apex: resolver.apex });
    if (csis.length === 0) return exitCodeOfStatuses([]);
    const results = await resolveAll(resolver, csis, args, io);
    return exitCodeOfStatuses(results.map((result) => result.status));
  } finally {
    await resolver.close();
  }
}

export function resolveCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'resolve [csi..]',
    describe: 'find the messaging providers of phone numbers and email addresses',
    builder: (yargs: Argv) =>
      yargs
        .positional('csi', {
          type: 'string',
          array: true,
          describe: 'phone numbers (+447700900123) or email addresses',
        })
        .options({
          file: one('file', 'read CSIs from FILE, one a line (- for standard input); NDJSON out'),
          json: flag('one JSON object per CSI (DESIGN §8 shape)'),
          trace: flag('draw the chain of trust zone by zone'),
          select: flag('pick exactly one MSP (or none)'),
          'sender-msp': one('sender-msp', "with --select: the sender's own MSP (for sameMspOnly mappings)"),
          context: one('context', 'with --select: prefer MSPs with this tag (e.g. Business)'),
          region: one('region', 'ISO 3166 region for national phone formats (e.g. GB)'),
          config: one('config', 'client configuration (default $MIMI_CONFIG, else .mimi/client.json)'),
          root: many('root DP DoH URL (overrides the configuration; repeatable)'),
          relay: one(
            'relay',
            'oblivious relay URL: every query goes through it (overrides the configuration)',
          ),
          direct: flag('bypass the relay: ask every server directly over DoH'),
        })
        .example('mimi resolve +447700900123', 'the MSPs of a phone number')
        .example('mimi resolve --file contacts.txt --json', 'NDJSON for a contact list')
        .example('mimi resolve +447700900123 --select --context Business', 'one MSP for a business contact'),
    handler: async (argv) => {
      ctx.exitCode = await runResolve(argv as unknown as ResolveArgs, ctx);
    },
  };
}
