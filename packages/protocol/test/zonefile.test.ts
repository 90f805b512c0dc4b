import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ZoneParseError } from '../src/errors.js';
import { rdataToText } from '../src/wire/rdata/index.js';
import { formatRecord } from '../src/wire/record-text.js';
import type { ResourceRecord } from '../src/wire/rr.js';
import { RRType, typeToString } from '../src/wire/types.js';
import { formatZone, loadZoneFile, parseRecord, parseZoneFile } from '../src/zonefile/index.js';

const view = (records: ResourceRecord[]) =>
  records.map((r) => `${r.name} ${r.ttl} ${r.class} ${typeToString(r.type)} ${rdataToText(r.type, r.rdata)}`);

function zoneError(fn: () => unknown): ZoneParseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ZoneParseError);
    return err as ZoneParseError;
  }
  throw new Error('expected a ZoneParseError');
}

const FULL = `; every syntax feature once
$ORIGIN mimi.arpa.
$TTL 1h
@        IN 3600 SOA ns1.nic hostmaster.nic (
                 2026010101 ; serial
                 7200 3600
                 1209600 300 )
         NS      ns1.nic            ; blank owner: inherits @
ns1.nic  300 IN  A 127.0.0.1
         IN 60   AAAA ::1           ; class then TTL
_dns.ns1.nic SVCB 1 ns1.nic. alpn=h2 port=8443 dohpath=/dns-query{?dns}
txt      TXT     "quoted; not a comment" "tab\\009and \\"quote\\"" bare
4.4.e164 86400 NS ns1.nic
         DS      12345 15 2 ( 0123456789abcdef0123456789abcdef
                             0123456789abcdef0123456789abcdef )
$ORIGIN csip
uk-carrier CSIPKEY \\# 3 a16176
x        TYPE65280 \\# 2 ( a1
                          61 )
y        type65282 \\# 0
abs.example. 2w IN TXT "absolute owner"
`;

describe('parseZoneFile: RFC 1035 §5.1 syntax', () => {
  test('a zone using every feature', () => {
    const records = parseZoneFile(FULL, { file: 'zones/root.zone' });
    expect(view(records)).toEqual([
      'mimi.arpa. 3600 1 SOA ns1.nic.mimi.arpa. hostmaster.nic.mimi.arpa. 2026010101 7200 3600 1209600 300',
      'mimi.arpa. 3600 1 NS ns1.nic.mimi.arpa.',
      'ns1.nic.mimi.arpa. 300 1 A 127.0.0.1',
      'ns1.nic.mimi.arpa. 60 1 AAAA ::1',
      '_dns.ns1.nic.mimi.arpa. 3600 1 SVCB 1 ns1.nic. alpn=h2 port=8443 dohpath=/dns-query{?dns}',
      'txt.mimi.arpa. 3600 1 TXT "quoted; not a comment" "tab\\009and \\"quote\\"" "bare"',
      '4.4.e164.mimi.arpa. 86400 1 NS ns1.nic.mimi.arpa.',
      `4.4.e164.mimi.arpa. 3600 1 DS 12345 15 2 ${'0123456789abcdef'.repeat(4)}`,
      'uk-carrier.csip.mimi.arpa. 3600 1 CSIPKEY \\# 3 a16176',
      'x.csip.mimi.arpa. 3600 1 MSPMAP \\# 2 a161',
      'y.csip.mimi.arpa. 3600 1 ODOHCFG \\# 0',
      'abs.example. 1209600 1 TXT "absolute owner"',
    ]);
  });

  test('TTL falls back to $TTL, then the option, then the last stated TTL (RFC 2308 §4, RFC 1035 §5.1)', () => {
    const text = 'a.example. 10 A 192.0.2.1\nb.example. A 192.0.2.2\n$TTL 20\nc.example. A 192.0.2.3\n';
    expect(parseZoneFile(text, { file: 'z' }).map((r) => r.ttl)).toEqual([10, 10, 20]);
    expect(parseZoneFile(text, { file: 'z', defaultTtl: 99 }).map((r) => r.ttl)).toEqual([10, 99, 20]);
  });

  test('origin option, @ and relative names; $ORIGIN may be relative to the current origin', () => {
    const records = parseZoneFile('@ 1 NS ns\n$ORIGIN sub\n@ 1 CNAME @\nw 1 CNAME w.x.\n', {
      file: 'z',
      origin: 'example',
    });
    expect(view(records)).toEqual([
      'example. 1 1 NS ns.example.',
      'sub.example. 1 1 CNAME sub.example.',
      'w.sub.example. 1 1 CNAME w.x.',
    ]);
  });

  test('class CH and CLASSnnn, CRLF line ends, and a quoted "\\#" as text', () => {
    const records = parseZoneFile('a. 1 CH TXT x\r\nb. 1 CLASS9 TXT "\\#"\r\n', { file: 'z' });
    expect(records.map((r) => r.class)).toEqual([3, 9]);
    expect(rdataToText(RRType.TXT, records[1]!.rdata)).toBe('"#"');
  });

  test('empty text, comments only and blank lines give no records', () => {
    expect(parseZoneFile('', { file: 'z' })).toEqual([]);
    expect(parseZoneFile('\n   ; nothing\n\t\n', { file: 'z' })).toEqual([]);
  });
});

