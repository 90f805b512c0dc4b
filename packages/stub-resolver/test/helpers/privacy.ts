/**
 * The privacy side of the in-memory network (DESIGN §7): a relay that forwards ODoH
 * messages (RFC 9230) to targets answering from the same AuthorityEngines, target keys
 * whose configs are published as ODOHCFG at `_odoh.<host>`, a token source that makes
 * unique RFC 9577-shaped tokens, and a DP token rule that refuses like @mimi/tokens does.
 */
import type { QueryEngine } from '@mimi/authority';
import type { MimiError } from '@mimi/errors';
import {
  answerObliviousQuery,
  encodeConfigs,
  singleKey,
  type TargetKey,
  targetKeyFromSeed,
} from '@mimi/odoh';
import { isInCsiSubtree } from '@mimi/protocol';
import {
  type RelayAnswer,
  type RelayClient,
  type RelayTarget,
  ResolverError,
  type TokenSource,
} from '../../src/index.js';
import type { MemoryTransport, RecordedRequest } from './memory-transport.js';

export const RELAY_URL = 'https://relay.test/proxy';
export const HOSTS = {
  root: 'root.nic.mimi.arpa',
  tel: 'tel.nic.mimi.arpa',
  mail: 'mail.nic.mimi.arpa',
} as const;
export type HostId = keyof typeof HOSTS;

const encoder = new TextEncoder();

/** The target key of `host`, generation `n` (a rotation bumps it). */
export function odohKey(host: string, generation = 0): TargetKey {
  return targetKeyFromSeed(encoder.encode(`stub test odoh ${host} ${generation}`));
}

/** ODOHCFG RDATA for `key` (RFC 9230 §5 ObliviousDoHConfigs). */
export function odohConfigRdata(key: TargetKey): Uint8Array {
  return encodeConfigs([key.config]);
}

/** The master-file line of `_odoh.<host>` (type 65282 in RFC 3597 generic form). */
export function odohRecordLine(host: string, rdata: Uint8Array, ttl = 3600): string {
  return `_odoh.${host}. ${ttl} IN TYPE65282 \\# ${rdata.length} ${Buffer.from(rdata).toString('hex')}`;
}

export interface Forwarded {
  readonly host: string;
  readonly path: string;
  readonly status: number;
  readonly body: Uint8Array;
}

/**
 * The relay: looks the target up by host name, opens the ODoH query with that target's
 * current key (401 for another key, as RFC 9230 §4.3 says) and has `behind` — a
 * MemoryTransport keyed by `https://<host>/dns-query` — answer the DNS query inside.
 */
export class MemoryRelay implements RelayClient {
  readonly url = RELAY_URL;
  readonly forwarded: Forwarded[] = [];
  /** Current key per target host; tests rotate them. */
  readonly keys = new Map<string, TargetKey>();
  /** When set, every forward fails like an unreachable relay. */
  down = false;
  closed = false;

  constructor(readonly behind: MemoryTransport) {}

  async forward(
    target: RelayTarget,
    body: Uint8Array,
    options: { signal: AbortSignal },
  ): Promise<RelayAnswer> {
    if (this.down) throw new ResolverError('transport-network', `relay ${this.url}: econnrefused`);
    const key = this.keys.get(target.host);
    if (key === undefined) {
      this.forwarded.push({ host: target.host, path: target.path, status: 403, body });
      return {
        status: 403,
        contentType: 'application/json',
        body: new Uint8Array(),
        proxyStatus: 'mimi-relay; error=http_request_denied',
      };
    }
    const endpoint = { url: `https://${target.host}${target.path}`, host: target.host };
    const answer = await answerObliviousQuery(singleKey(key), body, (query) =>
      this.behind.send(endpoint, query, options),
    );
    this.forwarded.push({ host: target.host, path: target.path, status: answer.status, body });
    return { status: answer.status, contentType: answer.contentType, body: answer.body };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Unique 354-octet tokens shaped like RFC 9577 §2.2 (type 0x0002, then a counter nonce). */
export class FakeTokens implements TokenSource {
  readonly issued: Uint8Array[] = [];
  /** When set, `token()` rejects with it (an issuer out of quota, say). */
  failWith: MimiError | undefined;
  closed = false;

  async token(): Promise<Uint8Array> {
    if (this.failWith !== undefined) throw this.failWith;
    const token = new Uint8Array(354);
    token[1] = 0x02;
    new DataView(token.buffer).setUint32(2, this.issued.length + 1);
    token[6] = 0xab;
    this.issued.push(token);
    return token;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Hex of a token, to compare tokens by value. */
export function tokenHex(token: Uint8Array | undefined): string | undefined {
  return token === undefined ? undefined : Buffer.from(token).toString('hex');
}

/**
 * DESIGN §7 on `transport` (each server): a query for a name inside a CSI subtree and
 * below the zone apex (not the apex of one of its zones) needs a token, spent once per
 * server; `refuse` may refuse more (a token made for another issuer, say).
 */
export function requireTokens(
  transport: MemoryTransport,
  refuse?: (request: RecordedRequest) => string | undefined,
): void {
  const spent = new Map<QueryEngine, Set<string>>();
  transport.gate = (request, engine) => {
    if (!isInCsiSubtree(request.qname, 'mimi.arpa.') || engine.zones().includes(request.qname))
      return undefined;
    if (request.token === undefined) {
      return { code: 'token-missing', message: 'query carries no token (edns option 65001)' };
    }
    const extra = refuse?.(request);
    if (extra !== undefined) return { code: extra, message: `refused by the test (${extra})` };
    const seen = spent.get(engine) ?? new Set<string>();
    spent.set(engine, seen);
    const hex = tokenHex(request.token)!;
    if (seen.has(hex)) return { code: 'token-replayed', message: 'this dp has already spent this token' };
    seen.add(hex);
    return undefined;
  };
}
