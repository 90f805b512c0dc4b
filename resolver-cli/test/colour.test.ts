/**
 * DESIGN §8 "colour only on a TTY and never with `NO_COLOR`" (no-color.org: set and
 * non-empty), nor on a `dumb` terminal; SGR sequences that reset only what they set.
 */
import { describe, expect, it } from 'vitest';
import { colourEnabled, PLAIN, palette } from '../src/colour.js';
import { Captured } from './helpers/memory-io.js';

describe('colourEnabled', () => {
  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: 'false' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
    [true, { TERM: 'xterm-256color' }, true],
    [false, {}, false],
    [false, { FORCE_COLOR: '1' }, false],
  ])('tty %s, env %j -> %s', (isTTY, env, enabled) => {
    expect(colourEnabled(new Captured(isTTY), env)).toBe(enabled);
  });
});

describe('palette', () => {
  it.each([
    ['bold', '\x1b[1mx\x1b[22m'],
    ['dim', '\x1b[2mx\x1b[22m'],
    ['red', '\x1b[31mx\x1b[39m'],
    ['green', '\x1b[32mx\x1b[39m'],
    ['yellow', '\x1b[33mx\x1b[39m'],
    ['cyan', '\x1b[36mx\x1b[39m'],
  ] as const)('%s wraps text in its SGR pair, and not at all when disabled', (name, painted) => {
    expect(palette(true)[name]('x')).toBe(painted);
    expect(PLAIN[name]('x')).toBe('x');
  });
});
