/**
 * "Is this qname inside one of our zones?" on the hot path's lowercased wire key,
 * without building a presentation name: every suffix of the wire name that starts at
 * a label boundary is looked up in a set of zone apexes in the same form. A name
 * outside every zone gets REFUSED (RFC 1035 §4.1.1: "refuses to perform the specified
 * operation for policy reasons"), the answer of an authoritative-only server.
 */
import { canonicalName, nameToWire } from '@mimi/protocol';

export class ZoneSet {
  private readonly apexes: Set<string>;

  constructor(zones: readonly string[]) {
    this.apexes = new Set(
      zones.map((zone) =>
        Buffer.from(nameToWire(canonicalName(zone), { lowercase: true })).toString('latin1'),
      ),
    );
  }

  get size(): number {
    return this.apexes.size;
  }

  /** True when the lowercased wire name `nameKey` is an apex or below one. */
  contains(nameKey: string): boolean {
    return this.apexOffset(nameKey) >= 0;
  }

  /**
   * Where the closest enclosing apex starts inside `nameKey` (the longest suffix on a
   * label boundary that is an apex): 0 when the name is an apex itself, -1 when it is
   * in no zone. Suffixes are tried longest first, so nested zones resolve to the inner one.
   */
  apexOffset(nameKey: string): number {
    let position = 0;
    while (position < nameKey.length) {
      if (this.apexes.has(position === 0 ? nameKey : nameKey.slice(position))) return position;
      const labelLength = nameKey.charCodeAt(position);
      if (labelLength === 0) return -1;
      position += 1 + labelLength;
    }
    return -1;
  }
}
