import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeRdata, rdataFromText, rdataToText } from '../src/wire/rdata/index.js';
import { httpsCodec, svcbCodec } from '../src/wire/rdata/svcb.js';
import { buildSvcb, readSvcb } from '../src/wire/rdata/svcb-builder.js';
import { svcParamKeyFromText, svcParamKeyToText } from '../src/wire/rdata/svcb-params.js';
import { RRType } from '../src/wire/types.js';
import { tokenize } from '../src/zonefile/tokenizer.js';
import { bytes, hex, wireError } from './wire-fixtures.js';

interface Vectors {
  valid: {
    figure: string;
    type: 'SVCB' | 'HTTPS';
    presentation: string[];
    canonical?: string;
    rdata: string;
  }[];
  invalid: { figure: string; presentation: string; code: string }[];
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../test/vectors/rfc9460-svcb.json', import.meta.url), 'utf8'),
) as Vectors;

const fields = (text: string) =>
  tokenize(`example.com. ${text}`, 't')[0]!
    .tokens.slice(1)
    .map((t) => t.text);

describe('RFC 9460 Appendix D vectors', () => {
  const valid = vectors.valid.flatMap((v) => v.presentation.map((p) => [v.figure, p, v] as const));
  test.each(valid)('%s: %s', (_, presentation, v) => {
    const type = RRType[v.type];
    const wire = bytes(v.rdata);
    // text → bytes
    expect(hex(rdataFromText(type, fields(presentation), 'example.com.'))).toBe(hex(wire));
    // bytes → text (ours) → bytes
    const text = rdataToText(type, wire);
    expect(text).toBe(v.canonical ?? (v.presentation.length === 1 ? presentation : text));
    expect(hex(rdataFromText(type, fields(text), 'example.com.'))).toBe(hex(wire));
    // bytes → value → bytes
    const codec = type === RRType.HTTPS ? httpsCodec : svcbCodec;
    expect(hex(codec.encode(codec.decode(wire)))).toBe(hex(wire));
  });

  test('figure 10 prints in the first of its two presentation forms', () => {
    const figure10 = vectors.valid.find((v) => v.figure.includes('Figure 10'))!;
    expect(rdataToText(RRType.SVCB, bytes(figure10.rdata))).toBe(figure10.presentation[0]);
  });

  test.each(vectors.invalid.map((v) => [v.figure, v.presentation, v.code] as const))(
    '%s: %s',
    (_, text, code) => {
      expect(wireError(() => rdataFromText(RRType.SVCB, fields(text), 'example.com.')).code).toBe(code);
    },
  );
});

describe('strict SVCB wire decoding (RFC 9460 §2.2)', () => {
  const head = '0001 00'; // priority 1, target "."
  test.each([
    ['keys out of order', `${head} 0003 0002 0035 0001 0003 026832`, 'svcb-key-order'],
    ['duplicate key', `${head} 0003 0002 0035 0003 0002 0035`, 'svcb-key-order'],
    ['value past the end', `${head} 0003 0004 0035`, 'truncated'],
    ['key cut short', `${head} 00`, 'truncated'],
    ['port of 3 octets', `${head} 0003 0003 000035`, 'svcb-bad-value'],
    ['empty alpn', `${head} 0001 0000`, 'svcb-bad-value'],
    ['alpn id past its end', `${head} 0001 0002 0368`, 'svcb-bad-value'],
    ['alpn empty id', `${head} 0001 0001 00`, 'svcb-bad-value'],
    ['ipv4hint of 5 octets', `${head} 0004 0005 c000020101`, 'svcb-bad-value'],
    ['ipv6hint of 15 octets', `${head} 0006 000f ${'00'.repeat(15)}`, 'svcb-bad-value'],
    ['mandatory odd length', `${head} 0000 0001 00 0001 0003 026832`, 'svcb-bad-value'],
    ['mandatory lists itself', `${head} 0000 0002 0000`, 'svcb-bad-value'],
    ['mandatory unsorted', `${head} 0000 0004 0003 0001 0001 0003 026832 0003 0002 0035`, 'svcb-bad-value'],
    ['mandatory key missing', `${head} 0000 0002 0003`, 'svcb-missing-mandatory'],
    ['no-default-alpn with value', `${head} 0001 0003 026832 0002 0001 00`, 'svcb-bad-value'],
    ['no-default-alpn without alpn', `${head} 0002 0000`, 'svcb-no-default-alpn'],
    ['dohpath not utf-8', `${head} 0007 0001 ff`, 'svcb-bad-value'],
    ['dohpath without dns variable', `${head} 0007 0002 2f71`, 'svcb-bad-value'],
    ['reserved key 65535', `${head} ffff 0000`, 'svcb-invalid-key'],
    ['target compressed', '0001 c00c', 'name-compressed'],
    ['no target', '0001', 'name-truncated'],
    ['no priority', '00', 'truncated'],
  ])('%s', (_, wire, code) => {
    expect(wireError(() => decodeRdata(RRType.SVCB, bytes(wire))).code).toBe(code);
  });
});

