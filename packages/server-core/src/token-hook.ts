/**
 * The token check (DESIGN §7 "Tokens", requirement R8): a DoH or ODoH query for a name
 * inside a CSI subtree (`e164.` or `email.` of the apex) and strictly below the apex of
 * the zone that holds it must carry a fresh, unspent Privacy Pass token (RFC 9577 Token,
 * type 0x0002) in EDNS option 65001; otherwise the answer is REFUSED with an Extended
 * DNS Error (RFC 8914 §4.19, INFO-CODE 18 Prohibited) whose EXTRA-TEXT is
 * `<token-code>: <message>`.
 *
 * What needs no token: Do53 ("It is never token-checked", DESIGN §7), zone apex data
 * (SOA, NS, DNSKEY at the apex of a served zone), everything outside the CSI subtrees
 * (`nic.`, `csip.`, the apex itself), and names outside every served zone (REFUSED by
 * the pipeline anyway, so no token is spent on them).
 *
 * It runs as `beforeAnswer`, i.e. before the answer cache: a cached answer goes out
 * only after the check, and a refusal is a hook verdict, which is never cached. The
 * cache key (qname, qtype, EDNS/DO) does not include the token option.
 */
import {
  DEFAULT_APEX,
  EdnsOptionCode,
  EMAIL_SUBTREE_LABEL,
  PHONE_SUBTREE_LABEL,
  Rcode,
} from '@mimi/protocol';
import { refusalOption, type TokenVerdict } from '@mimi/tokens';
import { Counter, type Registry } from 'prom-client';
import type { QueryContext, QueryHook } from './hooks.js';
import { ednsOptions, nameKeyOf } from './query-reader.js';
import { errorContent } from './response-writer.js';
import { ZoneSet } from './zone-set.js';

/** What the hook needs of a verifier (`TokenVerifier` of @mimi/tokens); synchronous. */
export interface TokenChecker {
  verify(bytes: Uint8Array | undefined): TokenVerdict;
}

export interface TokenHookOptions {
  readonly verifier: TokenChecker;
  /** The network apex whose `e164.` and `email.` subtrees need tokens (default `mimi.arpa.`). */
  readonly apex?: string;
  /** Where to register `mimi_token_checks_total{result}`. */
  readonly registry?: Registry;
}

const REFUSED = errorContent(Rcode.REFUSED);

/**
 * A copy of the token option's data in a query, or undefined (the first one counts).
 * A copy at offset 0 of its own ArrayBuffer, not a view: the Privacy Pass library's
 * decoder reads `bytes.buffer` from offset 0, and `Buffer#slice` (which @mimi/tokens
 * uses to copy) returns a view when handed a Buffer, as the query bytes here are.
 */
export function tokenOf(context: QueryContext): Uint8Array | undefined {
  const edns = context.query.edns;
  if (edns === null) return undefined;
  for (const option of ednsOptions(context.bytes, edns)) {
    if (option.code === EdnsOptionCode.MIMI_TOKEN) return new Uint8Array(option.data);
  }
  return undefined;
}

/**
 * The CSI subtrees as a zone set over lowercased wire names: `contains(nameKey)` is
 * `isInCsiSubtree` of @mimi/protocol without building a presentation name.
 */
export function csiSubtrees(apex: string = DEFAULT_APEX): ZoneSet {
  const root = apex.endsWith('.') ? apex : `${apex}.`;
  return new ZoneSet([`${PHONE_SUBTREE_LABEL}.${root}`, `${EMAIL_SUBTREE_LABEL}.${root}`]);
}

/** Whether this query must carry a token (transport, subtree, below its zone's apex). */
export function needsToken(context: QueryContext, subtrees: ZoneSet): boolean {
  if (context.transport !== 'doh' && context.transport !== 'odoh') return false;
  const nameKey = nameKeyOf(context.query.key);
  if (!subtrees.contains(nameKey)) return false;
  // > 0: strictly below the apex of the closest enclosing zone (0 is the apex, -1 no zone).
  return context.zones.apexOffset(nameKey) > 0;
}

export function tokenHook(options: TokenHookOptions): QueryHook {
  const subtrees = csiSubtrees(options.apex);
  const verifier = options.verifier;
  const checks =
    options.registry === undefined
      ? null
      : new Counter({
          name: 'mimi_token_checks_total',
          help: 'Privacy Pass token checks of DoH/ODoH queries, by result (ok or the refusal code)',
          labelNames: ['result'],
          registers: [options.registry],
        });
  // One child per result: label hashing per query is what the pipeline avoids elsewhere.
  const children = new Map<string, { inc(): void }>();
  const count = (result: string) => {
    if (checks === null) return;
    let child = children.get(result);
    if (child === undefined) {
      child = checks.labels(result);
      children.set(result, child);
    }
    child.inc();
  };
  return {
    name: 'privacy-pass-token',
    beforeAnswer(context) {
      if (!needsToken(context, subtrees)) return undefined;
      const verdict = verifier.verify(tokenOf(context));
      if (verdict.ok) {
        count('ok');
        return undefined;
      }
      count(verdict.code);
      return { kind: 'respond', content: REFUSED, ednsOptions: [refusalOption(verdict)] };
    },
  };
}
