/**
 * The network of the privacy benchmark: ONE network started with the privacy layer
 * (startTestNetwork of @mimi/test-support: relay, issuer, every server an ODoH target,
 * the authoritative DP started with `--require-token`) — the root DP and one DP `tel`
 * for `4.4.e164.mimi.arpa.` (+44) — plus two processes this module adds so that the
 * same network can be asked without tokens (a DP with `--require-token` refuses a CSI
 * lookup without one, over DoH and ODoH alike, and has no flag to turn it off):
 *
 * - `open`: a replica of `tel` — the same program, zone files, zone keys (so the same
 *   DNSSEC chain and DS), TLS certificate and ODoH key ring (a copy), its own SQLite
 *   store — started without the token flags, on its own port;
 * - `relay-open`: a second `mimi-relay`, the same command line as the network's relay
 *   but whose targets file sends `tel.nic.mimi.arpa` to the replica.
 *
 * The three modes (DESIGN §7; docs/PRIVACY.md):
 *   direct        — direct DoH, no tokens: the stub's DoH transport with the DP's
 *                   endpoint redirected to the replica (privacy-stub.mjs);
 *   relay         — ODoH through `relay-open`, no tokens (to the replica);
 *   relay-tokens  — ODoH through the network's relay with tokens: client.json as the
 *                   demo writes it (the demo default), to `tel`.
 * Every mode walks from the same root DP. Limits are off (`--rate-limit 0
 * --miss-rate-limit 0`, relay `--rate 0`): the benchmark is one client. The issuer's
 * quota is raised for this network only (`--quota`); its default stays 100 per epoch.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerProcess } from '@mimi/demo';
import { DEFAULT_APEX as APEX } from '@mimi/protocol';
import { startTestNetwork } from '@mimi/test-support';
import { BenchError } from './lib/errors.mjs';
import { MODES } from './privacy-plan.mjs';
import { CSIP_ID, DP_ZONE, stateParent } from './resolver-network.mjs';

export const DP_HOST = `tel.nic.${APEX}`;
const NO_LIMITS = ['--rate-limit', '0', '--miss-rate-limit', '0'];
const STARTUP_MS = 60_000;

/** `args` with the value after `flag` replaced (BenchError when the flag is missing). */
export function replaceFlag(args, flag, value) {
  const index = args.indexOf(flag);
  if (index === -1 || index === args.length - 1) {
    throw new BenchError('bad-command-line', `command line has no ${flag} value`);
  }
  return [...args.slice(0, index + 1), value, ...args.slice(index + 2)];
}

/** `args` without the token flags of DESIGN §8 (`--require-token --token-issuer URL --token-ca FILE`). */
export function withoutTokenFlags(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--require-token') continue;
    if (args[i] === '--token-issuer' || args[i] === '--token-ca') {
      i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/** The client.json of each mode: the demo's file, changed only where the mode differs. */
export function modeConfigs(demoConfig, { relayOpenUrl, dpDoh, openDoh }) {
  const noTokens = { ...demoConfig, issuer: null, issuerAuth: null };
  return {
    direct: {
      ...noTokens,
      relay: null,
      benchRedirect: { from: new URL(dpDoh).origin, to: new URL(openDoh).origin },
    },
    relay: { ...noTokens, relay: relayOpenUrl },
    'relay-tokens': demoConfig,
  };
}

async function startOpenReplica(network, dir) {
  const tel = network.authoritatives[0];
  let args = withoutTokenFlags([...tel.process.args]);
  args = replaceFlag(args, '--listen', '127.0.0.1:0');
  args = replaceFlag(args, '--do53', '127.0.0.1:0');
  args = replaceFlag(args, '--db', join(dir, 'open.sqlite'));
  const ring = join(dir, 'open-odoh-keys.json');
  copyFileSync(args[args.indexOf('--odoh-keys') + 1], ring);
  args = replaceFlag(args, '--odoh-keys', ring);
  const child = ServerProcess.spawn('open', tel.process.script, args, { logFile: join(dir, 'open.log') });
  try {
    const listening = await child.started(STARTUP_MS);
    return { process: child, doh: listening.doh, api: new URL(listening.doh).origin };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

async function startOpenRelay(network, dir, openDoh) {
  const relay = network.privacy.relay.process;
  const targets = JSON.parse(readFileSync(relay.args[relay.args.indexOf('--targets') + 1], 'utf8'));
  const host = DP_HOST.replace(/\.$/, '');
  if (targets[host] === undefined) throw new BenchError('bad-network', `relay targets have no ${host}`);
  targets[host] = new URL(openDoh).host;
  const targetsFile = join(dir, 'relay-open-targets.json');
  writeFileSync(targetsFile, `${JSON.stringify(targets, null, 2)}\n`);
  let args = replaceFlag([...relay.args], '--listen', '127.0.0.1:0');
  args = replaceFlag(args, '--targets', targetsFile);
  const child = ServerProcess.spawn('relay-open', relay.script, args, {
    logFile: join(dir, 'relay-open.log'),
  });
  try {
    const line = await child.waitForLog(
      (l) => l.event === 'listening' && typeof l.url === 'string',
      STARTUP_MS,
    );
    return { process: child, url: line.url };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

/**
 * Start everything; resolves with {network, open, relayOpen, configFiles (mode → path),
 * sides (name → pid), stop()}. `quota`: the issuer's tokens per user per epoch.
 */
export async function startPrivacyNetwork({ quota }) {
  const dir = mkdtempSync(join(stateParent(), 'mimi-bench-privacy-'));
  const extra = [];
  let network;
  const stop = async () => {
    await Promise.all(extra.map((child) => child.stop()));
    await network?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    network = await startTestNetwork({
      dir: join(dir, 'network'),
      authoritatives: [
        {
          name: 'tel',
          host: DP_HOST,
          zones: [{ apex: DP_ZONE, file: 'zones/4.4.e164.zone' }],
          args: [...NO_LIMITS, '--api-rate-limit', '0'],
        },
      ],
      csips: [{ id: CSIP_ID, scope: ['+44'] }],
      rootArgs: NO_LIMITS,
      privacy: { quota, epochSeconds: 3600, relayArgs: ['--rate', '0'] },
    });
    const open = await startOpenReplica(network, dir);
    extra.push(open.process);
    const relayOpen = await startOpenRelay(network, dir, open.doh);
    extra.push(relayOpen.process);
    const demoConfig = JSON.parse(readFileSync(network.clientConfigFile, 'utf8'));
    const configs = modeConfigs(demoConfig, {
      relayOpenUrl: relayOpen.url,
      dpDoh: network.authoritatives[0].doh,
      openDoh: open.doh,
    });
    const configFiles = {};
    for (const mode of MODES) {
      configFiles[mode] = join(dir, `client-${mode}.json`);
      writeFileSync(configFiles[mode], `${JSON.stringify(configs[mode], null, 2)}\n`, { mode: 0o600 });
    }
    const sides = {
      root: network.root.process.pid,
      tel: network.authoritatives[0].process.pid,
      open: open.process.pid,
      relay: network.privacy.relay.process.pid,
      'relay-open': relayOpen.process.pid,
      issuer: network.privacy.issuer.process.pid,
    };
    return { network, open, relayOpen, configFiles, sides, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
