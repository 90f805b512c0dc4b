/**
 * Reading the `--zone FILE...` list (DESIGN §8) from disk: each file is parsed with the
 * protocol's master-file parser (RFC 1035 §5), then assembled into zones with overlay
 * semantics (assemble.ts). Parse errors keep their file and line (ZoneParseError).
 */
import { canonicalName, loadZoneFile } from '@mimi/protocol';
import { assembleZones, type ZoneSource } from './assemble.js';
import type { ZoneSet } from './zone-set.js';

export interface LoadZonesOptions {
  /** Apex of the discovery network (DESIGN §3); default `mimi.arpa.`. */
  readonly networkApex?: string;
}

/** Load and assemble the zones of `files`, in command-line order. */
export async function loadZones(files: readonly string[], options: LoadZonesOptions = {}): Promise<ZoneSet> {
  const sources: ZoneSource[] = [];
  for (const file of files) sources.push({ file, records: await loadZoneFile(file) });
  return assembleZones(sources, canonicalName(options.networkApex ?? 'mimi.arpa.'));
}
