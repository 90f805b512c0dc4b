/**
 * From validated records to DoH endpoints (DESIGN §3; RFC 9461 §5, RFC 9460 §2.4.3):
 * a server host's `_dns.<host>` SVCB records in ServiceMode, lowest SvcPriority first,
 * that offer HTTP/2 (`alpn=h2`), give the port (443 when absent, RFC 9460 §7.2) and the
 * `dohpath` URI template (RFC 9461 §5: "dohpath ... MUST be present"), combined with the
 * TargetName's A/AAAA addresses. The TLS certificate is checked against the TargetName
 * (the host itself when the target is ".", RFC 9460 §2.5).
 *
 * The records are DNSSEC-validated but come from zone operators: one that does not
 * decode is skipped like any unusable record (RFC 9460 §2.4.3: "Clients MUST reject any
 * RR whose recognized SvcParams are not self-consistent"), never thrown at the caller.
 */
import { isIPv4 } from 'node:net';
import { isMimiError } from '@mimi/errors';
import { decodeRdata, type ResourceRecord, RRType, readSvcb } from '@mimi/protocol';
import { ResolverError } from './errors.js';
import type { Endpoint } from './transport/transport.js';

/** RFC 9460 §7.2: "the default port (443 for HTTPS)". */
const DEFAULT_DOH_PORT = 443;

/** A host name as TLS wants it: no trailing dot. */
export function tlsHostName(name: string): string {
  return name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name;
}

/**
 * `/dns-query{?dns}` → `/dns-query`: the RFC 6570 form-style expansion the GET form of
 * RFC 8484 §4.1 fills with `?dns=<base64url>`. Other templates (more variables, the
 * variable in the path) are not used by DoH servers we know, and are skipped.
 */
export function dohPathOf(template: string): string | undefined {
  if (!template.endsWith('{?dns}')) return undefined;
  const path = template.slice(0, -'{?dns}'.length);
  if (!path.startsWith('/') || /[{}?#]/.test(path)) return undefined;
  return path;
}

export interface ServiceTarget {
  /** Absolute target name (the host itself for "."). */
  readonly target: string;
  readonly port: number;
  readonly path: string;
}

/** The usable DoH services of `host`, best first. */
export function dohServices(host: string, svcbRecords: readonly ResourceRecord[]): ServiceTarget[] {
  const services: { priority: number; service: ServiceTarget }[] = [];
  for (const record of svcbRecords) {
    const decoded = decodeOrSkip(() => {
      const svcb = decodeRdata(RRType.SVCB, record.rdata);
      return { svcb, view: readSvcb(svcb) };
    });
    if (decoded === undefined) continue;
    const { svcb, view } = decoded;
    if (svcb.priority === 0) continue; // AliasMode is not used for DoH endpoints (RFC 9461 §4)
    if (!(view.alpn ?? []).includes('h2')) continue;
    if (view.dohpath === undefined) continue;
    const path = dohPathOf(view.dohpath);
    if (path === undefined) continue;
    const target = svcb.target === '.' ? host : svcb.target;
    services.push({
      priority: svcb.priority,
      service: { target, port: view.port ?? DEFAULT_DOH_PORT, path },
    });
  }
  return services.sort((a, b) => a.priority - b.priority).map((entry) => entry.service);
}

/** Addresses (A then AAAA records) as text; records that do not decode are skipped. */
export function addressesOf(records: readonly ResourceRecord[]): string[] {
  const addresses: string[] = [];
  for (const rr of records) {
    if (rr.type !== RRType.A && rr.type !== RRType.AAAA) continue;
    const address = decodeOrSkip(() => decodeRdata(rr.type === RRType.A ? RRType.A : RRType.AAAA, rr.rdata));
    if (address !== undefined) addresses.push(address);
  }
  return addresses;
}

/** `decode()`, or undefined when the bytes are malformed (our codecs throw MimiErrors). */
function decodeOrSkip<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (err) {
    if (isMimiError(err)) return undefined;
    throw err;
  }
}

/** One endpoint per (service, address). */
export function endpointsFor(service: ServiceTarget, addresses: readonly string[]): Endpoint[] {
  return addresses.map((address) => {
    const literal = isIPv4(address) ? address : `[${address}]`;
    return { url: `https://${literal}:${service.port}${service.path}`, host: tlsHostName(service.target) };
  });
}

/** A configured root URL as an endpoint: the URL's host is the TLS name. */
export function rootEndpoint(url: string): Endpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ResolverError('config-invalid', `root '${url}' is not a url`, { cause });
  }
  return { url: parsed.href, host: parsed.hostname.replace(/^\[|\]$/g, '') };
}
