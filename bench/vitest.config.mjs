// The harness's own tests (`npx vitest run --config bench/vitest.config.mjs`): the root
// config only collects packages' and test/ tests. Same aliases: @mimi/* from sources.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^@mimi\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
      { find: /^@mimi\/([a-z-]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2.ts` },
    ],
  },
  test: {
    include: ['bench/test/**/*.test.mjs'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
