/**
 * BIND 9 (ISC) as a peer: Do53 and its DoH listener (BIND 9.18 `http` + `tls` blocks,
 * RFC 8484 at /dns-query). Authoritative only: no recursion, no validation, no
 * `rate-limit` block (so response rate limiting is off), minimal responses, no control
 * channel, errors only to a file; `-n` = server cores (worker threads).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCollect } from '../process.mjs';

export function bindConfig(ctx) {
  const dir = ctx.dir;
  const doh =
    ctx.ports.doh === undefined
      ? ''
      : `
  listen-on port ${ctx.ports.doh} tls bench-tls http bench-http { 127.0.0.1; };`;
  return `tls bench-tls {
  cert-file "${ctx.tls.certFile}";
  key-file "${ctx.tls.keyFile}";
};

http bench-http {
  endpoints { "/dns-query"; };
};

options {
  directory "${dir}";
  pid-file "${join(dir, 'named.pid')}";
  session-keyfile "${join(dir, 'session.key')}";
  managed-keys-directory "${dir}";
  dump-file "${join(dir, 'named.dump')}";
  statistics-file "${join(dir, 'named.stats')}";
  listen-on port ${ctx.ports.udp} { 127.0.0.1; };${doh}
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  minimal-responses yes;
  notify no;
  querylog no;
  version none;
  allow-query { any; };
};

controls { };

logging {
  channel errors_only {
    file "${join(dir, 'named.log')}";
    severity error;
  };
  category default { errors_only; };
  category lame-servers { null; };
};

zone "${ctx.zone}" {
  type primary;
  file "${ctx.dataset.peerZone}";
};
`;
}

export const bind = {
  id: 'bind',
  name: 'BIND 9',
  transports: ['udp', 'doh'],
  readyTimeoutMs: 120_000,
  async version(_ctx) {
    const result = await runCollect('named', ['-v']);
    return /BIND (\S+)/.exec(result.stdout + result.stderr)?.[1];
  },
  async prepare(ctx) {
    const config = join(ctx.dir, 'named.conf');
    await writeFile(config, bindConfig(ctx));
    return { command: 'named', args: ['-f', '-4', '-c', config, '-n', String(ctx.cores)] };
  },
};
