/**
 * The CSIP key record (DESIGN §4 "CSIP key record": `{v:1, id, pk, scope, exp}` at
 * `<csip-id>.csip.<apex>`) as the master-file line `mimi csip-key` prints for the CSIP
 * zone, in RFC 3597 §5 generic form (`\# <length> <hex>`), since CSIPKEY is a
 * private-use type (RFC 6895 §3.1).
 */
import {
  CLASS_IN,
  canonicalName,
  encodeCsipKeyRecord,
  formatRecord,
  joinNames,
  RRType,
} from '@mimi/protocol';
import { CliError } from '../errors.js';
import { DAY_SECONDS } from '../options.js';
import { hostNameOf } from './msp-spec.js';

/** DESIGN §4: "`scope` 1–64 entries". */
export const MAX_SCOPE_ENTRIES = 64;
/** DESIGN §4: scope entries "each `+digits`" — at most an E.164 number's 15 digits. */
const SCOPE_PREFIX = /^\+[0-9]{1,15}$/;
/**
 * Our default lifetime: twice an attestation's 365 days, so an attestation issued late
 * in a key's first year still verifies to its end ("with `now < exp`", DESIGN §4).
 */
export const CSIP_KEY_DEFAULT_DAYS = 730;
/** The TTL of DESIGN §8's example line (`uk-carrier.csip.mimi.arpa. 3600 IN CSIPKEY …`). */
export const CSIP_KEY_DEFAULT_TTL = 3600;
/** DESIGN §3: CSIP keys live at `<csip-id>.csip.mimi.arpa.`. */
export const CSIP_LABEL = 'csip';

/** One `--scope`: `+digits` (a prefix of E.164 numbers), or a domain (in lowercase A-labels). */
export function parseScopeEntry(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('+')) {
    if (!SCOPE_PREFIX.test(trimmed)) {
      throw new CliError('bad-option', `--scope '${text}': a phone prefix is '+' and 1-15 digits`, {
        details: { option: 'scope' },
      });
    }
    return trimmed;
  }
  const host = hostNameOf(trimmed);
  if ('problem' in host) {
    throw new CliError('bad-option', `--scope '${text}': neither +digits nor a domain (${host.problem})`, {
      details: { option: 'scope' },
    });
  }
  return host.name;
}

export function parseScope(entries: readonly string[]): string[] {
  if (entries.length === 0 || entries.length > MAX_SCOPE_ENTRIES) {
    throw new CliError(
      'bad-option',
      `--scope given ${entries.length} times, must be 1-${MAX_SCOPE_ENTRIES}`,
      {
        details: { option: 'scope' },
      },
    );
  }
  const scope = entries.map(parseScopeEntry);
  const seen = new Set<string>();
  for (const entry of scope) {
    if (seen.has(entry)) {
      throw new CliError('bad-option', `--scope '${entry}' given twice`, { details: { option: 'scope' } });
    }
    seen.add(entry);
  }
  return scope;
}

export interface CsipKeyLineRequest {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly scope: readonly string[];
  readonly days: number;
  readonly ttl: number;
  readonly apex: string;
  /** Unix seconds. */
  readonly now: number;
}

/** `<id>.csip.<apex> <ttl> IN CSIPKEY \# <len> <hex>` and the RDATA it carries. */
export function csipKeyLine(request: CsipKeyLineRequest): { line: string; rdata: Uint8Array; exp: number } {
  const exp = request.now + request.days * DAY_SECONDS;
  const rdata = encodeCsipKeyRecord({
    v: 1,
    id: request.id,
    pk: request.publicKey,
    scope: request.scope,
    exp,
  });
  const name = joinNames(`${request.id}.${CSIP_LABEL}`, canonicalName(request.apex));
  const line = formatRecord({ name, type: RRType.CSIPKEY, class: CLASS_IN, ttl: request.ttl, rdata });
  return { line, rdata, exp };
}
