/**
 * Response surgery for the tampering tests: change records in a section, drop RRSIGs,
 * and re-sign an RRset with a zone's real key (to model a compromised or buggy server
 * whose data is validly signed but wrong).
 */
import { signRrset } from '@mimi/dnssec';
import { canonicalName, type DnsMessage, type ResourceRecord, RRType } from '@mimi/protocol';
import { NOW } from './fixtures.js';
import { zoneKeyOf } from './network.js';

type Section = 'answers' | 'authorities';

function covers(rrsig: ResourceRecord, type: number): boolean {
  return ((rrsig.rdata[0]! << 8) | rrsig.rdata[1]!) === type;
}

function at(record: ResourceRecord, name: string): boolean {
  return canonicalName(record.name) === canonicalName(name);
}

/** The same bytes with the last octet flipped. */
export function flipLast(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[out.length - 1] = out[out.length - 1]! ^ 0xff;
  return out;
}

/** Apply `change` to the records of type `type` at `name` in `section`. */
export function editRecords(
  message: DnsMessage,
  section: Section,
  name: string,
  type: number,
  change: (record: ResourceRecord) => ResourceRecord | null,
): DnsMessage {
  const edited = message[section].flatMap((record) => {
    if (record.type !== type || !at(record, name)) return [record];
    const next = change(record);
    return next === null ? [] : [next];
  });
  return { ...message, [section]: edited };
}

/** Drop the RRSIGs over (name, type) in `section`. */
export function stripRrsigs(message: DnsMessage, section: Section, name: string, type: number): DnsMessage {
  return {
    ...message,
    [section]: message[section].filter((r) => !(r.type === RRType.RRSIG && at(r, name) && covers(r, type))),
  };
}

/** Replace the RRSIGs over (name, type) in `section` by a fresh one made with `zone`'s key. */
export function resign(
  message: DnsMessage,
  section: Section,
  name: string,
  type: number,
  zone: string,
): DnsMessage {
  const stripped = stripRrsigs(message, section, name, type);
  const records = stripped[section].filter((r) => r.type === type && at(r, name));
  const rrsig = signRrset(records, zoneKeyOf(zone), { inception: NOW - 3600, expiration: NOW + 86_400 });
  return { ...stripped, [section]: [...stripped[section], rrsig] };
}
