/**
 * `mimi remove` (DESIGN §8), two forms:
 *
 *   mimi remove --key FILE --csi CSI (--id ID... | --all) [--dp URL]
 *       a removal signed by the recipient (DESIGN §4 "Removal");
 *   mimi remove --csip-key FILE --csip-id ID --csi CSI --unassigned --epoch N [--dp URL]
 *       an unassignment signed by the CSIP: every mapping attested with an epoch below
 *       N goes (DESIGN §4 "unassignment").
 *
 * Submitted like `publish` (objects/submit.ts). Ours besides the contract: `--serial N`
 * (default max(now in ms, last serial of this key for this CSI + 1), shared with
 * `publish`: DESIGN §4 serials increase "across publishes and removals"), `--config`
 * and `--dry-run`.
 */
import type { Argv, CommandModule } from 'yargs';
import { paletteFor } from '../colour.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { formatRemoved, formatUnassigned } from '../format/submitted.js';
import { nowSeconds, pathFrom } from '../io.js';
import { objectLine } from '../objects/object-text.js';
import type { SubmittedObject } from '../objects/refusal-text.js';
import { buildRemoval, buildUnassignment } from '../objects/removal.js';
import { learnFromRefusal, SerialState } from '../objects/serial-state.js';
import { parseDpUrl, Submission, type Submitted } from '../objects/submit.js';
import { EPOCH_RANGE, parseId, parseInteger, SERIAL_RANGE } from '../options.js';
import type { CommandContext } from './context.js';
import { normalizeOne, readKey } from './inputs.js';
import { flag, many, one } from './yargs-options.js';

