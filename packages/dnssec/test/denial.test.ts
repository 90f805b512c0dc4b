// RFC 9824 compact denial (DESIGN §5): generating the NSEC, and the successor name.
import {
  compareNames,
  type Labels,
  nameToWire,
  nsecCodec,
  parseName,
  type ResourceRecord,
  RRType,
} from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { missingNameNsec, nodataNsec, nsecNextName } from '../src/index.js';
import { thrown } from './fixtures.js';

const QNAME = '3.2.1.e164.example.test.';

function nsecOf(record: ResourceRecord) {
  return nsecCodec.decode(record.rdata);
}

describe('generating compact denials (RFC 9824 §3)', () => {
  it('NODATA: the types present plus RRSIG and NSEC, next name \\000.qname', () => {
    const nsec = nodataNsec(QNAME, [RRType.MSPMAP, RRType.NAPTR], 300);
    expect(nsec).toMatchObject({ name: QNAME, type: RRType.NSEC, class: 1, ttl: 300 });
    expect(nsecOf(nsec)).toEqual({
      nextName: '\\000.3.2.1.e164.example.test.',
      types: [RRType.NAPTR, RRType.RRSIG, RRType.NSEC, RRType.MSPMAP],
    });
  });

  it('a missing name outside the CSI subtrees: RRSIG, NSEC, NXNAME', () => {
    expect(nsecOf(missingNameNsec('nope.example.test.', 300, { insideCsiSubtree: false })).types).toEqual([
      46, 47, 128,
    ]);
  });

  it('a missing name inside a CSI subtree looks exactly like an empty non-terminal', () => {
    const missing = missingNameNsec(QNAME, 300, { insideCsiSubtree: true });
    const ent = nodataNsec(QNAME, [], 300);
    expect(nsecOf(missing).types).toEqual([RRType.RRSIG, RRType.NSEC]);
    expect(Buffer.from(missing.rdata).equals(Buffer.from(ent.rdata))).toBe(true);
    expect(missing).toEqual(ent);
  });

  it('refuses NXNAME among the types present', () => {
    expect(thrown(() => nodataNsec(QNAME, [RRType.NXNAME], 300)).code).toBe('denial-bitmap');
  });
});

describe('nsecNextName: the immediate successor (RFC 9824 §3.1, RFC 4471 §3.1.2)', () => {
  const label = (length: number, fill = 0x61) => new Uint8Array(length).fill(fill);
  /** A name of `total` wire octets whose first label is `first`. */
  function nameOfLength(first: Uint8Array, total: number): string {
    const labels: Uint8Array[] = [first];
    let used = 1 + (1 + first.length);
    while (used < total) {
      // Each label costs its length + 1; never leave a single octet that no label can fill.
      let size = Math.min(63, total - used - 1);
      if (total - used - (size + 1) === 1) size -= 1;
      labels.push(label(size, 0x62));
      used += 1 + size;
    }
    const text = labels
      .map((l) =>
        [...l]
          .map((o) =>
            o >= 0x21 && o <= 0x7e && o !== 0x2e ? String.fromCharCode(o) : `\\${String(o).padStart(3, '0')}`,
          )
          .join(''),
      )
      .join('.');
    expect(nameToWire(`${text}.`)).toHaveLength(total);
    return `${text}.`;
  }
  const first = (name: string): Labels[number] => parseName(name)[0]!;

  it('prepends a zero label when it fits', () => {
    expect(nsecNextName('a.example.')).toBe('\\000.a.example.');
    expect(nsecNextName('.')).toBe('\\000.');
    const longest = nameOfLength(label(10), 253);
    expect(nameToWire(nsecNextName(longest))).toHaveLength(255);
  });

  it('extends the first label with a zero octet at 254 octets', () => {
    const name = nameOfLength(label(10), 254);
    expect([...first(nsecNextName(name))]).toEqual([...label(10), 0]);
  });

  it('increments the last octet of the first label at 255 octets, in canonical order', () => {
    expect([...first(nsecNextName(nameOfLength(Uint8Array.of(0x61, 0x62), 255)))]).toEqual([0x61, 0x63]);
    // '@' + 1 would be 'A', which sorts as 'a': the next canonical octet is '['.
    expect([...first(nsecNextName(nameOfLength(Uint8Array.of(0x61, 0x40), 255)))]).toEqual([0x61, 0x5b]);
    expect([...first(nsecNextName(nameOfLength(Uint8Array.of(0x41, 0xff), 255)))]).toEqual([0x62]);
  });

  it('moves up to the parent label when the first label is all 0xff and cannot grow', () => {
    const name = nameOfLength(Uint8Array.of(0xff), 255);
    const next = nsecNextName(name);
    const labels = parseName(name);
    // The first label is dropped; the second (63 × 'b': full) has its last octet raised.
    expect(labels[1]).toHaveLength(63);
    expect(parseName(next)).toHaveLength(labels.length - 1);
    expect([...first(next)]).toEqual([...label(62, 0x62), 0x63]);
    expect(compareNames(name, next)).toBeLessThan(0);
    const full = nameOfLength(label(63, 0xff), 255);
    expect(compareNames(full, nsecNextName(full))).toBeLessThan(0);
    // A short second label grows by a zero octet instead.
    const short = `${'\\255.'.repeat(2)}${nameOfLength(label(5), 251)}`;
    expect(nameToWire(short)).toHaveLength(255);
    const after = parseName(nsecNextName(short));
    expect([...after[0]!]).toEqual([0xff, 0]);
    expect(after).toHaveLength(parseName(short).length - 1);
  });
});
