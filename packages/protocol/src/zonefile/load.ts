/** Reading a zone file from disk; read errors become ZoneParseError (line 0). */
import { readFile } from 'node:fs/promises';
import { ZoneParseError } from '../errors.js';
import type { ResourceRecord } from '../wire/rr.js';
import { parseZoneFile, type ZoneParseOptions } from './parse.js';

export async function loadZoneFile(
  path: string,
  options: Partial<ZoneParseOptions> = {},
): Promise<ResourceRecord[]> {
  const file = options.file ?? path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ZoneParseError(
      'zone-unreadable',
      `cannot read zone file: ${(cause as Error).message}`,
      file,
      0,
      { cause },
    );
  }
  return parseZoneFile(text, { ...options, file });
}
