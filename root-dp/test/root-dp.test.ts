/**
 * mimi-root as the binary an operator runs (DESIGN §2, §3, §8): its start-up lines,
 * the referral to a delegated prefix (NS + DS + the server's address and `_dns` SVCB
 * endpoint, RFC 9461), the CSIP key zone, REFUSED outside its zones, FORMERR for
 * malformed queries, and the start-up refusals (exit 2) for unsafe key files.
 */
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildEdns,
  decodeCsipKeyRecord,
  decodeMessage,
  encodeMessage,
  formatRecord,
  NO_FLAGS,
  type ResourceRecord,
  RRType,
} from '@mimi/protocol';
import {
  DEFAULT_AUTHORITATIVES,
  dohQuery,
  httpsRequest,
  ROOT_MAIN,
  ServerProcess,
  startTestNetwork,
  type TestNetwork,
  udpExchange,
} from '@mimi/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let net: TestNetwork;
beforeAll(async () => {
  net = await startTestNetwork({ authoritatives: [DEFAULT_AUTHORITATIVES[0]!] });
});
afterAll(async () => {
  await net?.stop();
});

const lines = (records: readonly ResourceRecord[], type: number) =>
  records.filter((record) => record.type === type).map((record) => formatRecord(record));

function query(name: string, type: number, id = 0x1234): Uint8Array {
  return encodeMessage({
    id,
    flags: NO_FLAGS,
    questions: [{ name, type, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: buildEdns({ do: true }),
  });
}

describe('start-up', () => {
  it('logs where it listens and the DS line of each zone it serves', () => {
    const root = net.root.process;
    const listening = root.lines.find((line) => line.msg === 'listening')!;
    expect(listening.doh).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/dns-query$/);
    expect(listening.do53).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(listening.zones).toEqual(['mimi.arpa.', 'csip.mimi.arpa.']);
    const keys = root.lines.filter((line) => line.msg === 'zone key');
    expect(keys.map((line) => line.zone)).toEqual(['mimi.arpa.', 'csip.mimi.arpa.']);
    expect(keys[0]!.ds).toBe(net.trustAnchor);
    expect(keys[1]!.ds).toMatch(/^csip\.mimi\.arpa\. 3600 IN DS \d+ 15 2 [0-9a-f]{64}$/);
  });
});

describe('answers', () => {
  it('refers a CSI name to its authoritative DP with NS, DS and the DoH endpoint', async () => {
    const response = await dohQuery(net.root.doh, net.ca, {
      name: '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
      type: RRType.MSPMAP,
    });
    const tel = net.authoritative('tel');
    const telDs = tel.process.lines.find(
      (line) => line.msg === 'zone key' && line.zone === '4.4.e164.mimi.arpa.',
    );
    expect(response.flags.rcode).toBe(0);
    expect(response.flags.aa).toBe(false);
    expect(response.answers).toEqual([]);
    expect(lines(response.authorities, RRType.NS)).toEqual([
      '4.4.e164.mimi.arpa. 3600 IN NS tel.nic.mimi.arpa.',
    ]);
    expect(lines(response.authorities, RRType.DS)).toEqual([telDs!.ds]);
    expect(lines(response.authorities, RRType.RRSIG)).toEqual([expect.stringMatching(/ IN RRSIG DS 15 5 /)]);
    expect(lines(response.additionals, RRType.A)).toEqual(['tel.nic.mimi.arpa. 3600 IN A 127.0.0.1']);
    // The SVCB port is the one the DP chose at start-up: the overlay rewrite + SIGHUP took effect.
    expect(lines(response.additionals, RRType.SVCB)).toEqual([
      `_dns.tel.nic.mimi.arpa. 3600 IN SVCB 1 tel.nic.mimi.arpa. alpn=h2 port=${new URL(tel.doh).port} dohpath=/dns-query{?dns}`,
    ]);
  });

  it('answers the DS of a delegated zone itself, authoritatively', async () => {
    const response = await dohQuery(net.root.doh, net.ca, { name: '4.4.e164.mimi.arpa.', type: RRType.DS });
    expect(response.flags.aa).toBe(true);
    expect(lines(response.answers, RRType.DS)).toHaveLength(1);
  });

  it('serves the CSIP key records from the csip zone', async () => {
    const response = await dohQuery(net.root.doh, net.ca, {
      name: 'uk-carrier.csip.mimi.arpa.',
      type: RRType.CSIPKEY,
    });
    expect(response.flags.aa).toBe(true);
    const records = response.answers.filter((record) => record.type === RRType.CSIPKEY);
    expect(records.map((record) => decodeCsipKeyRecord(record.rdata))).toEqual([
      expect.objectContaining({
        id: 'uk-carrier',
        scope: ['+44'],
        pk: net.csips.get('uk-carrier')!.publicKey,
      }),
    ]);
    expect(lines(response.answers, RRType.RRSIG)).toEqual([expect.stringMatching(/ csip\.mimi\.arpa\. /)]);
  });

  it('refuses names outside its zones (REFUSED over Do53 and DoH)', async () => {
    const udp = decodeMessage((await udpExchange(net.root.do53!, query('example.org.', RRType.A)))!);
    expect(udp.flags.rcode).toBe(5);
    const doh = await dohQuery(net.root.doh, net.ca, { name: 'example.org.', type: RRType.A });
    expect(doh.flags.rcode).toBe(5);
  });

  it('answers FORMERR to a malformed query over Do53, echoing its id, and 400 over DoH', async () => {
    // Header claiming two questions, and no question at all.
    const malformed = Uint8Array.from([0xbe, 0xef, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0]);
    const answer = (await udpExchange(net.root.do53!, malformed))!;
    expect(answer.readUInt16BE(0)).toBe(0xbeef);
    expect(answer[3]! & 0x0f).toBe(1);
    const doh = await httpsRequest(net.root.doh, {
      method: 'POST',
      headers: { 'content-type': 'application/dns-message' },
      body: malformed,
      ca: net.ca,
    });
    expect(doh.status).toBe(400);
    // The server is still answering.
    const after = await dohQuery(net.root.doh, net.ca, { name: 'mimi.arpa.', type: RRType.SOA });
    expect(after.flags.rcode).toBe(0);
  });
});

describe('refusals at start-up (exit 2, one line)', () => {
  function rootArgs(keyDir: string): string[] {
    const args = [...net.root.process.args];
    args[args.indexOf('--key-dir') + 1] = keyDir;
    return args;
  }

  it.each(['640', '604'])('refuses a zone key file with mode %s', async (octal) => {
    const mode = Number.parseInt(octal, 8);
    const keyDir = join(net.dir, `keys-mode-${octal}`);
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    for (const file of ['mimi.arpa.key', 'csip.mimi.arpa.key']) {
      copyFileSync(join(net.root.keyDir, file), join(keyDir, file));
      chmodSync(join(keyDir, file), 0o600);
    }
    chmodSync(join(keyDir, 'mimi.arpa.key'), mode);
    const child = ServerProcess.spawn('mimi-root unsafe key', ROOT_MAIN, rootArgs(keyDir));
    expect(await child.exit()).toBe(2);
    expect(child.stderr).toMatch(/^mimi-root: key file .*mimi\.arpa\.key is accessible by group or others/);
    expect(child.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a zone file that does not load', async () => {
    const args = rootArgs(net.root.keyDir);
    args.splice(args.indexOf('--zone') + 1, 0, join(net.dir, 'no-such.zone'));
    const child = ServerProcess.spawn('mimi-root missing zone', ROOT_MAIN, args);
    expect(await child.exit()).toBe(2);
    expect(child.stderr).toContain('no-such.zone');
  });

  it('refuses --do53 on a public address without --do53-public', async () => {
    const args = rootArgs(net.root.keyDir);
    args[args.indexOf('--do53') + 1] = '0.0.0.0:0';
    const child = ServerProcess.spawn('mimi-root public do53', ROOT_MAIN, args);
    expect(await child.exit()).toBe(2);
    expect(child.stderr).toContain('--do53-public');
  });

  it('prints --help and exits 0', async () => {
    const child = ServerProcess.spawn('mimi-root help', ROOT_MAIN, ['--help']);
    expect(await child.exit()).toBe(0);
    const text = child.lines.map((line) => String(line.text ?? '')).join('\n');
    expect(text).toContain('usage: mimi-root');
    expect(text).toContain('--key-dir DIR');
  });
});