describe('every error names file and line', () => {
  test.each([
    ['unknown type', 'a. 1 IN A 192.0.2.1\nb. 1 IN FOO bar', 'zone-unknown-type', 2, 'unknown type FOO'],
    ['include', '$ORIGIN x.\n$INCLUDE other.zone', 'zone-include-refused', 2, '$INCLUDE is not supported'],
    [
      'unknown directive',
      '$GENERATE 1-2 a A 1.2.3.4',
      'zone-unknown-directive',
      1,
      'unknown directive $GENERATE',
    ],
    ['directive arguments', '\n$TTL', 'zone-directive-args', 2, '$TTL takes exactly one argument'],
    ['bad $TTL', '$TTL forever', 'zone-bad-ttl', 1, "bad ttl 'forever'"],
    ['TTL out of range', 'a. 2147483648 A 192.0.2.1', 'zone-bad-ttl', 1, 'out of range'],
    ['no TTL anywhere', 'a. A 192.0.2.1', 'zone-no-ttl', 1, 'no ttl'],
    ['no owner to inherit', '  1 A 192.0.2.1', 'zone-no-owner', 1, 'no previous owner'],
    ['relative name without origin', 'a 1 A 192.0.2.1', 'name-no-origin', 1, "relative name 'a'"],
    ['missing type', 'a. 1 IN', 'zone-missing-type', 1, 'has no type'],
    ['unclosed parenthesis', 'a. 1 TXT (\n"x"\n', 'zone-unbalanced-parens', 1, "'(' is never closed"],
    ['stray closing parenthesis', 'a. 1 TXT x\n)', 'zone-unbalanced-parens', 2, "')' without '('"],
    ['nested parentheses', 'a. 1 TXT ( (\n)', 'zone-nested-parens', 1, 'nested parentheses'],
    ['unterminated quote', 'a. 1 TXT "x\n"', 'zone-unterminated-quote', 1, 'unterminated quoted string'],
    ['backslash at line end', 'a. 1 TXT x\\\n', 'zone-bad-escape', 1, 'backslash at the end of a line'],
    // RDATA errors point at the line where the record's RDATA begins.
    [
      'bad rdata inside parentheses',
      'a. 1 SOA ( ns. h.\n 1 2 3 4 x )',
      'bad-number',
      1,
      'SOA rdata: soa minimum',
    ],
    ['bad rdata after a line break', 'a. 1 SOA (\n ns. h. 1 2 3 4 x )', 'bad-number', 2, "soa minimum 'x'"],
    ['bad address', '\n\na. 1 A 192.0.2.300', 'bad-ipv4', 3, "'192.0.2.300' is not an IPv4 address"],
    ['label too long', `${'a'.repeat(64)}. 1 A 192.0.2.1`, 'name-label-too-long', 1, 'label of 64 octets'],
    ['meta type', 'a. 1 ANY \\# 0', 'zone-meta-type', 1, 'meta type'],
    ['opt', 'a. 1 OPT \\# 0', 'zone-meta-type', 1, 'meta type'],
    ['generic length mismatch', 'a. 1 MSPMAP \\# 2 ab', 'generic-rdata-length', 1, 'says 2 octets but has 1'],
    ['private type in text form', 'a. 1 MSPMAP a16176', 'generic-rdata', 1, 'mspmap rdata must be given as'],
    [
      'svcb missing mandatory key',
      'a. 1 SVCB 1 . mandatory=port',
      'svcb-missing-mandatory',
      1,
      'mandatory key port',
    ],
  ])('%s', (_, text, code, line, message) => {
    const err = zoneError(() => parseZoneFile(text, { file: 'zones/root.zone' }));
    expect(err.code).toBe(code);
    expect(err.line).toBe(line);
    expect(err.file).toBe('zones/root.zone');
    expect(err.message.startsWith(`zones/root.zone:${line}: `)).toBe(true);
    expect(err.message).toContain(message);
    expect(err.details).toEqual({ file: 'zones/root.zone', line });
  });

  test('the documented example message', () => {
    const text = `${'a. 1 A 192.0.2.1\n'.repeat(11)}b. 1 FOO x\n`;
    expect(zoneError(() => parseZoneFile(text, { file: 'zones/root.zone' })).message).toBe(
      'zones/root.zone:12: unknown type FOO',
    );
  });
});