describe('SVCB presentation details', () => {
  test.each([
    ['1 . key65534', '1 . key65534'],
    ['1 . key1=h2', '1 . alpn=h2'],
    ['1 . key7=/q{?dns}', '1 . dohpath=/q{?dns}'],
    ['1 . alpn=h2 no-default-alpn', '1 . alpn=h2 no-default-alpn'],
    ['1 . key9="a b"', '1 . key9="a b"'],
    ['1 . key9=""', '1 . key9'],
    ['1 . ech=AQID', '1 . ech=AQID'],
    ['1 . ipv4hint=192.0.2.1,192.0.2.2', '1 . ipv4hint=192.0.2.1,192.0.2.2'],
    ['1 svc alpn="h3,h2" port="443"', '1 svc.example. alpn=h3,h2 port=443'],
    ['0 alias.example.', '0 alias.example.'],
  ])('%s → %s', (text, canonical) => {
    expect(rdataToText(RRType.SVCB, rdataFromText(RRType.SVCB, fields(text), 'example.'))).toBe(canonical);
  });

  test.each([
    ['1 . foo=bar', 'svcb-unknown-key'],
    ['1 . key01=x', 'svcb-unknown-key'],
    ['1 . key65535=x', 'svcb-unknown-key'],
    ['1 . port=65536', 'value-out-of-range'],
    ['1 . port=x', 'bad-number'],
    ['1 . ipv4hint=192.0.2.1,,192.0.2.2', 'svcb-bad-value'],
    ['1 . ipv4hint=2001:db8::1', 'bad-ipv4'],
    ['1 . ipv6hint=192.0.2.1', 'bad-ipv6'],
    ['1 . alpn=h2,', 'svcb-bad-value'],
    ['1 . ech=###', 'svcb-bad-value'],
    ['1 . mandatory=foo alpn=h2', 'svcb-unknown-key'],
    ['1 . dohpath=/dns-query', 'svcb-bad-value'],
    ['1 . dohpath=dns-query{?dns}', 'svcb-bad-value'],
    ['1', 'field-count'],
    ['65536 .', 'value-out-of-range'],
  ])('%s → %s', (text, code) => {
    expect(wireError(() => rdataFromText(RRType.SVCB, fields(text), 'example.')).code).toBe(code);
  });

  test('key names both ways', () => {
    expect(svcParamKeyToText(7)).toBe('dohpath');
    expect(svcParamKeyToText(8)).toBe('key8');
    expect(svcParamKeyFromText('key8')).toBe(8);
    expect(svcParamKeyFromText('no-default-alpn')).toBe(2);
  });

  test('encode sorts params and refuses duplicates', () => {
    const svcb = {
      priority: 1,
      target: '.',
      params: [
        { key: 3, value: bytes('0035') },
        { key: 1, value: bytes('026832') },
      ],
    };
    expect(hex(svcbCodec.encode(svcb))).toBe(
      '000100' + '0001' + '0003' + '026832' + '0003' + '0002' + '0035',
    );
    const dup = { ...svcb, params: [...svcb.params, { key: 3, value: bytes('0036') }] };
    expect(wireError(() => svcbCodec.encode(dup)).code).toBe('svcb-duplicate-key');
  });
});

describe('typed SVCB for DoH endpoints (RFC 9461)', () => {
  test('build, encode, read back', () => {
    const svcb = buildSvcb({
      priority: 1,
      target: 'ns1.nic.mimi.arpa.',
      alpn: ['h2', 'a,b\\c'],
      port: 8443,
      dohpath: '/dns-query{?dns}',
    });
    const wire = svcbCodec.encode(svcb);
    expect(rdataToText(RRType.SVCB, wire)).toBe(
      '1 ns1.nic.mimi.arpa. alpn="h2,a\\\\,b\\\\\\\\c" port=8443 dohpath=/dns-query{?dns}',
    );
    const view = readSvcb(svcbCodec.decode(wire));
    expect(view).toEqual({
      alpn: ['h2', 'a,b\\c'],
      port: 8443,
      dohpath: '/dns-query{?dns}',
      noDefaultAlpn: false,
    });
  });

  test('every known key round-trips through the typed view', () => {
    const svcb = buildSvcb({
      priority: 2,
      target: '.',
      mandatory: ['port'],
      alpn: ['h3'],
      noDefaultAlpn: true,
      port: 53,
      ipv4hint: ['192.0.2.1'],
      ech: Uint8Array.from([1, 2, 3]),
      ipv6hint: ['2001:db8::1', '::1'],
      dohpath: '/q{?dns}',
    });
    expect(svcb.params.map((p) => p.key)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(readSvcb(svcb)).toEqual({
      alpn: ['h3'],
      noDefaultAlpn: true,
      port: 53,
      ipv4hint: ['192.0.2.1'],
      ech: Uint8Array.from([1, 2, 3]),
      ipv6hint: ['2001:db8::1', '::1'],
      dohpath: '/q{?dns}',
    });
  });

  test('builder validates like the codec', () => {
    expect(wireError(() => buildSvcb({ priority: 1, target: '.', port: 70000 })).code).toBe(
      'value-out-of-range',
    );
    expect(wireError(() => buildSvcb({ priority: 1, target: '.', dohpath: '/x' })).code).toBe(
      'svcb-bad-value',
    );
    expect(wireError(() => buildSvcb({ priority: 1, target: '.', mandatory: ['alpn'] })).code).toBe(
      'svcb-missing-mandatory',
    );
  });
});
