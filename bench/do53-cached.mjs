#!/usr/bin/env node
// Cache-hit throughput of the Do53 UDP path (packages/server-core): fires the same UDP
// query at a running server with a fixed window of queries in flight per socket and
// prints answers per second. Run by hand; it is not a timed test.
//
//   npx tsc -b packages/server-core
//   node bench/do53-cached.mjs                          # starts its own server (fake engine) in a child process
//   node bench/do53-cached.mjs --server 127.0.0.1:8053 --name example.com.email.mimi.arpa. --type SOA
//
//   node bench/do53-cached.mjs --pin --dnsperf          # server on core 0, dnsperf on core 1 (Linux, taskset)
//
// Options: --seconds N (default 5), --sockets N (4), --window N (64 per socket),
// --name NAME, --type A|SOA|NS|<code>, --dnssec (sets DO), --pin (run the server under
// `taskset -c 0`: the "one core" of the performance target), --dnsperf (load with
// dnsperf instead of this script's Node client, which tops out near 20k queries/s on
// one core of its own, so on a 2-core machine it measures itself more than the server).
// With no --server, a child process serves zone `bench.` from a canned engine with
// rate limits off.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    server: { type: 'string' },
    name: { type: 'string', default: 'www.bench.' },
    type: { type: 'string', default: 'A' },
    seconds: { type: 'string', default: '5' },
    sockets: { type: 'string', default: '4' },
    window: { type: 'string', default: '64' },
    dnssec: { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
    dnsperf: { type: 'boolean', default: false },
  },
});

const TYPES = { A: 1, NS: 2, SOA: 6, TXT: 16, AAAA: 28, DNSKEY: 48, MSPMAP: 65280 };

if (values.serve) await serve();
else await bench();

/** The server side: server-core with a canned engine, Do53 on a loopback port. */
async function serve() {
  const { startServer } = await import('../packages/server-core/dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'mimi-bench-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  chmodSync(keyFile, 0o600);
  const answer = (name, type) => ({
    rcode: 0,
    aa: true,
    answers: type === 1 ? [{ name, type: 1, class: 1, ttl: 300, rdata: Uint8Array.of(192, 0, 2, 1) }] : [],
    authorities: [],
    additionals: [],
    invalidationName: name,
    cacheSeconds: 300,
  });
  const engine = {
    answer: (question) => answer(question.name, question.type),
    onChange() {},
    async reload() {},
    zones: () => ['bench.'],
  };
  const server = await startServer(
    {
      doh: { listen: { host: '127.0.0.1', port: 0 }, tls: { certFile, keyFile } },
      do53: { listen: { host: '127.0.0.1', port: 0 } },
      pipeline: { rateLimit: { queriesPerSecond: 0, missesPerSecond: 0 } },
    },
    engine,
  );
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${server.addresses.do53udp.port}\n`);
  process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
}

/** The client side: N sockets × W queries in flight, re-sent when lost. */
async function bench() {
  let child = null;
  let host = '127.0.0.1';
  let port;
  if (values.server) {
    const match = /^(.+):(\d+)$/.exec(values.server);
    if (!match) throw new Error(`--server '${values.server}' is not HOST:PORT`);
    host = match[1].replace(/^\[|\]$/g, '');
    port = Number(match[2]);
  } else {
    const command = [process.execPath, new URL(import.meta.url).pathname, '--serve'];
    if (values.pin) command.unshift('taskset', '-c', '0');
    child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise((resolve, reject) => {
      child.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim())));
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
  }
  const qtype = TYPES[values.type.toUpperCase()] ?? Number(values.type);
  if (values.dnsperf) {
    runDnsperf(host, port, qtype);
    child?.kill('SIGTERM');
    return;
  }
  const query = buildQuery(values.name, qtype, values.dnssec);
  const seconds = Number(values.seconds);
  const window = Number(values.window);
  let answered = 0;
  let lost = 0;
  let tick = Date.now(); // coarse clock for loss detection, updated by the sweepers
  const sockets = [];
  for (let s = 0; s < Number(values.sockets); s++) {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 1 << 22 });
    const inFlight = new Map();
    let nextId = s << 12;
    const send = () => {
      nextId = (nextId & 0xf000) | ((nextId + 1) & 0x0fff);
      const bytes = Buffer.from(query);
      bytes.writeUInt16BE(nextId, 0);
      inFlight.set(nextId, tick);
      socket.send(bytes); // connected socket: no address lookup per datagram
    };
    socket.on('message', (message) => {
      const id = message.readUInt16BE(0);
      if (!inFlight.delete(id)) return;
      answered++;
      send();
    });
    socket.connect(port, host, () => {
      for (let i = 0; i < window; i++) send();
    });
    // Queries lost (socket buffers overflow under load) are counted and replaced.
    const sweeper = setInterval(() => {
      tick = Date.now();
      const cutoff = tick - 500;
      for (const [id, sentAt] of inFlight) {
        if (sentAt < cutoff) {
          inFlight.delete(id);
          lost++;
          send();
        }
      }
    }, 250);
    sockets.push({ socket, sweeper });
  }
  // Warm up one second (fills the answer cache, lets the JIT settle), then measure.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const startCount = answered;
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const qps = (answered - startCount) / elapsed;
  for (const { socket, sweeper } of sockets) {
    clearInterval(sweeper);
    socket.close();
  }
  child?.kill('SIGTERM');
  console.log(
    `do53 cached: ${qps.toFixed(0)} answers/s over ${elapsed.toFixed(1)} s ` +
      `(${values.sockets} sockets × ${window} in flight, ${values.name} type ${qtype}, ${lost} lost)`,
  );
}

/** Load the server with dnsperf (bind9's tool), pinned to core 1 with --pin. */
function runDnsperf(host, port, qtype) {
  const typeName = Object.entries(TYPES).find(([, code]) => code === qtype)?.[0] ?? `TYPE${qtype}`;
  const input = join(mkdtempSync(join(tmpdir(), 'mimi-dnsperf-')), 'queries.txt');
  execFileSync('sh', ['-c', `printf '%s %s\\n' "$1" "$2" > "$3"`, 'sh', values.name, typeName, input]);
  const args = [
    '-s',
    host,
    '-p',
    String(port),
    '-d',
    input,
    '-l',
    values.seconds,
    '-c',
    values.sockets,
    '-q',
    String(Number(values.window) * Number(values.sockets)),
  ];
  if (values.dnssec) args.push('-D');
  const command = values.pin ? ['taskset', '-c', '1', 'dnsperf', ...args] : ['dnsperf', ...args];
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8' });
  const qps = /Queries per second:\s+([\d.]+)/.exec(result.stdout ?? '');
  const lost = /Queries lost:\s+(\d+)/.exec(result.stdout ?? '');
  if (qps === null) throw new Error(`dnsperf failed: ${result.stderr || result.error}`);
  console.log(
    `do53 cached (dnsperf${values.pin ? ', server on core 0' : ''}): ${Number(qps[1]).toFixed(0)} answers/s over ${values.seconds} s (${lost?.[1] ?? '?'} lost)`,
  );
}

/** A query with an OPT record (payload 1232, DO if asked), built by hand. */
function buildQuery(name, qtype, dnssec) {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const qname = Buffer.concat([
    ...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)])),
    Buffer.from([0]),
  ]);
  const header = Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(qtype, 0);
  question.writeUInt16BE(1, 2);
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, dnssec ? 0x80 : 0, 0, 0, 0]);
  return Buffer.concat([header, qname, question, opt]);
}
