/**
 * `mimi attest --csip-key FILE --csip-id ID --csi CSI --recipient-pub B64 [--epoch N]
 * [--days N] --out FILE` (DESIGN §8): the CSIP signs that the holder of `--recipient-pub`
 * holds the CSI, and writes the attestation as one line of unpadded base64url (a new
 * file, mode 0644: it holds nothing secret).
 */
import { toBase64Url } from '@mimi/crypto';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode } from '../exit-codes.js';
import { writeNewFile } from '../files.js';
import { nowSeconds, pathFrom } from '../io.js';
import {
  ATTEST_DEFAULT_DAYS,
  ATTEST_DEFAULT_EPOCH,
  buildAttestation,
  parseRecipientKey,
} from '../objects/attestation.js';
import { objectLine } from '../objects/object-text.js';
import { DAYS_RANGE, EPOCH_RANGE, integerOption, parseId } from '../options.js';
import type { CommandContext } from './context.js';
import { normalizeOne, readKey } from './inputs.js';
import { one } from './yargs-options.js';

export interface AttestArgs {
  readonly csipKey: string;
  readonly csipId: string;
  readonly csi: string;
  readonly recipientPub: string;
  readonly epoch?: string | undefined;
  readonly days?: string | undefined;
  readonly out: string;
}

/** An attestation file is public data. */
const ATTESTATION_FILE_MODE = 0o644;

function isoSeconds(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function runAttest(args: AttestArgs, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  // Everything typed is checked before the key file is opened.
  const csipId = parseId('csip-id', args.csipId);
  const csi = normalizeOne(args.csi);
  const recipientKey = parseRecipientKey(args.recipientPub);
  const epoch = integerOption('epoch', args.epoch, ATTEST_DEFAULT_EPOCH, EPOCH_RANGE);
  const days = integerOption('days', args.days, ATTEST_DEFAULT_DAYS, DAYS_RANGE);
  const csipKey = await readKey(io, args.csipKey);
  const signed = buildAttestation({ csipKey, csipId, csi, recipientKey, epoch, days, now: nowSeconds(io) });
  await writeNewFile(pathFrom(io, args.out), objectLine(signed.bytes), ATTESTATION_FILE_MODE, args.out);
  const { object } = signed;
  io.stdout.write(
    [
      `wrote ${args.out}: attestation of ${object.csi} by csip ${object.csip}`,
      `  recipient  ${toBase64Url(object.rk)}`,
      `  epoch      ${object.epoch}`,
      `  issued     ${isoSeconds(object.iat)}`,
      `  expires    ${isoSeconds(object.exp)}`,
      '',
    ].join('\n'),
  );
  return ExitCode.ok;
}

export function attestCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'attest',
    describe: "as a CSIP, attest that a recipient's key holds a CSI",
    builder: (yargs: Argv) =>
      yargs
        .options({
          'csip-key': one('csip-key', "the CSIP's private key file", { demandOption: true }),
          'csip-id': one('csip-id', 'the CSIP id (its name under csip.<apex>)', { demandOption: true }),
          csi: one('csi', 'the phone number or email address', { demandOption: true }),
          'recipient-pub': one('recipient-pub', "the recipient's public key (base64url or base64)", {
            demandOption: true,
          }),
          epoch: one('epoch', `assignment count of this CSI (default ${ATTEST_DEFAULT_EPOCH})`),
          days: one('days', `validity in days (default ${ATTEST_DEFAULT_DAYS})`),
          out: one('out', 'file to create (one line of base64url; never overwritten)', {
            demandOption: true,
          }),
        })
        .example(
          'mimi attest --csip-key uk.key --csip-id uk-carrier --csi +447700900123 --recipient-pub <B64> --out alice.att',
          '',
        ),
    handler: async (argv) => {
      ctx.exitCode = await runAttest(argv as unknown as AttestArgs, ctx);
    },
  };
}
