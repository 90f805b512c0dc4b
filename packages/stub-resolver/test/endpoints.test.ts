/** DoH endpoints from `_dns.` SVCB + A/AAAA records (RFC 9461 §5, RFC 9460 §2.4.3, §7.2). */
import { buildSvcb, CLASS_IN, encodeRdata, type ResourceRecord, RRType, svcbCodec } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  addressesOf,
  dohPathOf,
  dohServices,
  endpointsFor,
  rootEndpoint,
  tlsHostName,
} from '../src/endpoints.js';

const HOST = 'tel.nic.mimi.arpa.';

function svcb(fields: Parameters<typeof buildSvcb>[0]): ResourceRecord {
  return {
    name: `_dns.${HOST}`,
    type: RRType.SVCB,
    class: CLASS_IN,
    ttl: 3600,
    rdata: svcbCodec.encode(buildSvcb(fields)),
  };
}

function address(type: 1 | 28, text: string): ResourceRecord {
  return { name: HOST, type, class: CLASS_IN, ttl: 3600, rdata: encodeRdata(type, text) };
}

describe('dohPathOf', () => {
  it.each([
    ['/dns-query{?dns}', '/dns-query'],
    ['/q/dns{?dns}', '/q/dns'],
    ['/dns-query', undefined],
    ['dns-query{?dns}', undefined],
    ['/dns-query{?dns,ct}', undefined],
    ['/{dns}', undefined],
    ['/a?b{?dns}', undefined],
  ])('%s → %s', (template, path) => {
    expect(dohPathOf(template)).toBe(path);
  });
});

describe('dohServices', () => {
  it('ServiceMode records offering h2 with a dohpath, lowest priority first; port 443 by default', () => {
    const records = [
      svcb({ priority: 2, target: 'other.nic.mimi.arpa.', alpn: ['h2'], dohpath: '/b{?dns}' }),
      svcb({ priority: 1, target: '.', alpn: ['h2', 'h3'], port: 8444, dohpath: '/dns-query{?dns}' }),
    ];
    expect(dohServices(HOST, records)).toEqual([
      { target: HOST, port: 8444, path: '/dns-query' },
      { target: 'other.nic.mimi.arpa.', port: 443, path: '/b' },
    ]);
  });

  it.each([
    ['AliasMode', svcb({ priority: 0, target: 'x.nic.mimi.arpa.' })],
    ['no h2', svcb({ priority: 1, target: '.', alpn: ['h3'], dohpath: '/dns-query{?dns}' })],
    ['no alpn', svcb({ priority: 1, target: '.', dohpath: '/dns-query{?dns}' })],
    ['no dohpath', svcb({ priority: 1, target: '.', alpn: ['h2'] })],
    [
      'a dohpath with more variables',
      svcb({ priority: 1, target: '.', alpn: ['h2'], dohpath: '/q{?dns,ct}' }),
    ],
  ])('%s is skipped', (_name, record) => {
    expect(dohServices(HOST, [record])).toEqual([]);
  });
});

describe('endpointsFor', () => {
  it('one endpoint per address, IPv6 in brackets, TLS name without the trailing dot', () => {
    const addresses = addressesOf([address(RRType.A, '127.0.0.1'), address(RRType.AAAA, '::1')]);
    expect(addresses).toEqual(['127.0.0.1', '::1']);
    expect(endpointsFor({ target: HOST, port: 8444, path: '/dns-query' }, addresses)).toEqual([
      { url: 'https://127.0.0.1:8444/dns-query', host: 'tel.nic.mimi.arpa' },
      { url: 'https://[::1]:8444/dns-query', host: 'tel.nic.mimi.arpa' },
    ]);
  });
});

describe('rootEndpoint and tlsHostName', () => {
  it.each([
    ['https://127.0.0.1:8443/dns-query', '127.0.0.1'],
    ['https://root.nic.mimi.arpa/dns-query', 'root.nic.mimi.arpa'],
    ['https://[::1]:8443/dns-query', '::1'],
  ])('%s checks TLS against %s', (url, host) => {
    expect(rootEndpoint(url)).toEqual({ url: new URL(url).href, host });
  });

  it('a bad root URL is config-invalid', () => {
    expect(() => rootEndpoint('::')).toThrow(expect.objectContaining({ code: 'config-invalid' }));
  });

  it.each([
    ['a.b.', 'a.b'],
    ['a.b', 'a.b'],
    ['.', '.'],
  ])('%s → %s', (name, text) => {
    expect(tlsHostName(name)).toBe(text);
  });
});
