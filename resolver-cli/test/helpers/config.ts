/** A `client.json` (DESIGN §9) for tests: a syntactically valid DS trust anchor and roots. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TEST_TRUST_ANCHOR = `mimi.arpa. 3600 IN DS 25614 15 2 ${'0123456789abcdef'.repeat(4)}`;

/** Writes `<dir>/.mimi/client.json` and returns its path. */
export function writeClientConfig(dir: string, overrides: Record<string, unknown> = {}): string {
  mkdirSync(join(dir, '.mimi'), { recursive: true });
  const path = join(dir, '.mimi', 'client.json');
  writeFileSync(
    path,
    JSON.stringify({
      roots: ['https://127.0.0.1:8443/dns-query'],
      trustAnchors: [TEST_TRUST_ANCHOR],
      ca: null,
      relay: 'https://127.0.0.1:8446/proxy',
      issuer: null,
      ...overrides,
    }),
  );
  return path;
}
