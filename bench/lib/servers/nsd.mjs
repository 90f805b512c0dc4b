/**
 * NSD (NLnet Labs) as a peer: Do53 only. One config per run in its own directory;
 * `server-count` = server cores, response rate limiting off (`rrl-ratelimit: 0`, NSD
 * rate-limits at 200 q/s per source by default), minimal responses, no control socket,
 * no zone database file, log to a file at verbosity 0.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCollect } from '../process.mjs';

export function nsdConfig(ctx) {
  const dir = ctx.dir;
  return `server:
  ip-address: 127.0.0.1
  port: ${ctx.ports.udp}
  do-ip6: no
  server-count: ${ctx.cores}
  reuseport: ${ctx.cores > 1 ? 'yes' : 'no'}
  username: ""
  chroot: ""
  database: ""
  zonesdir: "${dir}"
  zonelistfile: "${join(dir, 'zone.list')}"
  xfrdfile: "${join(dir, 'xfrd.state')}"
  xfrdir: "${dir}"
  pidfile: "${join(dir, 'nsd.pid')}"
  logfile: "${join(dir, 'nsd.log')}"
  verbosity: 0
  hide-version: yes
  minimal-responses: yes
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0

remote-control:
  control-enable: no

zone:
  name: "${ctx.zone}"
  zonefile: "${ctx.dataset.peerZone}"
`;
}

export const nsd = {
  id: 'nsd',
  name: 'NSD',
  transports: ['udp'],
  readyTimeoutMs: 60_000,
  async version(_ctx) {
    const result = await runCollect('nsd', ['-v']);
    return /NSD version (\S+)/.exec(result.stdout + result.stderr)?.[1];
  },
  async prepare(ctx) {
    const config = join(ctx.dir, 'nsd.conf');
    await writeFile(config, nsdConfig(ctx));
    return { command: 'nsd', args: ['-d', '-c', config] };
  },
};