export interface RemoveArgs {
  readonly csi: string;
  readonly key?: string | undefined;
  readonly id?: readonly string[] | undefined;
  readonly all?: boolean | undefined;
  readonly csipKey?: string | undefined;
  readonly csipId?: string | undefined;
  readonly unassigned?: boolean | undefined;
  readonly epoch?: string | undefined;
  readonly serial?: string | undefined;
  readonly dp?: string | undefined;
  readonly config?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

function refuse(present: boolean, option: string, form: string): void {
  if (present) throw new CliError('usage', `${option} does not go with ${form}`);
}

function need<T>(value: T | undefined, option: string, form: string): T {
  if (value === undefined) throw new CliError('usage', `${form} needs ${option}`);
  return value;
}

/** The options of one form, checked; nothing read or signed yet. */
type Form =
  | {
      readonly kind: 'unassignment';
      readonly csipKey: string;
      readonly csipId: string;
      readonly epoch: number;
    }
  | {
      readonly kind: 'removal';
      readonly key: string;
      readonly ids: readonly string[] | undefined;
      readonly serial: number | undefined;
    };

function formOf(args: RemoveArgs): Form {
  if (args.unassigned === true) {
    const form = '--unassigned';
    refuse(args.key !== undefined, '--key', form);
    refuse(args.id !== undefined, '--id', form);
    refuse(args.all === true, '--all', form);
    refuse(args.serial !== undefined, '--serial', form);
    const csipId = parseId('csip-id', need(args.csipId, '--csip-id', form));
    const epoch = parseInteger('epoch', need(args.epoch, '--epoch', form), EPOCH_RANGE);
    return { kind: 'unassignment', csipKey: need(args.csipKey, '--csip-key', form), csipId, epoch };
  }
  const form = 'a removal (--id or --all)';
  refuse(args.csipKey !== undefined, '--csip-key', form);
  refuse(args.csipId !== undefined, '--csip-id', form);
  refuse(args.epoch !== undefined, '--epoch', form);
  if (args.all === true && args.id !== undefined)
    throw new CliError('usage', '--id and --all cannot be used together');
  if (args.all !== true && args.id === undefined)
    throw new CliError('usage', 'give --id ID (repeatable), --all or --unassigned');
  const ids = args.id?.map((id) => parseId('id', id));
  const serial = args.serial === undefined ? undefined : parseInteger('serial', args.serial, SERIAL_RANGE);
  return { kind: 'removal', key: need(args.key, '--key', form), ids, serial };
}

/** A signed object ready to send, and how to print its acceptance. */
interface Prepared {
  readonly bytes: Uint8Array;
  readonly submitted: SubmittedObject;
  readonly print: (submitted: Submitted) => string;
  /** What a refusal can teach (a removal's serial state). */
  readonly learn: (err: unknown) => Promise<void>;
}

/**
 * Sign the form's object. A removal's serial is chosen beside the key and, when `record`
 * (it is going to be sent), recorded there.
 */
async function prepare(form: Form, csi: string, ctx: CommandContext, record: boolean): Promise<Prepared> {
  const { io } = ctx;
  const palette = paletteFor(io.stdout, io.env);
  if (form.kind === 'unassignment') {
    const csipKey = await readKey(io, form.csipKey);
    const signed = buildUnassignment({
      csipKey,
      csipId: form.csipId,
      csi,
      epoch: form.epoch,
      now: nowSeconds(io),
    });
    return {
      bytes: signed.bytes,
      submitted: { kind: 'unassignment', object: signed.object },
      print: (submitted) => formatUnassigned(signed.object, submitted, palette),
      learn: async () => undefined,
    };
  }
  const key = await readKey(io, form.key);
  const { ids } = form;
  const serials = new SerialState(pathFrom(io, form.key));
  const signed = await serials.reserve(csi, { nowMs: io.now(), explicit: form.serial, record }, (serial) =>
    buildRemoval({
      key,
      csi,
      target: ids === undefined ? { all: true } : { ids },
      serial,
      now: nowSeconds(io),
    }),
  );
  return {
    bytes: signed.bytes,
    submitted: { kind: 'removal', object: signed.object },
    print: (submitted) => formatRemoved(signed.object, submitted, palette),
    learn: (err) => learnFromRefusal(serials, csi, err),
  };
}

export async function runRemove(args: RemoveArgs, ctx: CommandContext): Promise<ExitCode> {
  if (args.dp !== undefined) parseDpUrl(args.dp);
  const csi = normalizeOne(args.csi);
  const form = formOf(args);
  if (args.dryRun === true) {
    ctx.io.stdout.write(objectLine((await prepare(form, csi, ctx, false)).bytes));
    return ExitCode.ok;
  }
  const submission = Submission.open({ dp: args.dp, config: args.config }, ctx);
  try {
    const prepared = await prepare(form, csi, ctx, true);
    const submitted = await submission
      .submit('removals', prepared.bytes, prepared.submitted)
      .catch(async (err: unknown) => {
        await prepared.learn(err);
        throw err;
      });
    ctx.io.stdout.write(prepared.print(submitted));
    return ExitCode.ok;
  } finally {
    await submission.close();
  }
}

export function removeCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'remove',
    describe: 'remove mappings: as the recipient (--id/--all) or as the CSIP (--unassigned)',
    builder: (yargs: Argv) =>
      yargs
        .options({
          csi: one('csi', 'the phone number or email address', { demandOption: true }),
          key: one('key', "the recipient's private key file"),
          id: many('mapping id to remove (repeatable)'),
          all: flag('remove every mapping of the CSI'),
          'csip-key': one('csip-key', "with --unassigned: the CSIP's private key file"),
          'csip-id': one('csip-id', 'with --unassigned: the CSIP id'),
          unassigned: flag('as the CSIP: the CSI was re-assigned; void every epoch below --epoch'),
          epoch: one('epoch', 'with --unassigned: the first epoch that stays valid'),
          serial: one(
            'serial',
            'serial of a removal (default: the Unix time in ms, above the last one this key used)',
          ),
          dp: one('dp', "the DP's base URL (default: found through the CSI's delegation)"),
          config: one('config', 'client configuration (default $MIMI_CONFIG, else .mimi/client.json)'),
          'dry-run': flag('print the signed object (base64url) instead of submitting it'),
        })
        .example('mimi remove --key alice.key --csi +447700900123 --id work', '')
        .example(
          'mimi remove --csip-key uk.key --csip-id uk-carrier --csi +447700900123 --unassigned --epoch 2',
          '',
        ),
    handler: async (argv) => {
      ctx.exitCode = await runRemove(argv as unknown as RemoveArgs, ctx);
    },
  };
}
