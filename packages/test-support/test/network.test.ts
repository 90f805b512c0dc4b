// startTestNetwork: the shared launcher (@mimi/demo) on a test layout in a directory it
// makes and removes, or in one the caller gives and keeps.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestNetwork } from '../src/network.js';
import { AUTHORITATIVE_MAIN, DEFAULT_AUTHORITATIVES, ROOT_MAIN } from '../src/network-layout.js';
import { TestNetworkError } from '../src/server-process.js';

const built = existsSync(ROOT_MAIN) && existsSync(AUTHORITATIVE_MAIN);
const NOW = Math.floor(Date.now() / 1000);

describe.skipIf(!built)('startTestNetwork', () => {
  it('starts the root and the asked-for DPs and CSIPs, then removes its directory on stop', async () => {
    const net = await startTestNetwork({
      authoritatives: [DEFAULT_AUTHORITATIVES[1]!],
      csips: [{ id: 'test-csip', scope: ['+99'], days: 1 }],
      rootArgs: ['--rate-limit', '500'],
    });
    try {
      expect(net.root.name).toBe('root');
      expect(net.authoritatives.map((s) => s.name)).toEqual(['mail']);
      // No privacy layer unless asked for: no relay, no issuer, plain client.json.
      expect(net.privacy).toBeNull();
      expect(net.processes.map((p) => p.name)).toEqual(['root', 'mail']);
      expect(JSON.parse(readFileSync(net.clientConfigFile, 'utf8'))).toMatchObject({
        relay: null,
        issuer: null,
      });
      expect(net.root.process.args).not.toContain('--odoh-keys');
      expect(net.authoritative('mail')).toBe(net.authoritatives[0]);
      expect(() => net.authoritative('tel')).toThrow(TestNetworkError);
      expect(() => net.authoritative('tel')).toThrow("no authoritative dp named 'tel'");
      expect([...net.csips.keys()]).toEqual(['test-csip']);
      const csip = net.csips.get('test-csip')!;
      expect(csip.exp - NOW).toBeGreaterThanOrEqual(86_400);
      expect(csip.exp - NOW).toBeLessThan(86_400 + 600);
      expect(existsSync(csip.keyFile)).toBe(true);
      expect(net.do53Zones()).toEqual([
        { zone: 'mimi.arpa.', do53: net.root.do53 },
        { zone: 'csip.mimi.arpa.', do53: net.root.do53 },
        { zone: 'example.com.email.mimi.arpa.', do53: net.authoritatives[0]!.do53 },
      ]);
      expect(net.ca).toBe(readFileSync(net.caFile, 'utf8'));
      expect(readFileSync(net.trustAnchorFile, 'utf8')).toBe(`${net.trustAnchor}\n`);
      expect(JSON.parse(readFileSync(net.clientConfigFile, 'utf8')).roots).toEqual([net.root.doh]);
      expect(readFileSync(net.csipOverlayFile, 'utf8')).toContain(
        'test-csip.csip.mimi.arpa. 3600 IN CSIPKEY',
      );
      expect(readFileSync(net.rootOverlayFile, 'utf8')).toContain(
        'example.com.email.mimi.arpa. 3600 IN NS mail.nic',
      );
      // The root's extra flags come last on its command line.
      expect(net.root.process.args.slice(-2)).toEqual(['--rate-limit', '500']);
    } finally {
      await net.stop();
    }
    expect(existsSync(net.dir)).toBe(false);
  }, 120_000);

  it('keeps a directory the caller gave', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimi-given-'));
    const net = await startTestNetwork({ dir, authoritatives: [] });
    expect(net.dir).toBe(dir);
    expect(net.authoritatives).toEqual([]);
    await net.stop();
    expect(await net.root.process.exit()).toBe(0);
    expect(existsSync(join(dir, 'network.json'))).toBe(true);
  }, 120_000);
});
