/**
 * `mimi resolve --trace` (DESIGN §8: "draws the chain of trust, zone by zone (server,
 * DS/DNSKEY key tags, what was verified, timings), the way `dig +trace` and `delv
 * +vtrace` let a person see it"), from the stub's trace events:
 *
 *   zone mimi.arpa.
 *     anchor    trust anchor, key tags 25614
 *     query     mimi.arpa. DNSKEY @https://127.0.0.1:8443/dns-query -> answer  3 ms
 *     secure    DS 25614 -> DNSKEY 25614 (trust anchor)
 *     verified  e164.mimi.arpa. NS nodata, RRSIG key 25614
 *   zone 4.4.e164.mimi.arpa.
 *     ...
 *   mapping   personal: verified
 *   result    found  12 ms
 *
 * Through an oblivious relay (DESIGN §7, `--relay`), each query names the relay hop and
 * the Privacy Pass token it spent at that DP, and each target's ODoH config says where
 * it came from:
 *
 *     odoh      tel.nic.mimi.arpa key 1a2b3c4d, from _odoh.tel.nic.mimi.arpa. via the relay
 *     query     3.2.1...e164.mimi.arpa. MSPMAP @tel.nic.mimi.arpa https://127.0.0.1:8444/dns-query
 *               via https://127.0.0.1:9443/proxy token 0000002a -> answer  4 ms   (one line)
 *
 * A section starts whenever the events move to another zone; cache hits and ODoH
 * configs are listed where they happen; mapping checks and the result stand at the top
 * level.
 */
import type { TraceEvent, TraceServer } from '@mimi/stub-resolver';
import type { Palette } from '../colour.js';
import { alignColumns } from './columns.js';
import { paintStatus } from './status.js';

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function tags(list: readonly number[]): string {
  return list.length === 0 ? 'none' : list.join(' ');
}

/** `host url`, or just the URL when the host is what the URL names already. */
export function serverText(server: TraceServer): string {
  let urlHost: string | undefined;
  try {
    urlHost = new URL(server.url).hostname;
  } catch {
    urlHost = undefined;
  }
  return urlHost === server.host ? server.url : `${server.host} ${server.url}`;
}

function paintOutcome(outcome: string, p: Palette): string {
  if (outcome.startsWith('failed') || outcome.startsWith('rcode')) return p.red(outcome);
  return outcome;
}

/** The zone an event belongs to, or null for top-level and zone-less events. */
function zoneOf(event: TraceEvent): string | null | undefined {
  switch (event.event) {
    case 'trust-anchor':
    case 'query':
    case 'zone':
    case 'verified':
      return event.zone;
    case 'cache':
    case 'odoh-config':
      return undefined; // stays in the current section
    default:
      return null; // top level
  }
}

/** The [label, text] row of one event. */
function rowOf(event: TraceEvent, p: Palette): [string, string] {
  switch (event.event) {
    case 'trust-anchor':
      return ['anchor', `trust anchor, key tags ${tags(event.keyTags)}`];
    case 'query': {
      const relay = event.relay === undefined ? '' : ` via ${event.relay}`;
      const token = event.token === undefined ? '' : ` token ${event.token}`;
      return [
        'query',
        `${event.qname} ${event.qtype} @${serverText(event.server)}${relay}${token} -> ${paintOutcome(event.outcome, p)}  ${p.dim(ms(event.ms))}`,
      ];
    }
    case 'odoh-config': {
      const from =
        event.source === 'relay'
          ? `from _odoh.${event.host}. via the relay`
          : `from _odoh.${event.host}. asked directly (root bootstrap)`;
      const again = event.refreshed ? ', fetched again after http 401' : '';
      return ['odoh', `${event.host} key ${event.keyId}, ${from}${again}`];
    }
    case 'cache':
      return ['cache', `${event.qname} ${event.qtype} -> ${event.outcome}`];
    case 'zone': {
      const from = event.parent === null ? 'trust anchor' : `DS from ${event.parent}`;
      return [
        p.green('secure'),
        `DS ${tags(event.dsKeyTags)} -> DNSKEY ${tags(event.dnskeyKeyTags)} (${from})`,
      ];
    }
    case 'verified':
      return [p.green('verified'), `${event.name} ${event.type} ${event.what}, RRSIG key ${event.keyTag}`];
    case 'mapping': {
      const ok = event.outcome === 'verified';
      const outcome = ok ? p.green(event.outcome) : p.red(event.outcome);
      return ['mapping', `${event.id ?? '(undecodable record)'}: ${outcome}`];
    }
    case 'result': {
      const reason = event.reason === null ? '' : ` ${event.reason}`;
      return ['result', `${paintStatus(event.status, p)}${reason}  ${p.dim(ms(event.ms))}`];
    }
  }
}

/** Servers of a newly trusted zone, one line per host. */
function serverRows(event: Extract<TraceEvent, { event: 'zone' }>): [string, string][] {
  const byHost = new Map<string, string[]>();
  for (const server of event.servers) {
    const urls = byHost.get(server.host) ?? [];
    urls.push(server.url);
    byHost.set(server.host, urls);
  }
  return [...byHost].map(([host, urls]) => ['servers', `${host} ${urls.join(' ')}`]);
}

/** The whole chain of trust of one resolution as text (ends with a newline; empty for no events). */
export function formatTrace(events: readonly TraceEvent[], p: Palette, title?: string): string {
  const out: string[] = [];
  if (title !== undefined) out.push(p.bold(title));
  // Rows are aligned per block (a zone section, or a run of top-level lines).
  let block: [string, string][] = [];
  let indent = '';
  let current: string | null = null;
  const flush = (): void => {
    out.push(...alignColumns(block).map((line) => `${indent}${line}`));
    block = [];
  };
  for (const event of events) {
    const zone = zoneOf(event);
    if (zone === null && current !== null) {
      flush();
      current = null;
      indent = '';
    } else if (typeof zone === 'string' && zone !== current) {
      flush();
      out.push(`${p.bold('zone')} ${p.cyan(zone)}`);
      current = zone;
      indent = '  ';
    }
    block.push(rowOf(event, p));
    if (event.event === 'zone') block.push(...serverRows(event));
  }
  flush();
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
