/**
 * Submission of signed objects to an authoritative DP's management API (DESIGN §7:
 * `POST /v1/mappings` and `POST /v1/removals`, body `{"object": "<base64url>"}`, success
 * `200 {"ok": true, "csi", "serial"}`, failure `{"error": {"code", "message"}}`).
 *
 * ┌──────────────────────────────────────────────────────────────────────────────────┐
 * │ NOT YET AVAILABLE. The management API does not exist yet; `submitObject` throws   │
 * │ CliError `not-yet-available` (exit 3). To finish it: find the DP with             │
 * │ `resolver.findDelegation(csi)` unless `--dp` is given, POST with the shared HTTP  │
 * │ client, and turn `{"error": {"code", "message"}}` into CliError `server-error`    │
 * │ (exit 3) whose message is `<code>: <message>`.                                    │
 * └──────────────────────────────────────────────────────────────────────────────────┘
 */
import { CliError } from '../errors.js';

export type SubmitEndpoint = 'mappings' | 'removals';

export interface SubmitRequest {
  readonly endpoint: SubmitEndpoint;
  /** The signed object's deterministic CBOR. */
  readonly object: Uint8Array;
  /** Normalized; names the DP through its delegation when `dp` is not given. */
  readonly csi: string;
  /** `--dp URL`: the DP's base URL, overriding discovery. */
  readonly dp?: string | undefined;
}

export interface SubmitResponse {
  readonly csi: string;
  readonly serial: number;
}

export async function submitObject(request: SubmitRequest): Promise<SubmitResponse> {
  const where = request.dp ?? `the dp serving '${request.csi}'`;
  throw new CliError(
    'not-yet-available',
    `cannot submit to ${where}: the management api (POST /v1/${request.endpoint}) is not yet available; use --dry-run to print the signed object`,
    { details: { endpoint: request.endpoint } },
  );
}
