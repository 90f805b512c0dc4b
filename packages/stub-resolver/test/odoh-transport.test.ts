/**
 * The ODoH transport alone (RFC 9230 §4.1, §7), with a scripted relay and config source:
 * what it posts and where, the one config refetch after a 401, and how every other
 * failure becomes a transport error the resolver can fail over on.
 */
import { answerObliviousQuery, openQuery, singleKey, type TargetKey } from '@mimi/odoh';
import { describe, expect, it } from 'vitest';
import {
  BogusError,
  type ConfigRequest,
  type OdohConfigSource,
  OdohTransport,
  type RelayAnswer,
  type RelayClient,
  type RelayTarget,
  ResolverError,
  relayTarget,
  UnreachableError,
} from '../src/index.js';
import { odohKey } from './helpers/privacy.js';

const ENDPOINT = { url: 'https://127.0.0.1:8444/dns-query', host: 'tel.nic.mimi.arpa' };
const QUERY = Uint8Array.from(
  Buffer.from('0000010000010000000000010377777700000100010000291000000080000000', 'hex'),
);
const ANSWER = Uint8Array.from(
  Buffer.from('0000818000010000000000000377777700000100010000291000000080000000', 'hex'),
);
const signal = () => new AbortController().signal;

/** A relay whose target holds `key`; `script` may answer instead (a status, a body). */
class ScriptedRelay implements RelayClient {
  readonly url = 'https://relay.test/proxy';
  readonly posts: { target: RelayTarget; body: Uint8Array }[] = [];
  script: ((n: number) => RelayAnswer | undefined) | undefined;

  constructor(public key: TargetKey) {}

  async forward(target: RelayTarget, body: Uint8Array): Promise<RelayAnswer> {
    this.posts.push({ target, body });
    const scripted = this.script?.(this.posts.length);
    if (scripted !== undefined) return scripted;
    const answer = await answerObliviousQuery(singleKey(this.key), body, async () => ANSWER);
    return { status: answer.status, contentType: answer.contentType, body: answer.body };
  }

  async close(): Promise<void> {}
}

class Configs implements OdohConfigSource {
  readonly requests: ConfigRequest[] = [];
  constructor(public keys: TargetKey[]) {}
  async configFor(_host: string, request: ConfigRequest) {
    this.requests.push(request);
    return this.keys[Math.min(this.requests.length, this.keys.length) - 1]!.config;
  }
}

async function failure(promise: Promise<unknown>): Promise<ResolverError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ResolverError);
  return err as ResolverError;
}