describe('formatZone, formatRecord, parseRecord, loadZoneFile', () => {
  test('formatZone output reads back to the same records', () => {
    const records = parseZoneFile(FULL, { file: 'z' });
    const text = formatZone(records);
    expect(parseZoneFile(text, { file: 'out' })).toEqual(records);
    expect(text.split('\n')[0]).toBe(
      'mimi.arpa. 3600 IN SOA ns1.nic.mimi.arpa. hostmaster.nic.mimi.arpa. 2026010101 7200 3600 1209600 300',
    );
  });

  test('private types as TYPEnnn for other tools, still readable by us', () => {
    const record = parseRecord('x.example. 60 IN MSPMAP \\# 1 ff');
    const line = formatRecord(record, { genericPrivateTypes: true });
    expect(line).toBe('x.example. 60 IN TYPE65280 \\# 1 ff');
    expect(parseRecord(line)).toEqual(record);
    expect(formatZone([record], { genericPrivateTypes: true })).toBe(`${line}\n`);
  });

  test('private types inside RRSIG and NSEC text are generic too (BIND and NSD read them)', () => {
    const rrsig = parseRecord(
      'x.example. 60 IN RRSIG MSPMAP 15 2 60 20270101000000 20260101000000 12345 example. AAAA',
    );
    const nsec = parseRecord('x.example. 60 IN NSEC \\000.x.example. RRSIG NSEC CSIPKEY');
    expect(formatRecord(rrsig, { genericPrivateTypes: true })).toContain(' IN RRSIG TYPE65280 15 2 60 ');
    expect(formatRecord(nsec, { genericPrivateTypes: true })).toBe(
      'x.example. 60 IN NSEC \\000.x.example. RRSIG NSEC TYPE65281',
    );
    expect(formatRecord(rrsig)).toContain(' IN RRSIG MSPMAP ');
    expect(parseRecord(formatRecord(nsec, { genericPrivateTypes: true }))).toEqual(nsec);
  });

  test('unknown types and classes print in RFC 3597 form', () => {
    const record: ResourceRecord = {
      name: 'u.example.',
      type: 999,
      class: 254,
      ttl: 5,
      rdata: Uint8Array.from([1]),
    };
    expect(formatRecord(record)).toBe('u.example. 5 CLASS254 TYPE999 \\# 1 01');
    expect(parseRecord(formatRecord(record))).toEqual(record);
  });

  test('parseRecord wants exactly one record', () => {
    expect(parseRecord('www 5 A 192.0.2.1', 'example.').name).toBe('www.example.');
    expect(zoneError(() => parseRecord('a. 1 A 192.0.2.1\nb. 1 A 192.0.2.1')).code).toBe(
      'zone-not-one-record',
    );
  });

  test('loadZoneFile reads a file and names it in errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimi-zone-'));
    const path = join(dir, 'good.zone');
    writeFileSync(path, '$ORIGIN example.\n$TTL 60\n@ NS ns\n');
    expect(view(await loadZoneFile(path))).toEqual(['example. 60 1 NS ns.example.']);
    const bad = join(dir, 'bad.zone');
    writeFileSync(bad, '$ORIGIN example.\n@ 1 NS ns\n@ 1 BOGUS x\n');
    await expect(loadZoneFile(bad, { file: 'zones/bad.zone' })).rejects.toThrow(
      'zones/bad.zone:3: unknown type BOGUS',
    );
    await expect(loadZoneFile(join(dir, 'missing.zone'))).rejects.toMatchObject({
      code: 'zone-unreadable',
      line: 0,
    });
  });
});
