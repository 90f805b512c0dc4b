#!/usr/bin/env node
// `npm start` (after `tsc -b`): the demo network of DESIGN §9, from this checkout.
import { fileURLToPath } from 'node:url';

process.env.MIMI_REPO ??= fileURLToPath(new URL('..', import.meta.url));
await import('../packages/demo/dist/main.js');
