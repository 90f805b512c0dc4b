/**
 * `mimi publish --key FILE --attestation FILE --id ID --msp MSP[:TAG,TAG][@PRI]...
 * [--same-msp-only] [--new] [--days N] [--dp URL]` (DESIGN §8): the recipient signs a
 * mapping of its attested CSI and submits it to the DP serving that CSI.
 *
 * Ours besides the contract: `--opt-out` publishes a mapping with no MSP (DESIGN §4:
 * "`msps` may be empty"), explicitly rather than by forgetting `--msp`; `--serial N`
 * overrides the Unix-milliseconds default; `--dry-run` prints the signed object as one
 * line of base64url instead of submitting it.
 */
import type { Argv, CommandModule } from 'yargs';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { readTextFile } from '../files.js';
import { nowSeconds, pathFrom } from '../io.js';
import { buildMapping, PUBLISH_DEFAULT_DAYS } from '../objects/mapping.js';
import { parseMspSpecs } from '../objects/msp-spec.js';
import { objectLine, parseAttestationText } from '../objects/object-text.js';
import { submitObject } from '../objects/submit.js';
import { DAYS_RANGE, integerOption, parseHttpsUrl, parseId, SERIAL_RANGE } from '../options.js';
import type { CommandContext } from './context.js';
import { readKey } from './inputs.js';
import { flag, many, one } from './yargs-options.js';

export interface PublishArgs {
  readonly key: string;
  readonly attestation: string;
  readonly id: string;
  readonly msp?: readonly string[] | undefined;
  readonly optOut?: boolean | undefined;
  readonly sameMspOnly?: boolean | undefined;
  readonly new?: boolean | undefined;
  readonly days?: string | undefined;
  readonly serial?: string | undefined;
  readonly dp?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

function mspSpecsOf(args: PublishArgs): readonly string[] {
  const specs = args.msp ?? [];
  if (args.optOut === true && specs.length > 0)
    throw new CliError('usage', '--opt-out and --msp cannot be used together');
  if (args.optOut !== true && specs.length === 0) {
    throw new CliError('usage', 'no --msp given (use --opt-out to be found on no msp)');
  }
  return specs;
}

export async function runPublish(args: PublishArgs, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const id = parseId('id', args.id);
  const msps = parseMspSpecs(mspSpecsOf(args));
  const days = integerOption('days', args.days, PUBLISH_DEFAULT_DAYS, DAYS_RANGE);
  const serial = integerOption('serial', args.serial, io.now(), SERIAL_RANGE);
  const dp = args.dp === undefined ? undefined : parseHttpsUrl('dp', args.dp);
  const attestation = parseAttestationText(
    await readTextFile(pathFrom(io, args.attestation), args.attestation),
    args.attestation,
  );
  const key = await readKey(io, args.key);
  const signed = buildMapping({
    key,
    attestation,
    id,
    msps,
    sameMspOnly: args.sameMspOnly === true,
    isNew: args.new === true,
    days,
    serial,
    now: nowSeconds(io),
  });
  if (args.dryRun === true) {
    io.stdout.write(objectLine(signed.bytes));
    return ExitCode.ok;
  }
  const response = await submitObject({
    endpoint: 'mappings',
    object: signed.bytes,
    csi: signed.object.csi,
    dp,
  });
  io.stdout.write(`published mapping ${id} of ${response.csi} (serial ${response.serial})\n`);
  return ExitCode.ok;
}

export function publishCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'publish',
    describe: 'as a recipient, sign and publish a mapping of your CSI to MSPs',
    builder: (yargs: Argv) =>
      yargs
        .options({
          key: one('key', "the recipient's private key file", { demandOption: true }),
          attestation: one('attestation', "the CSIP's attestation file", { demandOption: true }),
          id: one('id', 'mapping id, e.g. personal or work (1-32 of a-z 0-9 -)', { demandOption: true }),
          msp: many('MSP[:TAG,TAG][@PRI] (repeatable; pri defaults to 10 x position)'),
          'opt-out': flag('publish a mapping with no msp (be found nowhere)'),
          'same-msp-only': flag('senders may reach you only on their own MSP'),
          new: flag('remove every earlier mapping of this CSI'),
          days: one('days', `validity in days (default ${PUBLISH_DEFAULT_DAYS})`),
          serial: one('serial', 'serial (default: the current Unix time in ms)'),
          dp: one('dp', "the DP's URL (default: found through the CSI's delegation)"),
          'dry-run': flag('print the signed mapping (base64url) instead of submitting it'),
        })
        .example(
          'mimi publish --key alice.key --attestation alice.att --id personal --msp whatsapp.example:Personal --msp wire.example:Business@20',
          '',
        ),
    handler: async (argv) => {
      ctx.exitCode = await runPublish(argv as unknown as PublishArgs, ctx);
    },
  };
}
