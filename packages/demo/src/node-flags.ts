/**
 * The Node options a server program asks for in its first line
 * (`#!/usr/bin/env -S node --max-semi-space-size=64`): a program started as
 * `node SCRIPT` instead of through its shebang — as the demo, the test networks and the
 * benchmarks start them — gets the same runtime settings as one an operator runs by name.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const SHEBANG = /^#!\S*\/env -S node((?: +--[a-z0-9-]+(?:=\S+)?)*) *$/;
/** A shebang line longer than this is not one of ours. */
const FIRST_LINE_MAX = 256;

/**
 * The `--flags` after `node` in the script's shebang; none for a plain `#!/usr/bin/env node`
 * or a script that cannot be read (node then reports it as it would without flags).
 */
export function shebangNodeFlags(script: string): string[] {
  let fd: number;
  try {
    fd = openSync(script, 'r');
  } catch {
    return [];
  }
  let head: string;
  try {
    const buffer = Buffer.alloc(FIRST_LINE_MAX);
    head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, FIRST_LINE_MAX, 0));
  } finally {
    closeSync(fd);
  }
  const match = SHEBANG.exec(head.split('\n', 1)[0]!);
  return match === null ? [] : match[1]!.trim().split(/ +/).filter(Boolean);
}
