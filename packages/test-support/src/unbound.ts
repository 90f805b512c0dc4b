/**
 * A stock unbound as a test validator (NOTES.md): its own config file, no automatic
 * trust anchor, only our DS anchor, one stub zone per zone pointing at our loopback Do53
 * ports, `do-not-query-localhost: no`. Listens on 127.0.0.1 at a free port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StubZone {
  readonly zone: string;
  /** `127.0.0.1:PORT` */
  readonly do53: string;
}

export interface RunningUnbound {
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function startUnbound(options: {
  unboundPath: string;
  trustAnchorFile: string;
  stubZones: readonly StubZone[];
}): Promise<RunningUnbound> {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-unbound-'));
  const port = await freeUdpPort();
  const stubs = options.stubZones
    .map(({ zone, do53 }) => {
      const [host, p] = do53.split(':');
      return `stub-zone:\n  name: "${zone}"\n  stub-addr: ${host}@${p}\n  stub-no-cache: yes\n`;
    })
    .join('\n');
  const conf = join(dir, 'unbound.conf');
  writeFileSync(
    conf,
    `server:
  interface: 127.0.0.1@${port}
  port: ${port}
  do-daemonize: no
  use-syslog: no
  logfile: ""
  verbosity: 1
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${join(dir, 'unbound.pid')}"
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  module-config: "validator iterator"
  trust-anchor-file: "${options.trustAnchorFile}"
  val-log-level: 2
  qname-minimisation: yes
  harden-dnssec-stripped: yes
  num-threads: 1
  do-ip6: no
remote-control:
  control-enable: no

${stubs}`,
  );
  const child: ChildProcess = spawn(options.unboundPath, ['-d', '-c', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  // Wait until it answers on UDP (any response to a bare query will do).
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`unbound exited: ${output}`);
    if (await answers(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`unbound did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    dir,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

/** A minimal query for `. NS` with id 0x1234; true if anything comes back. */
async function answers(port: number): Promise<boolean> {
  const query = Buffer.from('1234010000010000000000000000020001', 'hex');
  const socket = createSocket('udp4');
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      socket.once('message', () => {
        clearTimeout(timer);
        resolve(true);
      });
      socket.send(query, port, '127.0.0.1', (err) => {
        if (err) resolve(false);
      });
    });
  } finally {
    socket.close();
  }
}
