/**
 * Errors of the `mimi` command line itself (DESIGN §8 "Command-line contract"). Errors
 * of the layers below (CsiError, ObjectError, CryptoError, ResolverError) pass through
 * unchanged; exit-codes.ts is the one place that turns any of them into an exit code.
 *
 * Codes:
 * - `usage`: arguments that do not fit the command (a missing, repeated or conflicting option);
 * - `bad-option`: an option value that is not what it must be (`--days abc`, `--root http://…`);
 * - `invalid-csi`: a CSI that does not normalize (DESIGN §3); `details.input`, `details.line`;
 * - `file-exists`, `file-read`, `file-write`: files named on the command line;
 * - `config-missing`: no client configuration where DESIGN §8 says to look;
 * - `attestation-file`: an attestation file that is not one line of an attestation in base64url;
 * - `key-mismatch`, `attestation-expired`: a publish whose key or attestation cannot work;
 * - `dp-refused`: the DP refused a published object or removal (`details.code` is the DP's reason);
 * - `no-dp`: no authoritative DP serves the CSI (nowhere to publish);
 * - `csi-mismatch`: `--csi` names another CSI than the attestation;
 * - `serial-state`, `serial-exhausted`: the per-key serial file next to the key cannot be used;
 * - `not-yet-available`: a step that needs a service not built yet.
 */
import { MimiError } from '@mimi/errors';

export class CliError extends MimiError {}
