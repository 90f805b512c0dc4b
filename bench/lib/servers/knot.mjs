/**
 * Knot DNS (CZ.NIC) as a peer: Do53 only (Knot 3.2 has no DoH listener). The zone is
 * served as pre-signed (no `dnssec-signing`), loaded whole from the file, with no journal
 * and no zone-file flushes; `udp-workers`/`tcp-workers` = server cores; no rate-limiting
 * module (Knot has none unless `mod-rrl` is configured); errors only, to a file.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCollect } from '../process.mjs';

export function knotConfig(ctx) {
  const dir = ctx.dir;
  return `server:
    rundir: "${dir}"
    pidfile: "${join(dir, 'knot.pid')}"
    listen: 127.0.0.1@${ctx.ports.udp}
    udp-workers: ${ctx.cores}
    tcp-workers: ${ctx.cores}
    background-workers: 1

database:
    storage: "${join(dir, 'db')}"

control:
    listen: "${join(dir, 'knot.sock')}"

log:
  - target: "${join(dir, 'knot.log')}"
    any: error

template:
  - id: default
    storage: "${dir}"
    zonefile-load: whole
    zonefile-sync: -1
    journal-content: none
    semantic-checks: off

zone:
  - domain: "${ctx.zone}"
    file: "${ctx.dataset.peerZone}"
`;
}

export const knot = {
  id: 'knot',
  name: 'Knot DNS',
  transports: ['udp'],
  readyTimeoutMs: 60_000,
  async version(_ctx) {
    const result = await runCollect('knotd', ['-V']);
    return /version (\S+)/.exec(result.stdout + result.stderr)?.[1];
  },
  async prepare(ctx) {
    const config = join(ctx.dir, 'knot.conf');
    await writeFile(config, knotConfig(ctx));
    return { command: 'knotd', args: ['-c', config] };
  },
};
