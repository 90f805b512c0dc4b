/**
 * Layouts of test networks (DESIGN §9, smaller if a test asks): the demo's root DP and
 * CSIPs with any of its authoritative DPs, and where the built server programs are.
 * The network itself is started by @mimi/demo's `launchNetwork`, as `npm start` does.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APEX,
  CSIPS,
  type CsipSpec,
  type NetworkCsip,
  type NetworkLayout,
  type PrivacySpec,
  programPath,
  SERVERS,
  type ServerSpec,
} from '@mimi/demo';

/** The repository root (this file is packages/test-support/{src,dist}/network-layout.*). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ROOT_MAIN = programPath(REPO_ROOT, 'root');
export const AUTHORITATIVE_MAIN = programPath(REPO_ROOT, 'authoritative');

export type { CsipSpec, PrivacySpec, ZoneSpec } from '@mimi/demo';

/** An authoritative DP of a test network (its role is implied). */
export type AuthoritativeSpec = Omit<ServerSpec, 'role'>;

/** A CSIP of a running test network, with its key (`keyFile` is PKCS#8 PEM, mode 0600). */
export type TestCsip = NetworkCsip;

/** DESIGN §9's authoritative DPs: `tel` for +44 and +1, `mail` for example.com. */
export const DEFAULT_AUTHORITATIVES: readonly AuthoritativeSpec[] = SERVERS.filter(
  (server) => server.role === 'authoritative',
).map(({ role: _role, ...spec }) => spec);

/** DESIGN §9's CSIPs. */
export const DEFAULT_CSIPS: readonly CsipSpec[] = CSIPS;

/**
 * The demo's root DP with `rootArgs`, the given authoritative DPs and CSIPs, and the
 * privacy layer (relay, issuer, ODoH, tokens) only when asked for.
 */
export function testLayout(
  authoritatives: readonly AuthoritativeSpec[],
  csips: readonly CsipSpec[],
  rootArgs: readonly string[] = [],
  privacy?: PrivacySpec,
): NetworkLayout {
  const root = SERVERS.find((server) => server.role === 'root')!;
  return {
    apex: APEX,
    servers: [
      { ...root, args: rootArgs },
      ...authoritatives.map((spec): ServerSpec => ({ ...spec, role: 'authoritative' })),
    ],
    csips,
    ...(privacy === undefined ? {} : { privacy }),
  };
}