describe('OdohTransport', () => {
  it('posts to the relay by host name and path, encrypted to the config, and returns the answer', async () => {
    const key = odohKey('tel.nic.mimi.arpa');
    const relay = new ScriptedRelay(key);
    const transport = new OdohTransport(relay, new Configs([key]));
    expect(transport.encrypted).toBe(true);
    expect(transport.via).toBe('https://relay.test/proxy');
    expect(await transport.send(ENDPOINT, QUERY, { signal: signal() })).toEqual(ANSWER);
    expect(relay.posts.map((p) => p.target)).toEqual([{ host: 'tel.nic.mimi.arpa', path: '/dns-query' }]);
    expect(openQuery(singleKey(key), relay.posts[0]!.body).query).toEqual(QUERY);
  });

  it('every address of a host is one server through the relay', () => {
    const transport = new OdohTransport(new ScriptedRelay(odohKey('x')), new Configs([]));
    const key = transport.serverKey!;
    expect(key(ENDPOINT)).toBe(key({ ...ENDPOINT, url: 'https://127.0.0.2:8444/dns-query' }));
    expect(key(ENDPOINT)).toBe(key({ ...ENDPOINT, host: 'TEL.nic.mimi.arpa.' }));
    expect(key(ENDPOINT)).not.toBe(key({ ...ENDPOINT, host: 'mail.nic.mimi.arpa' }));
    expect(key(ENDPOINT)).not.toBe(key({ ...ENDPOINT, url: 'https://127.0.0.1:8444/other' }));
  });

  it('after a 401 it asks for the config again with refresh, once, and re-encrypts to it', async () => {
    const [old, fresh] = [odohKey('tel', 0), odohKey('tel', 1)];
    const relay = new ScriptedRelay(fresh);
    const configs = new Configs([old, fresh]);
    const transport = new OdohTransport(relay, configs);
    expect(await transport.send(ENDPOINT, QUERY, { signal: signal() })).toEqual(ANSWER);
    expect(configs.requests.map((r) => r.refresh)).toEqual([false, true]);
    expect(relay.posts).toHaveLength(2);
    expect(openQuery(singleKey(fresh), relay.posts[1]!.body).query).toEqual(QUERY);
  });

  it('a second 401 is an http error naming the host; no third try', async () => {
    const relay = new ScriptedRelay(odohKey('tel', 9));
    const transport = new OdohTransport(relay, new Configs([odohKey('tel', 0)]));
    const err = await failure(transport.send(ENDPOINT, QUERY, { signal: signal() }));
    expect(err.code).toBe('transport-http');
    expect(err.message).toMatch(
      /^tel\.nic\.mimi\.arpa answered http 401 through https:\/\/relay\.test\/proxy/,
    );
    expect(relay.posts).toHaveLength(2);
  });

  it.each([
    [
      {
        status: 502,
        contentType: 'application/json',
        body: new Uint8Array(),
        proxyStatus: 'mimi-relay; error=destination_unavailable',
      },
      'transport-http',
      /answered http 502 \(mimi-relay; error=destination_unavailable\)$/,
    ],
    [
      { status: 403, contentType: 'application/json', body: new Uint8Array() },
      'transport-http',
      /answered http 403$/,
    ],
    [
      { status: 200, contentType: 'application/dns-message', body: ANSWER },
      'transport-response',
      /answered with content type 'application\/dns-message'$/,
    ],
    [
      { status: 200, contentType: 'application/oblivious-dns-message', body: new Uint8Array(40) },
      'transport-response',
      /sent an odoh response that does not open: /,
    ],
  ])('relay answer %j → %s', async (answer, code, message) => {
    const relay = new ScriptedRelay(odohKey('tel'));
    relay.script = () => answer as RelayAnswer;
    const err = await failure(
      new OdohTransport(relay, new Configs([odohKey('tel')])).send(ENDPOINT, QUERY, { signal: signal() }),
    );
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('an endpoint known only by address cannot go through a relay', async () => {
    const relay = new ScriptedRelay(odohKey('x'));
    const err = await failure(
      new OdohTransport(relay, new Configs([odohKey('x')])).send(
        { url: 'https://127.0.0.1:8443/dns-query', host: '127.0.0.1' },
        QUERY,
        { signal: signal() },
      ),
    );
    expect(err.code).toBe('transport-odoh-config');
    expect(err.message).toBe(
      'a relay forwards to host names, and https://127.0.0.1:8443/dns-query names only the address 127.0.0.1',
    );
    expect(relay.posts).toEqual([]);
  });

  it('a config that cannot be had is a transport failure; a forged one stays bogus', async () => {
    const relay = new ScriptedRelay(odohKey('x'));
    const unreachable: OdohConfigSource = {
      configFor: () =>
        Promise.reject(new UnreachableError('timeout', 'no server of zone mimi.arpa. answered')),
    };
    const err = await failure(
      new OdohTransport(relay, unreachable).send(ENDPOINT, QUERY, { signal: signal() }),
    );
    expect(err.code).toBe('transport-odoh-config');
    expect(err.message).toBe('no odoh config for tel.nic.mimi.arpa: no server of zone mimi.arpa. answered');
    const forged: OdohConfigSource = {
      configFor: () => Promise.reject(new BogusError('bad-signature', 'rrsig does not verify')),
    };
    await expect(
      new OdohTransport(relay, forged).send(ENDPOINT, QUERY, { signal: signal() }),
    ).rejects.toBeInstanceOf(BogusError);
    expect(relay.posts).toEqual([]);
  });

  it('relayTarget drops a trailing dot and keeps the DoH path', () => {
    expect(relayTarget({ url: 'https://10.0.0.1/q/dns', host: 'dp.nic.mimi.arpa.' })).toEqual({
      host: 'dp.nic.mimi.arpa',
      path: '/q/dns',
    });
  });
});
