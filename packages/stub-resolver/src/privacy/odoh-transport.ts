/**
 * Oblivious DoH (RFC 9230) behind the stub's Transport interface: every query is
 * encrypted to the target server's ODoH config (HPKE, RFC 9180) and posted to the relay,
 * which forwards it to the target by host name (DESIGN §7). The relay sees the client
 * and the target host, never the query; the target sees the query, never the client.
 *
 *   client ──POST /proxy?targethost=<endpoint.host>&targetpath=<endpoint path>──▶ relay ──▶ target
 *
 * Queries are padded inside the encryption to 128-octet blocks (RFC 9230 §11 → RFC 8467
 * §4.1); targets pad responses to 468. A 401 means the target no longer holds the key of
 * the config used (RFC 9230 §4.3, §7): the config is fetched again, once, and the query
 * re-encrypted to it.
 */
import { isIP } from 'node:net';
import { isMimiError } from '@mimi/errors';
import {
  decryptResponse,
  encryptQuery,
  type ObliviousDoHConfigContents,
  ODOH_MEDIA_TYPE,
  QUERY_PADDING_BLOCK,
} from '@mimi/odoh';
import { ResolverError } from '../errors.js';
import { BogusError } from '../outcomes.js';
import type { Endpoint, SendOptions, Transport } from '../transport/transport.js';
import type { OdohConfigSource } from './odoh-configs.js';
import type { RelayAnswer, RelayClient, RelayTarget } from './relay-client.js';

/** RFC 9230 §4.3: "a 401 ... if the target cannot decrypt ... because of a key mismatch". */
const STATUS_UNKNOWN_KEY = 401;

export class OdohTransport implements Transport {
  /** HPKE end to end to the target: tokens may travel in these queries. */
  readonly encrypted = true;
  readonly via: string;

  constructor(
    private readonly relay: RelayClient,
    private readonly configs: OdohConfigSource,
  ) {
    this.via = relay.url;
  }

  /** The relay reaches a host by name, whatever address the endpoint's URL holds. */
  serverKey(endpoint: Endpoint): string {
    let path = endpoint.url;
    try {
      path = new URL(endpoint.url).pathname;
    } catch {
      // send() reports the bad URL
    }
    return `${endpoint.host.toLowerCase().replace(/\.$/, '')} ${path}`;
  }

  async send(endpoint: Endpoint, query: Uint8Array, options: SendOptions): Promise<Uint8Array> {
    const target = relayTarget(endpoint);
    const first = await this.exchange(target, query, options, false);
    if (first !== STATUS_UNKNOWN_KEY) return first;
    const second = await this.exchange(target, query, options, true);
    if (second !== STATUS_UNKNOWN_KEY) return second;
    throw new ResolverError(
      'transport-http',
      `${target.host} answered http 401 through ${this.relay.url}: it does not know the key of its own published odoh config`,
      { details: { status: STATUS_UNKNOWN_KEY, host: target.host } },
    );
  }

  /** The relay client belongs to whoever made it (the resolver closes its own). */
  async close(): Promise<void> {}

  /** One encrypted round trip: the DNS response, or 401 when the target did not know the key. */
  private async exchange(
    target: RelayTarget,
    query: Uint8Array,
    options: SendOptions,
    refresh: boolean,
  ): Promise<Uint8Array | typeof STATUS_UNKNOWN_KEY> {
    const config = await this.config(target.host, options, refresh);
    const { request, context } = encryptQuery(config, query, { paddingTo: QUERY_PADDING_BLOCK });
    const answer = await this.relay.forward(target, request, { signal: options.signal });
    if (answer.status === STATUS_UNKNOWN_KEY) return STATUS_UNKNOWN_KEY;
    checkAnswer(answer, target, this.relay.url);
    try {
      return decryptResponse(context, answer.body);
    } catch (err) {
      if (!isMimiError(err)) throw err;
      throw new ResolverError(
        'transport-response',
        `${target.host} sent an odoh response that does not open: ${err.message}`,
        { cause: err, details: { host: target.host } },
      );
    }
  }

  private async config(
    host: string,
    options: SendOptions,
    refresh: boolean,
  ): Promise<ObliviousDoHConfigContents> {
    try {
      return await this.configs.configFor(host, {
        signal: options.signal,
        refresh,
        ...(options.trace === undefined ? {} : { trace: options.trace }),
      });
    } catch (err) {
      // A forged record is bogus for the whole resolution; an abort stays an abort.
      if (err instanceof BogusError) throw err;
      if (err instanceof ResolverError && err.code === 'aborted') throw err;
      if (!isMimiError(err)) throw err;
      throw new ResolverError('transport-odoh-config', `no odoh config for ${host}: ${err.message}`, {
        cause: err,
        details: { host },
      });
    }
  }
}

/** The relay routes by host name (DESIGN §7 `targethost=<host name>`), and the path is the DoH path. */
export function relayTarget(endpoint: Endpoint): RelayTarget {
  if (isIP(endpoint.host) !== 0) {
    throw new ResolverError(
      'transport-odoh-config',
      `a relay forwards to host names, and ${endpoint.url} names only the address ${endpoint.host}`,
      { details: { url: endpoint.url } },
    );
  }
  let path: string;
  try {
    path = new URL(endpoint.url).pathname;
  } catch (cause) {
    throw new ResolverError('transport-network', `endpoint url '${endpoint.url}' is not a url`, { cause });
  }
  return { host: endpoint.host.replace(/\.$/, ''), path };
}

function checkAnswer(answer: RelayAnswer, target: RelayTarget, relay: string): void {
  if (answer.status !== 200) {
    const why = answer.proxyStatus === undefined ? '' : ` (${answer.proxyStatus})`;
    throw new ResolverError(
      'transport-http',
      `${target.host} through ${relay} answered http ${answer.status}${why}`,
      { details: { status: answer.status, host: target.host, relay } },
    );
  }
  if (answer.contentType !== ODOH_MEDIA_TYPE) {
    throw new ResolverError(
      'transport-response',
      `${target.host} through ${relay} answered with content type '${answer.contentType}'`,
      { details: { host: target.host, relay } },
    );
  }
}
