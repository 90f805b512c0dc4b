/**
 * The resolver module the privacy benchmark hands to its bulk workers (the `stubModule`
 * of resolver-bulk-worker.mjs) and uses itself: @mimi/stub-resolver's loadClientConfig
 * and createResolver, plus one benchmark-only key of the client file, `benchRedirect`
 * `{from, to}` (origins), for mode `direct`: the DoH transport sends what the stub
 * addresses to `from` (the token-checking DP) to `to` (its replica without the token
 * check), keeping the TLS name. Everything else — the walk, DNSSEC, caches, endpoint
 * discovery through `_dns` SVCB — is the stub's own. Unknown keys of client.json are
 * ignored by the stub (DESIGN §8), so the same file loads in both.
 */
import { readFileSync } from 'node:fs';
import {
  DohTransport,
  createResolver as stubCreateResolver,
  loadClientConfig as stubLoad,
} from '@mimi/stub-resolver';

/** A Transport that rewrites one origin of endpoint URLs to another and forwards. */
export class RedirectTransport {
  constructor(inner, { from, to }) {
    this.inner = inner;
    this.from = new URL(from).origin;
    this.to = new URL(to).origin;
    this.encrypted = inner.encrypted;
    /** How many sends were redirected: a run that redirected nothing measured the wrong DP. */
    this.redirected = 0;
  }

  target(endpoint) {
    const url = new URL(endpoint.url);
    if (url.origin !== this.from) return endpoint;
    return { ...endpoint, url: `${this.to}${url.pathname}${url.search}` };
  }

  send(endpoint, query, options) {
    const target = this.target(endpoint);
    if (target !== endpoint) this.redirected++;
    return this.inner.send(target, query, options);
  }

  close() {
    return this.inner.close();
  }
}

export function loadClientConfig(path) {
  const config = stubLoad(path);
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  return raw.benchRedirect === undefined ? config : { ...config, benchRedirect: raw.benchRedirect };
}

export function createResolver(config, components = {}) {
  if (config.benchRedirect === undefined || components.transport !== undefined) {
    return stubCreateResolver(config, components);
  }
  const ca = config.ca ? readFileSync(config.ca, 'utf8') : undefined;
  const transport = new RedirectTransport(new DohTransport({ ca }), config.benchRedirect);
  const resolver = stubCreateResolver(config, { ...components, transport });
  // The resolver does not close a transport it was handed.
  const close = resolver.close.bind(resolver);
  resolver.close = async () => {
    await close();
    await transport.close();
  };
  resolver.redirects = () => transport.redirected;
  return resolver;
}
