// The demo network validated by other people's software (issue "servers", DESIGN §5, §9):
// a stock unbound with only .mimi/trust-anchor.txt and stub zones at the servers' Do53
// ports must reach "secure" (AD) for every seeded mapping and for both denials, and
// kdig must read a NAPTR answer over DoH.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningNetwork, SEEDS, startNetwork } from '@mimi/demo';
import { csiOwnerName, normalizeCsi } from '@mimi/protocol';
import { networkTokens, type RunningUnbound, requireTools, runTool, startUnbound } from '@mimi/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tools = requireTools('unbound', 'dig', 'kdig');

function owner(csi: string): string {
  return csiOwnerName(normalizeCsi(csi), 'mimi.arpa.');
}

interface DigAnswer {
  status: string;
  flags: string[];
  answers: string[];
}

/** `dig +dnssec` through unbound, parsed just enough: status, header flags, answer lines. */
function dig(port: number, name: string, type: string): DigAnswer {
  const { stdout, status } = runTool(tools.paths.dig!, [
    '@127.0.0.1',
    '-p',
    String(port),
    '+dnssec',
    '+time=5',
    '+tries=1',
    name,
    type,
  ]);
  expect(status).toBe(0);
  const header = /status: (\w+)/.exec(stdout);
  const flags = /flags: ([a-z ]+);/.exec(stdout);
  const answerSection = stdout.split(';; ANSWER SECTION:\n')[1]?.split('\n\n')[0] ?? '';
  return {
    status: header?.[1] ?? 'none',
    flags: flags?.[1]?.trim().split(/\s+/) ?? [],
    answers: answerSection.split('\n').filter((l) => l && !l.startsWith(';')),
  };
}

describe.skipIf(tools.skipReason !== undefined)('unbound validates the demo network', () => {
  let network: RunningNetwork;
  let unbound: RunningUnbound;

  beforeAll(async () => {
    network = await startNetwork({ stateDir: mkdtempSync(join(tmpdir(), 'mimi-demo-')), repoRoot });
    unbound = await startUnbound({
      unboundPath: tools.paths.unbound!,
      trustAnchorFile: network.paths.trustAnchor,
      stubZones: network.network.servers.flatMap((s) => s.zones.map((zone) => ({ zone, do53: s.do53 }))),
    });
  }, 120_000);

  afterAll(async () => {
    await unbound?.stop();
    await network?.stop();
  });

  const withMappings = SEEDS.filter((s) => s.mappings.length > 0);

  it.each(withMappings.map((s) => [s.csi, s.mappings.length]))(
    'MSPMAP of %s is secure with %i record(s)',
    (csi, count) => {
      const answer = dig(unbound.port, owner(csi), 'TYPE65280');
      expect(answer.status).toBe('NOERROR');
      expect(answer.flags).toContain('ad');
      expect(answer.answers.filter((l) => /\sIN\s+TYPE65280\s/.test(l))).toHaveLength(count);
    },
  );

  it.each(withMappings.map((s) => [s.csi]))('NAPTR view of %s is secure', (csi) => {
    const answer = dig(unbound.port, owner(csi), 'NAPTR');
    expect(answer.status).toBe('NOERROR');
    expect(answer.flags).toContain('ad');
    const seed = SEEDS.find((s) => s.csi === csi)!;
    const msps = seed.mappings.flatMap((m) => m.msps.map((x) => x.msp));
    for (const msp of msps) expect(answer.answers.join('\n')).toContain(`mimi:${msp}!`);
  });

  it.each([['+447700900999'], ['+33123456789']])('%s is a secure denial (no mapping)', (csi) => {
    const answer = dig(unbound.port, owner(csi), 'TYPE65280');
    expect(answer.status).toBe('NOERROR');
    expect(answer.flags).toContain('ad');
    expect(answer.answers).toHaveLength(0);
  });

  it('CSIP keys are secure', () => {
    const answer = dig(unbound.port, 'uk-carrier.csip.mimi.arpa.', 'TYPE65281');
    expect(answer.flags).toContain('ad');
    expect(answer.answers.filter((l) => /\sIN\s+TYPE65281\s/.test(l))).toHaveLength(1);
  });

  it('the same unbound with a wrong trust anchor refuses the answers (SERVFAIL)', async () => {
    // One digest nibble changed: if unbound were not validating, this would still answer.
    const line = readFileSync(network.paths.trustAnchor, 'utf8').trim();
    const wrong = line.replace(/([0-9a-f])$/, (d) => (d === '0' ? '1' : '0'));
    const file = join(mkdtempSync(join(tmpdir(), 'mimi-anchor-')), 'wrong-anchor.txt');
    writeFileSync(file, `${wrong}\n`);
    const strict = await startUnbound({
      unboundPath: tools.paths.unbound!,
      trustAnchorFile: file,
      stubZones: network.network.servers.flatMap((s) => s.zones.map((zone) => ({ zone, do53: s.do53 }))),
    });
    try {
      const answer = dig(strict.port, owner('+447700900123'), 'TYPE65280');
      expect(answer.status).toBe('SERVFAIL');
      expect(answer.answers).toHaveLength(0);
    } finally {
      await strict.stop();
    }
  });

  it('kdig reads a NAPTR answer over DoH (RFC 8484), with a token in EDNS option 65001', async () => {
    const tel = network.network.servers.find((s) => s.name === 'tel')!;
    // The demo's DPs want a Privacy Pass token for a CSI lookup over DoH (DESIGN §7).
    const tokens = networkTokens(network.privacy!, readFileSync(network.network.ca));
    const token = Buffer.from(await tokens.token()).toString('hex');
    await tokens.close();
    const port = new URL(tel.doh).port;
    const { stdout, status } = runTool(tools.paths.kdig!, [
      '@127.0.0.1',
      '-p',
      port,
      '+https=/dns-query',
      `+tls-ca=${network.network.ca}`,
      '+tls-hostname=tel.nic.mimi.arpa',
      '+dnssec',
      `+ednsopt=65001:${token}`,
      owner('+447700900123'),
      'NAPTR',
    ]);
    expect(status).toBe(0);
    expect(stdout).toContain('status: NOERROR');
    expect(stdout).toMatch(/NAPTR\s+10 0 "U" "E2U\+mimi:Personal" "!\^\.\*\$!mimi:whatsapp\.example!" \./);
  });
});
