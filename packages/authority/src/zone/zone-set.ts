/**
 * The zones one server serves, and which of them answers for a name: the deepest zone
 * whose apex is at or above it (RFC 1034 §4.3.2 step 2, "the nearest ancestor zone").
 */
import { formatName, parseName } from '@mimi/protocol';
import type { Zone } from './zone.js';

export class ZoneSet {
  private readonly byApex: ReadonlyMap<string, Zone>;

  constructor(zones: readonly Zone[]) {
    this.byApex = new Map(zones.map((zone) => [zone.apex, zone]));
  }

  /** Every zone, in canonical order of their apexes. */
  all(): Zone[] {
    return [...this.byApex.values()];
  }

  apexes(): string[] {
    return [...this.byApex.keys()];
  }

  get(apex: string): Zone | undefined {
    return this.byApex.get(apex);
  }

  /** The deepest served zone at or above `name` (canonical), if any. */
  find(name: string): Zone | undefined {
    const labels = parseName(name);
    for (let i = 0; i <= labels.length; i++) {
      const zone = this.byApex.get(i === 0 ? name : formatName(labels.slice(i)));
      if (zone !== undefined) return zone;
    }
    return undefined;
  }

  /** The deepest served zone strictly above `zone`'s apex: where its DS lives. */
  parentOf(zone: Zone): Zone | undefined {
    if (zone.apex === '.') return undefined;
    const labels = parseName(zone.apex);
    return this.find(formatName(labels.slice(1)));
  }
}
