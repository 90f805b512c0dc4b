#!/usr/bin/env node
/**
 * What an Oblivious DoH query (RFC 9230) costs the target, through the real route:
 * the server (built dist/, a canned one-record engine, the answer cache warm) runs in a
 * child process; this process sends N DoH and then N ODoH POSTs for the same question
 * over one HTTP/2 connection, `--concurrency` in flight, and asks the child for its
 * CPU time before and after each phase. Server CPU per query is (user + system) / N;
 * the ODoH − DoH difference is the target's own cost (open + seal), the rest is
 * HTTP/2, TLS and the pipeline, which both transports share.
 *
 *   npx tsc -b packages/server-core && node packages/server-core/bench/odoh-target.mjs [N] [concurrency]
 */
import { execFileSync, fork } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const dist = new URL('../dist/index.js', import.meta.url).href;

if (process.argv[2] === '--serve') await serve(process.argv[3], process.argv[4], process.argv[5]);
else await run(Number(process.argv[2] ?? 5000), Number(process.argv[3] ?? 16));

/** The child: a server with DoH and the ODoH target; reports its CPU time on request. */
async function serve(certFile, keyFile, ringFile) {
  const { OdohTarget, odohConfigsRoute, odohQueryRoute, silentLogger, startServer } = await import(dist);
  const record = { name: 'www.example.', type: 1, class: 1, ttl: 300, rdata: Uint8Array.of(192, 0, 2, 80) };
  const engine = {
    answer: () => ({
      rcode: 0,
      aa: true,
      answers: [record],
      authorities: [],
      additionals: [],
      invalidationName: 'www.example.',
      cacheSeconds: 300,
    }),
    zones: () => ['example.'],
    onChange: () => undefined,
    reload: async () => undefined,
  };
  const target = await OdohTarget.open({ file: ringFile, logger: silentLogger() });
  const server = await startServer(
    {
      doh: { listen: { host: '127.0.0.1', port: 0 }, tls: { certFile, keyFile } },
      pipeline: { rateLimit: { queriesPerSecond: 0, missesPerSecond: 0 } },
      routes: [odohConfigsRoute(target)],
      pipelineRoutes: [(pipeline) => odohQueryRoute(target, pipeline)],
    },
    engine,
  );
  process.on('message', async (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
    if (message === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
  process.send({
    port: server.addresses.doh.port,
    configs: Buffer.from(target.configs()).toString('base64'),
  });
}

async function run(count, concurrency) {
  const { decodeConfigs, decryptResponse, encryptQuery, selectConfig } = await import(
    new URL('../../odoh/dist/index.js', import.meta.url).href
  );
  const { encodeMessage, NO_FLAGS, buildEdns } = await import(
    new URL('../../protocol/dist/index.js', import.meta.url).href
  );
  const dir = mkdtempSync(join(tmpdir(), 'mimi-odoh-bench-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
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
      key,
    ].concat([
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  const child = fork(here, ['--serve', cert, key, join(dir, 'odoh.json')], { stdio: 'inherit' });
  const ready = await next(child);
  const config = selectConfig(decodeConfigs(Buffer.from(ready.configs, 'base64')));
  const session = connect(`https://127.0.0.1:${ready.port}`, { ca: readFileSync(cert) });
  const dnsQuery = encodeMessage({
    id: 0,
    flags: NO_FLAGS,
    questions: [{ name: 'www.example.', type: 1, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: buildEdns({}),
  });

  const post = (type, body) =>
    new Promise((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/dns-query', 'content-type': type });
      const chunks = [];
      let status = 0;
      stream.on('response', (headers) => {
        status = headers[':status'];
      });
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () =>
        status === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`http ${status}`)),
      );
      stream.on('error', reject);
      stream.end(body);
    });
  let encryptMs = 0;
  const phases = {
    doh: () => post('application/dns-message', dnsQuery),
    odoh: async () => {
      const started = performance.now();
      const sealed = encryptQuery(config, dnsQuery);
      encryptMs += performance.now() - started;
      const answer = await post('application/oblivious-dns-message', sealed.request);
      decryptResponse(sealed.context, answer);
    },
  };
  const results = {};
  for (const [name, once] of Object.entries(phases)) {
    for (let i = 0; i < 200; i++) await once(); // warm-up: JIT, cache, session
    encryptMs = 0;
    child.send('cpu');
    const before = (await next(child)).cpu;
    const started = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < count) {
          sent++;
          await once();
        }
      }),
    );
    const wallMs = performance.now() - started;
    child.send('cpu');
    const after = (await next(child)).cpu;
    const cpuUs = after.user - before.user + (after.system - before.system);
    results[name] = {
      serverCpuUs: cpuUs / count,
      wallUs: (wallMs * 1000) / count,
      clientEncryptUs: (encryptMs * 1000) / count,
    };
  }
  session.close();
  child.send('stop');
  rmSync(dir, { recursive: true, force: true });
  const fmt = (value) => value.toFixed(0).padStart(7);
  console.log(
    `${count} queries per transport, ${concurrency} in flight, one HTTP/2 connection, answer cache warm`,
  );
  console.log('transport  server CPU µs/query  wall µs/query');
  for (const [name, result] of Object.entries(results)) {
    console.log(`${name.padEnd(9)}  ${fmt(result.serverCpuUs)}             ${fmt(result.wallUs)}`);
  }
  console.log(
    `ODoH target's own cost (server CPU, odoh − doh): ${fmt(results.odoh.serverCpuUs - results.doh.serverCpuUs)} µs/query`,
  );
  console.log(`client encrypt (for comparison): ${fmt(results.odoh.clientEncryptUs)} µs/query`);
}

function next(child) {
  return new Promise((resolve) => child.once('message', resolve));
}
