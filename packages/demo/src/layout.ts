/**
 * The shape of a discovery network on 127.0.0.1 (DESIGN §2, §3, §9): one root DP and any
 * number of authoritative DPs, each with its host name under `nic.`, its zones (apex and
 * master file) and extra flags, plus the CSIPs whose key records go into the CSIP zone,
 * and optionally the privacy layer (DESIGN §7: an oblivious relay, a token issuer, every
 * server an ODoH target, the authoritative DPs demanding tokens).
 * The demo's layout is one value of this type (demo-layout.ts); tests make smaller ones.
 */
import { canonicalName } from '@mimi/protocol';
import { DemoError } from './errors.js';

export type ServerRole = 'root' | 'authoritative';

export interface ZoneSpec {
  readonly apex: string;
  /** Master file with the zone's SOA; a relative path is relative to the repository root. */
  readonly file: string;
}

export interface ServerSpec {
  /** Short name: files under the state directory, logs, `network.json`. */
  readonly name: string;
  readonly role: ServerRole;
  /** Host name under `nic.` (its NS target, A and `_dns` SVCB owner, TLS name; DESIGN §3). */
  readonly host: string;
  readonly zones: readonly ZoneSpec[];
  /** More command-line arguments, after the ones the network sets (e.g. `--api-rate-limit 0`). */
  readonly args?: readonly string[];
}

export interface CsipSpec {
  readonly id: string;
  readonly scope: readonly string[];
  /** Lifetime of the CSIPKEY record in days; default 730. */
  readonly days?: number;
}

/**
 * The privacy layer of DESIGN §7 and §9: `mimi-issuer` and `mimi-relay` run beside the
 * servers, every server is an ODoH target (`--odoh-keys`, its ODOHCFG record in the apex
 * overlay), and the authoritative DPs answer CSI lookups over DoH/ODoH only with a token
 * (`--require-token`). Their loopback Do53 listeners stay open without tokens.
 */
export interface PrivacySpec {
  /** Tokens per user per epoch (`mimi-issuer --quota`). */
  readonly quota: number;
  /** Issuer key and quota epoch (`mimi-issuer --epoch-seconds`). */
  readonly epochSeconds: number;
  /** More `mimi-relay` arguments, after the ones the network sets. */
  readonly relayArgs?: readonly string[];
  /** More `mimi-issuer` arguments, after the ones the network sets. */
  readonly issuerArgs?: readonly string[];
}

export interface NetworkLayout {
  /** The apex zone (DESIGN §3: `mimi.arpa.` by default); the root server serves it. */
  readonly apex: string;
  readonly servers: readonly ServerSpec[];
  readonly csips: readonly CsipSpec[];
  /** The relay, the issuer, ODoH and tokens; absent: plain DoH and Do53 only. */
  readonly privacy?: PrivacySpec;
}

/** The root server of `layout`; refuses a layout without exactly one, or with names used twice. */
export function checkLayout(layout: NetworkLayout): ServerSpec {
  const roots = layout.servers.filter((server) => server.role === 'root');
  if (roots.length !== 1) {
    throw new DemoError(
      'bad-layout',
      `a network has exactly one root server, this layout has ${roots.length}`,
    );
  }
  const root = roots[0]!;
  if (!root.zones.some((zone) => canonicalName(zone.apex) === canonicalName(layout.apex))) {
    throw new DemoError('bad-layout', `root server '${root.name}' does not serve the apex ${layout.apex}`);
  }
  const names = new Set<string>();
  for (const server of layout.servers) {
    if (names.has(server.name))
      throw new DemoError('bad-layout', `server name '${server.name}' is used twice`);
    names.add(server.name);
  }
  return root;
}
