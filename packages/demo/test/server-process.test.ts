// ServerProcess: the child-process contract both the demo and the tests rely on — the
// `listening` line, SIGHUP reload, SIGTERM stop, start-up failures with their stderr.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoError } from '../src/errors.js';
import { ServerProcess } from '../src/server-process.js';
import { fakeCheckout } from './helpers/fake-checkout.js';

const checkout = fakeCheckout();
const LISTENER = join(checkout, 'root-dp', 'dist', 'main.js');
const REFUSER = join(checkout, 'authoritative-dp', 'dist', 'main.js');
const started: ServerProcess[] = [];

function spawn(script: string, args: string[], logFile?: string): ServerProcess {
  const child = ServerProcess.spawn('fake', script, args, logFile === undefined ? {} : { logFile });
  started.push(child);
  return child;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.stop()));
});

describe('ServerProcess', () => {
  it('reads the listening line, keeps every line (non-JSON ones as text), and copies them to the log', async () => {
    const log = join(checkout, 'listener.log');
    const child = spawn(LISTENER, ['--listen', '127.0.0.1:0', '--do53', '127.0.0.1:5353'], log);
    const listening = await child.started();
    expect(listening.doh).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/dns-query$/);
    expect(listening.do53).toBe('127.0.0.1:5353');
    expect(child.lines[0]).toEqual({ msg: '<not json>', text: 'not json at all' });
    expect(child.args).toEqual(['--listen', '127.0.0.1:0', '--do53', '127.0.0.1:5353']);
    expect(child.script).toBe(LISTENER);
    expect(child.child.spawnargs.slice(1)).toEqual([LISTENER, ...child.args]);
    expect(await child.stop()).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('"msg":"listening"');
  });

  it('reload() sends SIGHUP and waits for the reload line', async () => {
    const child = spawn(LISTENER, ['--listen', '127.0.0.1:0']);
    await child.started();
    const before = child.lines.length;
    await child.reload();
    expect(child.lines.slice(before).map((line) => line.msg)).toEqual(['zones reloaded']);
  });

  it('offers every later line to onLog listeners until they unsubscribe', async () => {
    const child = spawn(LISTENER, ['--listen', '127.0.0.1:0']);
    await child.started();
    const seen: (string | undefined)[] = [];
    const unsubscribe = child.onLog((line) => seen.push(line.msg));
    await child.reload();
    unsubscribe();
    await child.reload();
    expect(seen).toEqual(['zones reloaded']);
    expect(child.lines.filter((line) => line.msg === 'zones reloaded')).toHaveLength(2);
  });

  it('stop() is safe to call twice and returns the same exit code', async () => {
    const child = spawn(LISTENER, ['--listen', '127.0.0.1:0']);
    await child.started();
    expect(await child.stop()).toBe(0);
    expect(await child.stop()).toBe(0);
    expect(await child.exit()).toBe(0);
  });

  it('a server that exits before listening fails started() with its stderr', async () => {
    const child = spawn(REFUSER, []);
    const failure = await child.started().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DemoError);
    expect((failure as DemoError).code).toBe('server-process');
    expect((failure as DemoError).message).toMatch(
      /^fake \(pid \d+\): exited before the expected log line; stderr: fake-authoritative: --db is missing$/,
    );
    expect(await child.exit()).toBe(2);
    expect(child.addressInUse).toBe(false);
  });

  it('names a taken port: addressInUse after an EADDRINUSE exit', async () => {
    const first = spawn(LISTENER, ['--listen', '127.0.0.1:0']);
    const port = new URL((await first.started()).doh).port;
    const second = spawn(LISTENER, ['--listen', `127.0.0.1:${port}`]);
    expect(second.addressInUse).toBe(false);
    expect(await second.exit()).toBe(3);
    expect(second.addressInUse).toBe(true);
    expect(second.stderr).toContain('EADDRINUSE');
  });

  it('waitForLog times out with the name of the process', async () => {
    const child = spawn(LISTENER, ['--listen', '127.0.0.1:0']);
    await child.started();
    await expect(child.waitForLog((line) => line.msg === 'never', 50)).rejects.toThrow(
      /^fake \(pid \d+\): no expected log line within 50 ms$/,
    );
  });
});
